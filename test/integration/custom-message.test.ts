import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadEvent } from '../support/events';
import { loadBundle } from '../support/local-stack';
import { capturedLogRecords } from '../support/log-capture';

// The bundle that deploys (dist/customMessage/index.js, from npm run build),
// loaded fresh per test so it reads EMAIL_SENDING_ACCOUNT at its cold start.
// Custom Message calls no AWS service, so no local stack is needed.

const FIXTURES = path.resolve(__dirname, '../fixtures/events/customMessage');
const CASES = readdirSync(FIXTURES)
  .filter((name) => name.endsWith('.json'))
  .map((name) => name.replace(/\.json$/, ''));

type Handler = (event: any) => Promise<any>;

function handlerFor(emailSendingAccount?: string): Handler {
  if (emailSendingAccount === undefined)
    delete process.env.EMAIL_SENDING_ACCOUNT;
  else process.env.EMAIL_SENDING_ACCOUNT = emailSendingAccount;
  return loadBundle('customMessage').handler;
}

function count(text: string, needle: string): number {
  return text.split(needle).length - 1;
}

describe('customMessage bundle', () => {
  let saved: string | undefined;
  beforeEach(() => {
    saved = process.env.EMAIL_SENDING_ACCOUNT;
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.EMAIL_SENDING_ACCOUNT;
    else process.env.EMAIL_SENDING_ACCOUNT = saved;
  });

  it('has a fixture for every CustomMessage triggerSource', () => {
    // Assess
    expect(CASES).toHaveLength(7);
  });

  it.each(CASES)(
    'renders only the SMS for %s on a COGNITO_DEFAULT pool',
    async (name) => {
      // Prepare
      const event = loadEvent('customMessage', name);
      const handler = handlerFor();

      // Act
      const result = await handler(event);

      // Assess
      const { smsMessage, emailMessage, emailSubject } = result.response;
      expect(result.triggerSource).toBe(event.triggerSource);
      expect(count(smsMessage, event.request.codeParameter)).toBe(1);
      expect(count(smsMessage, '{username}')).toBe(
        name === 'admin-create-user' ? 1 : 0,
      );
      expect([...smsMessage].length).toBeLessThanOrEqual(140);
      expect(emailMessage).toBeNull();
      expect(emailSubject).toBeNull();
    },
  );

  it.each(CASES)(
    'renders SMS and email for %s on a DEVELOPER pool',
    async (name) => {
      // Prepare
      const event = loadEvent('customMessage', name);
      event.request.userAttributes.locale = 'de-AT';
      const handler = handlerFor('DEVELOPER');

      // Act
      const result = await handler(event);

      // Assess
      const { smsMessage, emailMessage, emailSubject } = result.response;
      expect(smsMessage).toMatch(/Ihr|Sie/);
      expect(count(emailMessage, event.request.codeParameter)).toBe(1);
      expect(emailMessage).toContain('Hallo Ada');
      expect(emailSubject.length).toBeGreaterThan(0);
      expect(capturedLogRecords()).toContainEqual(
        expect.objectContaining({
          message: 'custom message rendered',
          locale: 'de',
          smsEncoding: 'GSM-7',
          smsSegments: 1,
        }),
      );
    },
  );

  it.each([
    [
      'null usernameParameter',
      (e: any) => {
        e.request.usernameParameter = null;
      },
      null,
    ],
    [
      'an unknown triggerSource',
      (e: any) => {
        e.triggerSource = 'CustomMessage_Whatever';
      },
      null,
    ],
    [
      'an unknown locale',
      (e: any) => {
        e.request.userAttributes.locale = 'tlh-KX';
      },
      /^You have been invited/,
    ],
    [
      'HTML and control characters in attributes',
      (e: any) => {
        e.request.userAttributes.given_name = '<script>\u0000x</script>';
      },
      /^You have been invited/,
    ],
    [
      'empty userAttributes',
      (e: any) => {
        e.request.userAttributes = {};
      },
      /^You have been invited/,
    ],
    [
      'a missing request',
      (e: any) => {
        delete e.request;
      },
      null,
    ],
  ])(
    'answers %s with a defined result, never an error',
    async (_name, change, sms) => {
      // Prepare
      const event = loadEvent('customMessage', 'admin-create-user');
      change(event);
      const handler = handlerFor('DEVELOPER');

      // Act
      const result = await handler(event);

      // Assess
      if (sms === null) {
        expect(result.response).toEqual({
          smsMessage: null,
          emailMessage: null,
          emailSubject: null,
        });
      } else {
        expect(result.response.smsMessage).toMatch(sms);
        expect(result.response.emailMessage ?? '').not.toContain('<script>');
      }
    },
  );
});
