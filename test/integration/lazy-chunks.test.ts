import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadEvent } from '../support/events';
import { loadBundle, useLocalStack } from '../support/local-stack';
import { ROOT } from '../support/provision';

// The lazy chunks (infra/esbuild-plugins.cjs) load only when a call needs
// them: what a function requires at cold start is what Node's module cache
// holds right after loadBundle() (which drops the bundle and its chunks).
useLocalStack();

const moduleCache = createRequire(__filename).cache;

/** The chunk files of `key`'s bundle that are loaded now. */
function loadedChunks(key: string): string[] {
  const folder = path.join(ROOT, 'dist', key);
  return Object.keys(moduleCache)
    .filter(
      (file) =>
        path.dirname(file) === folder && path.basename(file) !== 'index.js',
    )
    .map((file) => path.basename(file))
    .sort();
}

describe('lazy chunks', () => {
  it('Define answers the password rounds without the TOTP SDK and loads it for the TOTP round', async () => {
    // Prepare
    const { handler } = loadBundle('defineAuthChallenge');

    // Act
    const first = await handler(loadEvent('defineAuthChallenge', 'srp-a'));
    const afterPassword = loadedChunks('defineAuthChallenge');
    const totp = await handler(
      loadEvent('defineAuthChallenge', 'password-verifier'),
    );

    // Assess
    expect(first.response.challengeName).toBe('PASSWORD_VERIFIER');
    expect(afterPassword).toEqual([]);
    expect(totp.response.challengeName).toBe('CUSTOM_CHALLENGE');
    expect(loadedChunks('defineAuthChallenge')).toEqual(['index.sdk.js']);
  });

  it.each(['createAuthChallenge', 'verifyAuthChallengeResponse'])(
    '%s loads the TOTP SDK at cold start: every call needs it',
    (key) => {
      // Act
      loadBundle(key);

      // Assess
      expect(loadedChunks(key)).toEqual(['index.sdk.js']);
    },
  );

  it('Pre Sign-up with the shipped settings decides without loading any chunk', async () => {
    // Prepare
    const { handler } = loadBundle('preSignUp');

    // Act
    const result = await handler(loadEvent('preSignUp', 'sign-up'));

    // Assess
    expect(result.response).toBeDefined();
    expect(loadedChunks('preSignUp')).toEqual([]);
  });
});
