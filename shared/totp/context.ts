import { InvalidEventError } from '../errors';
import { recordKey } from './record';
import type { TotpSettings } from './settings';
import type { StoreTarget } from './store';

/** The names of the TOTP rounds, as written to `challengeMetadata`. */
export const ROUNDS = { totp: 'TOTP', enroll: 'TOTP_ENROLL' } as const;
/** One TOTP round name. */
export type RoundName = (typeof ROUNDS)[keyof typeof ROUNDS];

/**
 * Whether a value names a TOTP round (the `round` private parameter).
 *
 * @param value - the value to check
 */
export function isRoundName(value: unknown): value is RoundName {
  return value === ROUNDS.totp || value === ROUNDS.enroll;
}

/** A pending secret's tag: 22 base64url characters (see `pendingTag`). */
const TAG = /^[A-Za-z0-9_-]{22}$/;

/**
 * The `challengeMetadata` of a round: its name, and for an enrollment round
 * the tag of the pending secret it showed (`TOTP_ENROLL#<tag>`), so the next
 * enrollment round of the same session can show the same secret again.
 *
 * @param round - the round
 * @param tag - the enrollment round's pending secret tag
 */
export function roundMetadata(round: RoundName, tag?: string): string {
  return tag === undefined ? round : `${round}#${tag}`;
}

/**
 * Reads a round's `challengeMetadata` (see {@link roundMetadata}).
 *
 * @param value - the metadata from the session
 * @returns the round and its tag, or `undefined` when it names no round
 */
export function parseRoundMetadata(
  value: unknown,
): { round: RoundName; tag?: string } | undefined {
  if (typeof value !== 'string') return undefined;
  const [round, tag, ...rest] = value.split('#');
  if (!isRoundName(round) || rest.length > 0) return undefined;
  if (tag === undefined) return { round };
  return round === ROUNDS.enroll && TAG.test(tag) ? { round, tag } : undefined;
}

/** What the TOTP logic needs from the deployment. */
export interface TotpDeployment {
  readonly table: string;
  readonly keyArn: string;
  readonly settings: TotpSettings;
  /** Epoch milliseconds (tests pass a fixed clock). */
  readonly now: () => number;
}

/** The user a trigger runs for, resolved to their record. */
export interface TotpSubject {
  readonly userPoolId: string;
  /** The user's `sub`; for unknown users a stand-in derived from the name. */
  readonly sub: string;
  readonly isUnknown: boolean;
  readonly target: StoreTarget;
}

/** How long the table keeps the record of an unknown user (seconds). */
export const UNKNOWN_USER_RECORD_SECONDS = 86_400;

/** The part of a Define/Create/Verify event that names the user. */
export interface SubjectEvent {
  userPoolId: string;
  userName?: string;
  request: { userAttributes: Record<string, string>; userNotFound?: boolean };
}

/**
 * Resolves whom an event is about. An unknown user (`userNotFound`) gets a
 * record of their own, keyed by the name they typed, so they walk the same
 * path as a real user.
 *
 * @throws {@link InvalidEventError} when a real user has no `sub`
 */
export function subjectOf(
  event: SubjectEvent,
  deployment: Pick<TotpDeployment, 'table' | 'now'>,
): TotpSubject {
  const { userPoolId } = event;
  if (event.request.userNotFound === true) {
    const sub = unknownUserSub(event.userName ?? '');
    const nowSeconds = Math.floor(deployment.now() / 1000);
    return {
      userPoolId,
      sub,
      isUnknown: true,
      target: {
        table: deployment.table,
        key: recordKey({ userPoolId, sub }),
        expiresAt: nowSeconds + UNKNOWN_USER_RECORD_SECONDS,
      },
    };
  }
  const sub = event.request.userAttributes.sub;
  if (!sub || !/^[\w-]{1,128}$/.test(sub)) {
    throw new InvalidEventError('user has no valid sub', [
      'request.userAttributes.sub',
    ]);
  }
  return {
    userPoolId,
    sub,
    isUnknown: false,
    target: { table: deployment.table, key: recordKey({ userPoolId, sub }) },
  };
}

/**
 * The stand-in `sub` of an unknown user: stable for the name they typed, and
 * never a UUID, so it cannot collide with a real user's.
 *
 * @param userName - the name from the event
 */
export function unknownUserSub(userName: string): string {
  // node:crypto loads on first use: Define's password rounds never hash.
  const { createHash } = process.getBuiltinModule('node:crypto');
  const digest = createHash('sha256').update(userName).digest('base64url');
  return `unknown-${digest}`;
}
