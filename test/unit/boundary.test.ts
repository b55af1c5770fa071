import { describe, expect, it } from 'vitest';
import { syncTrigger } from '../../shared/boundary';
import {
  DependencyError,
  InvalidEventError,
  PolicyError,
  UserFacingError,
} from '../../shared/errors';
import { userFacingError } from '../../shared/user-messages';
import { capturedLogRecords } from '../support/log-capture';

describe('syncTrigger', () => {
  it('returns the event the logic returns', async () => {
    // Prepare
    const handler = syncTrigger('test', (event: { n: number }) => ({
      n: event.n + 1,
    }));

    // Act
    const result = await handler({ n: 1 });

    // Assess
    expect(result).toEqual({ n: 2 });
  });

  it('passes a user-facing error through unchanged', async () => {
    // Prepare
    const handler = syncTrigger<unknown>('test', () => {
      throw userFacingError('signUpInviteOnly', 'de-AT');
    });

    // Act + Assess
    await expect(handler({})).rejects.toThrow(
      'Die Registrierung ist nur mit Einladung möglich',
    );
  });

  it('logs a refusal as information, not as a failure', async () => {
    // Prepare
    const handler = syncTrigger<unknown>('test', () => {
      throw userFacingError('signUpNotAllowed');
    });

    // Act
    await handler({}).catch(() => undefined);

    // Assess
    const records = capturedLogRecords();
    expect(records.some((record) => record.level === 'ERROR')).toBe(false);
    expect(JSON.stringify(records)).not.toContain('TriggerFailed');
    expect(records).toContainEqual(
      expect.objectContaining({ message: 'request refused' }),
    );
  });

  it('counts a policy refusal as a refusal, with the generic message', async () => {
    // Prepare
    const handler = syncTrigger<unknown>('test', () => {
      throw new PolicyError('not_enrolled');
    });

    // Act
    const error = await handler({}).catch((caught: unknown) => caught);

    // Assess
    expect(error).toMatchObject({ key: 'generic' });
    const records = JSON.stringify(capturedLogRecords());
    expect(records).not.toContain('TriggerFailed');
    expect(records).toContain('RequestRefused');
    expect(records).toContain('not_enrolled');
  });

  it('counts an invalid event apart from failures, with the generic message', async () => {
    // Prepare
    const handler = syncTrigger<unknown>('test', () => {
      throw new InvalidEventError('bad event', [
        'request.clientMetadata.grace@example.com',
        'request.userAttributes.email',
      ]);
    });

    // Act
    const error = await handler({}).catch((caught: unknown) => caught);

    // Assess
    expect(error).toMatchObject({ key: 'generic' });
    const records = capturedLogRecords();
    expect(records.some((record) => record.level === 'ERROR')).toBe(false);
    expect(JSON.stringify(records)).not.toContain('TriggerFailed');
    expect(JSON.stringify(records)).toContain('InvalidEvent');
    expect(records).toContainEqual(
      expect.objectContaining({
        issues: ['request.clientMetadata.*', 'request.userAttributes.email'],
      }),
    );
  });

  it('counts a misrouted event (a wrong triggerSource) as a failure', async () => {
    // Prepare
    const handler = syncTrigger<unknown>('test', () => {
      throw new InvalidEventError('bad event', ['triggerSource']);
    });

    // Act
    const error = await handler({}).catch((caught: unknown) => caught);

    // Assess
    expect(error).toMatchObject({ key: 'generic' });
    const records = JSON.stringify(capturedLogRecords());
    expect(records).toContain('TriggerFailed');
    expect(records).not.toContain('RequestRefused');
  });

  it('counts and logs any other error under its real name', async () => {
    // Prepare
    const handler = syncTrigger<unknown>('test', () => {
      throw new DependencyError('kms', 'decrypt failed');
    });

    // Act
    await handler({}).catch(() => undefined);

    // Assess
    const text = JSON.stringify(capturedLogRecords());
    expect(text).toContain('"error":"DependencyError"');
    expect(text).toContain('TriggerFailed');
  });

  it.each([
    [
      'a cause that cannot print',
      () => new Error('boom', { cause: Object.create(null) }),
    ],
    [
      'a name that throws',
      () =>
        Object.defineProperty(new Error('boom'), 'name', {
          get() {
            throw new Error('getter');
          },
        }),
    ],
    ['a thrown object that cannot print', () => Object.create(null)],
  ])(
    'still answers with the generic catalogue message for %s',
    async (_what, hostile) => {
      // Prepare
      const handler = syncTrigger<unknown>('test', () => {
        throw hostile();
      });

      // Act
      const error = await handler({}).catch((caught: unknown) => caught);

      // Assess
      expect(error).toBeInstanceOf(UserFacingError);
      expect((error as UserFacingError).key).toBe('generic');
      expect(capturedLogRecords().map((r) => r.message)).toContain(
        'trigger failed',
      );
    },
  );

  it('replaces any other error by the generic catalogue message', async () => {
    // Prepare
    const handler = syncTrigger<unknown>('test', () => {
      throw new DependencyError('dynamodb', 'table unreachable at 10.0.0.1');
    });

    // Act
    const error = await handler({
      request: { clientMetadata: { locale: 'en-GB' } },
    }).catch((caught: unknown) => caught);

    // Assess
    expect(error).toBeInstanceOf(UserFacingError);
    expect((error as Error).message).toBe(
      'The request could not be completed. Please try again later',
    );
  });
});
