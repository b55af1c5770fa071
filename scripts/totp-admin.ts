/**
 * The operations behind `npm run totp`: enrol, inspect, reset and issue
 * recovery codes for one user, on the TOTP table of a deployment or of the
 * local stack. An operator tool: it prints secrets to the operator's
 * terminal on purpose (the `print` function), never through the logger.
 */
import { createRequire } from 'node:module';
import { generateRecoveryCodes } from '../shared/crypto/otp-recovery';
import type { TotpSubject } from '../shared/totp/context';
import { enrollmentUri, newPending } from '../shared/totp/enrollment';
import {
  LOCKED_UNTIL_RESET,
  livePending,
  recordKey,
} from '../shared/totp/record';
import { newRecoverySet } from '../shared/totp/recovery';
import type { TotpSettings } from '../shared/totp/settings';
import {
  deleteRecord,
  getRecord,
  putPending,
  replaceRecoveryCodes,
  unlockRecord,
} from '../shared/totp/store';

/** What every command needs. */
export interface TotpAdminOptions {
  readonly table: string;
  readonly keyArn: string;
  readonly userPoolId: string;
  readonly username: string;
  readonly sub: string;
  readonly settings: TotpSettings;
  readonly print: (line: string) => void;
  /** Print the QR code too (enroll). */
  readonly showQr?: boolean;
  readonly now?: () => number;
}

/** The commands of `npm run totp`. */
export const TOTP_COMMANDS = [
  'enroll',
  'status',
  'unlock',
  'reset',
  'recovery-codes',
] as const;
/** One command. */
export type TotpCommand = (typeof TOTP_COMMANDS)[number];

const subjectOf = (options: TotpAdminOptions): TotpSubject => ({
  userPoolId: options.userPoolId,
  sub: options.sub,
  isUnknown: false,
  target: {
    table: options.table,
    key: recordKey({ userPoolId: options.userPoolId, sub: options.sub }),
  },
});

const isoOf = (seconds: number) => new Date(seconds * 1000).toISOString();

function printQr(uri: string, print: (line: string) => void): void {
  const qrcode = createRequire(__filename)('qrcode-terminal') as {
    generate: (
      text: string,
      options: object,
      done: (qr: string) => void,
    ) => void;
  };
  qrcode.generate(uri, { small: true }, (qr) => print(qr));
}

async function enroll(options: TotpAdminOptions): Promise<number> {
  const subject = subjectOf(options);
  const nowSeconds = Math.floor((options.now ?? Date.now)() / 1000);
  const deployment = { keyArn: options.keyArn, settings: options.settings };
  const { pending, material } = await newPending(subject, deployment, {
    origin: 'admin',
    nowSeconds,
  });
  await putPending(subject.target, pending, { nowSeconds, replace: true });
  const uri = enrollmentUri(material, {
    issuer: options.settings.issuer,
    label: options.username,
  });
  options.print(
    `New secret for ${options.username}: active once the user signs in with a code from it.`,
  );
  options.print('Any current secret keeps working until then.');
  options.print(`Expires unused at ${isoOf(pending.expiresAt)}.`);
  options.print(uri);
  if (options.showQr) printQr(uri, options.print);
  options.print('Recovery codes (valid once the new secret is active):');
  for (const code of material.recoveryCodes) options.print(`  ${code}`);
  return 0;
}

async function status(options: TotpAdminOptions): Promise<number> {
  const record = await getRecord(subjectOf(options).target);
  const nowSeconds = Math.floor((options.now ?? Date.now)() / 1000);
  const { active, recovery } = record;
  const pending = livePending(record, nowSeconds);
  options.print(`user: ${options.username} (sub ${options.sub})`);
  options.print(
    active
      ? `active: yes, ${active.algorithm}/${active.digits} digits/${active.period} s, since ${isoOf(active.activatedAt)}`
      : 'active: no',
  );
  options.print(
    pending
      ? `pending: ${pending.origin} enrollment until ${isoOf(pending.expiresAt)}`
      : 'pending: none',
  );
  const legacy =
    recovery && recovery.key === undefined
      ? ' (an older set, not bound to the user: issue a new one with recovery-codes)'
      : '';
  options.print(
    `recovery codes left: ${Object.keys(recovery?.hashes ?? {}).length}${legacy}`,
  );
  options.print(`failures since last success: ${record.failures}`);
  const lockedUntil = record.lockedUntil ?? 0;
  options.print(
    lockedUntil >= LOCKED_UNTIL_RESET
      ? 'locked: until an operator unlocks (too many wrong codes in a row: someone knows the password; reset it in Cognito, then unlock)'
      : lockedUntil > nowSeconds
        ? `locked until: ${isoOf(lockedUntil)}`
        : 'locked: no',
  );
  return 0;
}

async function unlock(options: TotpAdminOptions): Promise<number> {
  const isUnlocked = await unlockRecord(subjectOf(options).target);
  options.print(
    isUnlocked
      ? `unlock: ${options.username} may answer again; the secret and recovery codes are kept.`
      : `${options.username} has no TOTP record: nothing to unlock.`,
  );
  return isUnlocked ? 0 : 1;
}

async function reset(options: TotpAdminOptions): Promise<number> {
  const isDeleted = await deleteRecord(subjectOf(options).target);
  options.print(
    isDeleted
      ? `reset: ${options.username} has no TOTP secret, no recovery codes and no lockout now.`
      : `${options.username} has no TOTP record: nothing to reset.`,
  );
  return isDeleted ? 0 : 1;
}

async function recoveryCodes(options: TotpAdminOptions): Promise<number> {
  if (options.settings.recoveryCodes === 0) {
    options.print(
      'Recovery codes are off in this deployment (totp.recoveryCodes is 0).',
    );
    return 1;
  }
  const codes = generateRecoveryCodes(options.settings.recoveryCodes);
  const subject = subjectOf(options);
  const owner = {
    keyArn: options.keyArn,
    userPoolId: subject.userPoolId,
    sub: subject.sub,
  };
  const isStored = await replaceRecoveryCodes(
    subject.target,
    await newRecoverySet(owner, codes),
  );
  if (!isStored) {
    options.print(
      `${options.username} has no active TOTP secret (enroll first), or an enrollment changed the record meanwhile (try again).`,
    );
    return 1;
  }
  options.print(
    `New recovery codes for ${options.username} (the old ones no longer work):`,
  );
  for (const code of codes) options.print(`  ${code}`);
  return 0;
}

/**
 * Runs one command.
 *
 * @returns the process exit code
 */
export function runTotpCommand(
  command: TotpCommand,
  options: TotpAdminOptions,
): Promise<number> {
  switch (command) {
    case 'enroll':
      return enroll(options);
    case 'status':
      return status(options);
    case 'unlock':
      return unlock(options);
    case 'reset':
      return reset(options);
    case 'recovery-codes':
      return recoveryCodes(options);
  }
}
