import { randomUUID } from 'node:crypto';
import { HOTP, Secret, TOTP } from 'otpauth';
import type { PoolUser } from './cognito-flow';
import { FIXTURE_CLIENT_ID, FIXTURE_POOL_ID } from './fixture-user';
import { trackSecret } from './secrets';

/**
 * The user's side of a TOTP sign-in in tests: an authenticator app that
 * reads an `otpauth://` URI and shows codes, and fresh pool users. Every
 * secret and code it handles is registered with the log capture.
 */

export const POOL = {
  userPoolId: FIXTURE_POOL_ID,
  clientId: FIXTURE_CLIENT_ID,
};

/** An authenticator app holding one secret. */
export class Authenticator {
  private readonly totp: TOTP;

  constructor(otpauthUri: string) {
    trackSecret(otpauthUri);
    const url = new URL(otpauthUri);
    const secret = url.searchParams.get('secret') ?? '';
    trackSecret(secret);
    this.totp = new TOTP({
      secret: Secret.fromBase32(secret),
      algorithm: url.searchParams.get('algorithm') ?? 'SHA1',
      digits: Number(url.searchParams.get('digits') ?? 6),
      period: Number(url.searchParams.get('period') ?? 30),
    });
  }

  /** The current time step. */
  step(now = Date.now()): number {
    return this.totp.counter({ timestamp: now });
  }

  /**
   * The code of the current step plus `offset` steps.
   *
   * @param offset - e.g. 1 for the next step's code
   */
  code(offset = 0, now = Date.now()): string {
    const code = HOTP.generate({
      secret: this.totp.secret,
      algorithm: this.totp.algorithm,
      digits: this.totp.digits,
      counter: this.step(now) + offset,
    });
    trackSecret(code);
    return code;
  }
}

/** A new user of the simulated pool, with a fresh `sub` and password. */
export function newPoolUser(name = 'ada'): PoolUser {
  const sub = randomUUID();
  const password = `pw-${randomUUID()}`;
  const email = `${name}.${sub.slice(0, 8)}@example.com`;
  trackSecret(password, email);
  return {
    userName: sub,
    password,
    attributes: {
      sub,
      email,
      email_verified: 'true',
      'cognito:user_status': 'CONFIRMED',
    },
  };
}
