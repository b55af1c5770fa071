import { describe, expect, it } from 'vitest';
import { customMessageResponse } from '../../../shared/templates/custom-message';
import { loadEvent } from '../../support/events';
import { capturedLogRecords } from '../../support/log-capture';

describe('customMessageResponse', () => {
  it('returns only the SMS on a COGNITO_DEFAULT email pool', () => {
    // Prepare
    const event = loadEvent('customMessage', 'sign-up');

    // Act
    const response = customMessageResponse(event, { isEmailAllowed: false });

    // Assess
    expect(response).toEqual({
      smsMessage: 'Your verification code is {####}. It is valid for 24 hours.',
      emailMessage: null,
      emailSubject: null,
    });
  });

  it('adds subject and body on a DEVELOPER email pool', () => {
    // Prepare
    const event = loadEvent('customMessage', 'admin-create-user');
    event.request.clientMetadata = { locale: 'de-AT' };

    // Act
    const response = customMessageResponse(event, { isEmailAllowed: true });

    // Assess
    expect(response.emailSubject).toBe('Ihr neues Konto');
    expect(response.emailMessage).toContain('Benutzername: <b>{username}</b>');
    expect(response.emailMessage).toContain('<b>{####}</b>');
    expect(response.smsMessage).toContain('Benutzername: {username}');
  });

  it('prefers the user attribute locale over the client metadata', () => {
    // Prepare
    const event = loadEvent('customMessage', 'forgot-password');
    event.request.userAttributes.locale = 'de';
    event.request.clientMetadata = { locale: 'en' };

    // Act
    const response = customMessageResponse(event, { isEmailAllowed: false });

    // Assess
    expect(response.smsMessage).toMatch(/^Ihr Code zum Zurücksetzen/);
  });

  it('logs and counts a locale the catalogue does not have', () => {
    // Prepare
    const event = loadEvent('customMessage', 'forgot-password');
    event.request.userAttributes.locale = 'tlh';
    event.request.clientMetadata = { locale: 'xx-YY' };

    // Act
    const response = customMessageResponse(event, { isEmailAllowed: false });

    // Assess
    expect(response.smsMessage).toMatch(/^Your /);
    expect(
      capturedLogRecords().find(
        (line) => line.message === 'custom message rendered',
      ),
    ).toMatchObject({ locale: 'en', localeFallback: true });
    const counted = capturedLogRecords().filter((line) =>
      JSON.stringify(line._aws ?? null).includes('"LocaleFallback"'),
    );
    expect(counted.map((line) => [line.trigger, line.LocaleFallback])).toEqual([
      ['customMessage', 1],
    ]);
  });

  it('leaves the fields null and logs when usernameParameter is null on an invitation', () => {
    // (the subject renders, but is dropped with the body it belongs to)
    // Prepare
    const event = loadEvent('customMessage', 'admin-create-user');
    event.request.usernameParameter = null;

    // Act
    const response = customMessageResponse(event, { isEmailAllowed: true });

    // Assess
    expect(response).toEqual({
      smsMessage: null,
      emailMessage: null,
      emailSubject: null,
    });
    const failures = capturedLogRecords().filter(
      (line) => line.message === 'message not rendered; Cognito default used',
    );
    expect(failures.map((line) => [line.channel, line.reason])).toEqual([
      ['sms', 'missing_placeholder'],
      ['emailBody', 'missing_placeholder'],
    ]);
    // And counted: one EMF metric line per failed channel
    const counted = capturedLogRecords().filter((line) =>
      JSON.stringify(line._aws ?? null).includes('"TemplateRenderFailed"'),
    );
    expect(
      counted.map((line) => [
        line.channel,
        line.reason,
        line.TemplateRenderFailed,
      ]),
    ).toEqual([
      ['sms', 'missing_placeholder', 1],
      ['emailBody', 'missing_placeholder', 1],
    ]);
  });

  it.each([
    [
      'an unknown triggerSource',
      { triggerSource: 'CustomMessage_Unknown' },
      'unknown_trigger_source',
    ],
    [
      "the SMS sender's triggerSource",
      { triggerSource: 'CustomSMSSender_SignUp' },
      'unknown_trigger_source',
    ],
    ['a missing request', { request: undefined }, 'invalid_event'],
    [
      'a polluting attribute key',
      { request: { userAttributes: JSON.parse('{"__proto__":"x"}') } },
      'invalid_event',
    ],
  ])('keeps Cognito defaults for %s', (_name, change, reason) => {
    // Prepare
    const event = { ...loadEvent('customMessage', 'sign-up'), ...change };

    // Act
    const response = customMessageResponse(event, { isEmailAllowed: true });

    // Assess
    expect(response).toEqual({
      smsMessage: null,
      emailMessage: null,
      emailSubject: null,
    });
    expect(capturedLogRecords()).toContainEqual(
      expect.objectContaining({
        message: 'custom message not rendered; Cognito default kept',
        reason,
      }),
    );
  });

  it('renders with empty userAttributes and escapes hostile ones', () => {
    // Prepare
    const empty = loadEvent('customMessage', 'verify-user-attribute');
    empty.request.userAttributes = {};
    const hostile = loadEvent('customMessage', 'verify-user-attribute');
    hostile.request.userAttributes.given_name = '<a href="x">\u0007Eve</a>';

    // Act
    const plain = customMessageResponse(empty, { isEmailAllowed: true });
    const escaped = customMessageResponse(hostile, { isEmailAllowed: true });

    // Assess
    expect(plain.emailMessage).toContain('<p>Hello there,</p>');
    expect(escaped.emailMessage).toContain(
      '<p>Hello &lt;a href=&quot;x&quot;&gt; Eve&lt;/a&gt;,</p>',
    );
  });

  it('counts every decision as a metric', () => {
    // Prepare
    const event = loadEvent('customMessage', 'authentication');

    // Act
    customMessageResponse(event, { isEmailAllowed: false });

    // Assess
    expect(capturedLogRecords()).toContainEqual(
      expect.objectContaining({
        CustomMessageRendered: 1,
        kind: 'Authentication',
      }),
    );
  });
});
