import type { PendingSecret, TotpRecord } from './record-schema';

/**
 * Pure helpers on the per-user TOTP record. The record's schema (and zod)
 * lives in record-schema.ts, loaded only by the modules that read the table,
 * so Define's cold start does not build it.
 */

export type {
  ActiveSecret,
  PendingSecret,
  TotpRecord,
} from './record-schema';

/**
 * The key of a user's record.
 *
 * @param subject - the pool and the user's `sub`
 */
export function recordKey(subject: {
  userPoolId: string;
  sub: string;
}): string {
  return `totp#${subject.userPoolId}#${subject.sub}`;
}

/**
 * Whether a user is locked out at `nowSeconds`.
 *
 * @param record - the record (or its projection)
 * @param nowSeconds - epoch seconds
 */
export function isLockedOut(
  record: Pick<TotpRecord, 'lockedUntil'>,
  nowSeconds: number,
): boolean {
  return record.lockedUntil !== undefined && record.lockedUntil > nowSeconds;
}

/**
 * `lockedUntil` of a user locked until an operator resets them:
 * 9999-12-31T23:59:59Z.
 */
export const LOCKED_UNTIL_RESET = 253_402_300_799;

/**
 * Seconds of the next lockout: `base · 2^lockouts`, at most `max`.
 *
 * @param lockouts - lockouts the user already had since the last success
 * @param lockout - the configured base and maximum
 */
export function lockoutSeconds(
  lockouts: number,
  lockout: { baseSeconds: number; maxSeconds: number },
): number {
  const exponent = Math.min(lockouts, 30);
  return Math.min(lockout.maxSeconds, lockout.baseSeconds * 2 ** exponent);
}

/**
 * The pending secret, if it has not expired.
 *
 * @param record - the user's record
 * @param nowSeconds - epoch seconds
 */
export function livePending(
  record: TotpRecord,
  nowSeconds: number,
): PendingSecret | undefined {
  const pending = record.pending;
  return pending && pending.expiresAt > nowSeconds ? pending : undefined;
}
