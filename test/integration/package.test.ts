import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBundle } from '../support/local-stack';
import { ROOT } from '../support/provision';

const FUNCTION_KEYS = [
  'customSmsSender',
  'customMessage',
  'defineAuthChallenge',
  'createAuthChallenge',
  'verifyAuthChallengeResponse',
  'preSignUp',
];

// osls package + cfn-lint of both pool modes: deployment*.test.ts.
describe('npm run build', () => {
  it('wrote one bundle per function, each exporting handler', () => {
    // Act
    const built = readdirSync(path.join(ROOT, 'dist'))
      .filter((entry) => existsSync(path.join(ROOT, 'dist', entry, 'index.js')))
      .sort();

    // Assess
    expect(built).toEqual([...FUNCTION_KEYS].sort());
    for (const key of FUNCTION_KEYS) {
      expect(typeof loadBundle(key).handler).toBe('function');
    }
  });
});
