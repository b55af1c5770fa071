import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

/**
 * A new pool's VerificationMessageTemplate (infra/email-verification.js),
 * derived from suite.json when the stack is packaged, so the pool verifies
 * email the way the templates are written.
 */

const { verificationTemplate } = createRequire(import.meta.url)(
  '../../../infra/email-verification.js',
) as {
  verificationTemplate(templates: unknown): { DefaultEmailOption: string };
};

describe('the new pool verifies email as the templates are written', () => {
  it('confirms with a code by default and for code templates', () => {
    // Act
    const unset = verificationTemplate(undefined);
    const code = verificationTemplate({ emailVerification: 'code' });

    // Assess
    expect(unset).toEqual({ DefaultEmailOption: 'CONFIRM_WITH_CODE' });
    expect(code).toEqual(unset);
  });

  it('refuses link templates, which need a pool domain this stack does not create', () => {
    // Act
    const link = () => verificationTemplate({ emailVerification: 'link' });

    // Assess
    expect(link).toThrow(/poolMode=existing/);
  });
});
