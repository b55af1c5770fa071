import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { staleInputs } from '../support/local-stack';
import { ROOT } from '../support/provision';

/**
 * Each bundle carries the settings schemas of the sections it reads and no
 * other (see provideSection in shared/lazy-settings.ts): the others cost
 * compiling at every cold start and are never used by it. Each schema is
 * recognised by one of its own messages.
 */
const MARKERS = {
  templates: 'a lower-case locale tag',
  sms: 'senderId and originationNumber are exclusive',
  policy: 'an identity provider name',
  totp: 'letters, digits, space',
} as const;

type Section = keyof typeof MARKERS;

const READS: Record<string, Section[]> = {
  customMessage: ['templates'],
  preSignUp: ['policy'],
  defineAuthChallenge: ['totp'],
  createAuthChallenge: ['totp'],
  verifyAuthChallengeResponse: ['totp'],
  customSmsSender: ['templates', 'sms', 'policy'],
};

describe('settings schemas in the bundles', () => {
  it.each(Object.entries(READS))(
    '%s carries only the schemas of %j',
    (key, sections) => {
      // Prepare
      expect(staleInputs(key)).toEqual([]);
      const bundle = readFileSync(
        path.join(ROOT, 'dist', key, 'index.js'),
        'utf8',
      );

      // Act
      const carried = (Object.keys(MARKERS) as Section[]).filter((section) =>
        bundle.includes(MARKERS[section]),
      );

      // Assess
      expect(carried.sort()).toEqual([...sections].sort());
    },
  );
});
