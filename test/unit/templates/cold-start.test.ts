import { afterEach, describe, expect, it, vi } from 'vitest';
import { capturedLogRecords } from '../../support/log-capture';

// A catalogue that breaks a rule cannot be bundled (the build checks it, see
// test/unit/infra/prechecked.test.ts). Run from source, or under settings
// the build did not check, the cold start checks it and renders nothing.

describe('cold-start check of the bundled catalogue', () => {
  afterEach(() => {
    vi.doUnmock('../../../shared/templates/bundled');
    vi.resetModules();
  });

  it('logs and counts an invalid catalogue once and keeps Cognito defaults', async () => {
    // Prepare
    vi.resetModules();
    vi.doMock('../../../shared/templates/bundled', () => ({
      readBundledCatalogue: () =>
        new Map<string, unknown>([
          ['en.json', { SignUp: { sms: 'Welcome! (no code here)' } }],
          ['de.json', {}],
        ]),
    }));

    // Act
    const { customMessageResponse } = await import(
      '../../../shared/templates/custom-message'
    );
    const response = customMessageResponse(
      {
        triggerSource: 'CustomMessage_SignUp',
        region: 'eu-central-1',
        userPoolId: 'eu-central-1_Tr1ggers0',
        request: { userAttributes: {}, codeParameter: '{####}' },
      },
      { isEmailAllowed: false },
    );

    // Assess
    expect(response.smsMessage).toBeNull();
    const records = capturedLogRecords();
    const invalid = records.find(
      (line) =>
        line.message ===
        'template catalogue invalid; Cognito defaults will be sent',
    );
    expect(invalid?.violations).toContain(
      'config/templates/en.json en CustomMessage_SignUp sms [code-placeholder] {code} must appear exactly once (found 0)',
    );
    expect(records).toContainEqual(
      expect.objectContaining({
        message: 'message not rendered; Cognito default used',
        reason: 'invalid_catalogue',
      }),
    );
  });
});
