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
    const event = loadEvent('preSignUp', 'sign-up');
    event.response = { autoConfirmUser: true, autoVerifyEmail: true };
    const result = await handler(event);

    // Assess: decided (the response written whole), yet no chunk loaded
    expect(result.response).toEqual({
      autoConfirmUser: false,
      autoVerifyEmail: false,
      autoVerifyPhone: false,
    });
    expect(loadedChunks('preSignUp')).toEqual([]);
  });

  it('Pre Sign-up with a phone rule loads libphonenumber on the first sign-up that carries a number, and refuses by its country', async () => {
    // Prepare
    process.env.SUITE_SETTINGS_OVERRIDE = JSON.stringify({
      policy: { phone: { mode: 'allow', countries: ['DE'] } },
    });
    try {
      const { handler } = loadBundle('preSignUp');
      const atColdStart = loadedChunks('preSignUp');

      // Act
      const refused = await handler(loadEvent('preSignUp', 'sign-up')).catch(
        (error: Error) => error,
      );

      // Assess
      expect(atColdStart).toEqual([]);
      expect(refused).toBeInstanceOf(Error);
      expect(loadedChunks('preSignUp')).toEqual(['index.phone-library.js']);
    } finally {
      delete process.env.SUITE_SETTINGS_OVERRIDE;
    }
  });

  it('the SMS sender loads libphonenumber at cold start: every SMS is parsed', () => {
    // Act
    loadBundle('customSmsSender');

    // Assess
    expect(loadedChunks('customSmsSender')).toEqual(['index.phone-library.js']);
  });
});
