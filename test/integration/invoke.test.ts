import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { splitInvokeOutput } from '../../scripts/invoke';
import { loadEvent } from '../support/events';
import { ROOT } from '../support/provision';
import { findPersonalDataShapes, findTrackedSecrets } from '../support/secrets';

const INVOKE_TIMEOUT_MS = 150_000;

function npmInvoke(
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', '--silent', 'invoke', '--', ...args], {
      cwd: ROOT,
      env: process.env,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.once('error', reject);
    child.once('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

describe('npm run invoke', () => {
  it(
    'prints the Custom Message result as an event-shaped JSON document',
    async () => {
      // Prepare
      const event = loadEvent('customMessage', 'sign-up');

      // Act
      const run = await npmInvoke(
        'customMessage',
        'test/fixtures/events/customMessage/sign-up.json',
      );

      // Assess
      expect(run.code, run.stderr).toBe(0);
      const result = JSON.parse(run.stdout);
      expect(result).toMatchObject({
        version: '1',
        triggerSource: 'CustomMessage_SignUp',
        userPoolId: event.userPoolId,
        request: { userAttributes: event.request.userAttributes },
      });
      expect(Object.keys(result.response)).toEqual(
        expect.arrayContaining(['smsMessage', 'emailMessage', 'emailSubject']),
      );
      expect(findTrackedSecrets(run.stderr)).toEqual([]);
      expect(findPersonalDataShapes(run.stderr)).toEqual([]);
      expect(findTrackedSecrets(JSON.stringify(result.response))).toEqual([]);
    },
    INVOKE_TIMEOUT_MS,
  );

  it(
    'runs the Custom SMS Sender on a Cognito ciphertext: one SMS, masked, no secret shown',
    async () => {
      // Prepare
      loadEvent('customSmsSender', 'sign-up');

      // Act
      const run = await npmInvoke(
        'customSmsSender',
        'test/fixtures/events/customSmsSender/sign-up.json',
      );

      // Assess
      expect(run.code, run.stderr).toBe(0);
      expect(JSON.parse(run.stdout)).toBeNull();
      expect(run.stderr).toMatch(
        /invoke: SMS via SNS to \+\*+0123 \(\d+ chars\)/,
      );
      expect(findTrackedSecrets(run.stdout + run.stderr)).toEqual([]);
      expect(findPersonalDataShapes(run.stderr)).toEqual([]);
    },
    INVOKE_TIMEOUT_MS,
  );
});

describe('npm run invoke with a lazy chunk', () => {
  it(
    'runs Define through osls: the TOTP round loads the SDK chunk from the packaged folder',
    async () => {
      // Prepare
      loadEvent('defineAuthChallenge', 'password-verifier');

      // Act
      const run = await npmInvoke(
        'defineAuthChallenge',
        'test/fixtures/events/defineAuthChallenge/password-verifier.json',
      );

      // Assess
      expect(run.code, run.stderr).toBe(0);
      expect(JSON.parse(run.stdout).response).toEqual({
        challengeName: 'CUSTOM_CHALLENGE',
        issueTokens: false,
        failAuthentication: false,
      });
    },
    INVOKE_TIMEOUT_MS,
  );
});

describe('splitInvokeOutput', () => {
  it('separates one-line logs from the indented result osls prints last', () => {
    // Prepare
    const stdout = [
      '{"level":"INFO","message":"rendered"}',
      '{',
      '    "response": {',
      '        "smsMessage": "{####}"',
      '    }',
      '}',
      '',
    ].join('\n');

    // Act
    const { result, logs } = splitInvokeOutput(stdout);

    // Assess
    expect(result).toEqual({ response: { smsMessage: '{####}' } });
    expect(logs).toEqual(['{"level":"INFO","message":"rendered"}']);
  });

  it('returns null when the handler returned nothing', () => {
    // Prepare
    const stdout = '{"level":"INFO","message":"sent"}\n';

    // Act
    const { result, logs } = splitInvokeOutput(stdout);

    // Assess
    expect(result).toBeNull();
    expect(logs).toEqual(['{"level":"INFO","message":"sent"}']);
  });
});
