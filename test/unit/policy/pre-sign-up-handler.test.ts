import { describe, expect, it } from 'vitest';
import { handler } from '../../../functions/pre-sign-up/handler';
import { InvalidEventError, UserFacingError } from '../../../shared/errors';
import type { PreSignUpEvent } from '../../../shared/events';
import { USER_MESSAGES } from '../../../shared/user-messages';
import { loadEvent } from '../../support/events';
import { capturedLogRecords } from '../../support/log-capture';

// The shipped policy (config/suite.json): open, no rule needing DynamoDB.

describe('the Pre Sign-up handler', () => {
  it('fails on an unknown PreSignUp_* trigger source: generic message, TriggerFailed, no refusal', async () => {
    // Prepare
    const event = loadEvent<PreSignUpEvent>('preSignUp', 'sign-up');
    event.triggerSource = 'PreSignUp_Unknown';

    // Act
    const error = await handler(event).catch((caught: unknown) => caught);

    // Assess
    expect(error).toBeInstanceOf(UserFacingError);
    expect((error as UserFacingError).key).toBe('generic');
    expect((error as Error).message).toBe(USER_MESSAGES.en.generic);
    expect((error as Error).cause).toBeInstanceOf(InvalidEventError);
    expect((error as Error).cause).toMatchObject({ issues: ['triggerSource'] });
    const records = capturedLogRecords();
    expect(records.map((record) => record.message)).toContain('trigger failed');
    const metrics = records.flatMap((record) => Object.keys(record));
    expect(metrics).toContain('TriggerFailed');
    expect(metrics).not.toContain('RequestRefused');
    expect(metrics).not.toContain('SignUpPolicy');
  });

  it.each([
    ['a clientMetadata locale that is not a string', { locale: 5 }, null],
    ['an array validationData', { locale: 'de' }, ['de']],
    ['a __proto__ key', JSON.parse('{"__proto__": "x"}'), null],
    ['a constructor key', null, JSON.parse('{"constructor": "x"}')],
  ])(
    'answers a sign-up whose caller map is malformed (%s)',
    async (_what, clientMetadata, validationData) => {
      // Prepare
      const event = loadEvent<PreSignUpEvent>('preSignUp', 'sign-up');
      (event.request as Record<string, unknown>).clientMetadata =
        clientMetadata;
      (event.request as Record<string, unknown>).validationData =
        validationData;

      // Act
      const result = await handler(event);

      // Assess
      expect(result.response).toEqual({
        autoConfirmUser: false,
        autoVerifyEmail: false,
        autoVerifyPhone: false,
      });
      const metrics = capturedLogRecords().flatMap((record) =>
        Object.keys(record),
      );
      expect(metrics).not.toContain('InvalidEvent');
      expect(metrics).not.toContain('RequestRefused');
    },
  );
});
