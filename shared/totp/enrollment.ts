import {
  generateOtpSecret,
  type OtpParameters,
  otpauthUri,
} from '../crypto/otp';
import {
  generateRecoveryCodes,
  hashRecoveryCodes,
} from '../crypto/otp-recovery';
import { TriggerError } from '../errors';
import type { TotpDeployment, TotpSubject } from './context';
import type { PendingSecret } from './record';
import { openSecret, type SecretOwner, sealSecret } from './secret-box';
import { getRecord, putPending } from './store';

/**
 * Enrollment: a new secret starts as `pending` and becomes active only when
 * a code from it is verified. The recovery codes shown with it are stored
 * hashed; their plaintext is kept KMS-encrypted in the pending secret only,
 * so a retried Create shows the same ones, and is dropped on activation.
 */

/** A pending secret in the clear, for the user or the operator. */
export interface EnrollmentMaterial {
  readonly secret: string;
  readonly parameters: OtpParameters;
  readonly recoveryCodes: readonly string[];
}

const ownerOf = (
  subject: TotpSubject,
  deployment: Pick<TotpDeployment, 'keyArn'>,
): SecretOwner => ({
  keyArn: deployment.keyArn,
  userPoolId: subject.userPoolId,
  sub: subject.sub,
});

/** What {@link newPending} needs besides the subject. */
export interface NewPendingOptions {
  readonly origin: 'self' | 'admin';
  readonly nowSeconds: number;
}

/**
 * Creates (but does not store) a pending secret with fresh recovery codes.
 *
 * @returns the record entry and its plaintext
 */
export async function newPending(
  subject: TotpSubject,
  deployment: Pick<TotpDeployment, 'keyArn' | 'settings'>,
  options: NewPendingOptions,
): Promise<{ pending: PendingSecret; material: EnrollmentMaterial }> {
  const { settings } = deployment;
  const parameters: OtpParameters = {
    algorithm: settings.algorithm,
    digits: settings.digits,
    period: settings.period,
  };
  const secret = generateOtpSecret(parameters.algorithm);
  const recoveryCodes = generateRecoveryCodes(settings.recoveryCodes);
  const owner = ownerOf(subject, deployment);
  const [ct, rct, recovery] = await Promise.all([
    sealSecret(owner, secret),
    sealSecret(owner, recoveryCodes.join(' ')),
    hashRecoveryCodes(recoveryCodes),
  ]);
  const ttl =
    options.origin === 'self'
      ? settings.selfEnrollmentTtlSeconds
      : settings.adminEnrollmentTtlSeconds;
  const pending: PendingSecret = {
    ct,
    rct,
    recovery: recoveryCodes.length > 0 ? recovery : undefined,
    ...parameters,
    origin: options.origin,
    expiresAt: options.nowSeconds + ttl,
  };
  return { pending, material: { secret, parameters, recoveryCodes } };
}

/**
 * Decrypts a stored pending secret and its recovery codes.
 *
 * @throws DependencyError when a ciphertext does not open
 */
export async function openPending(
  subject: TotpSubject,
  deployment: Pick<TotpDeployment, 'keyArn'>,
  pending: PendingSecret,
): Promise<EnrollmentMaterial> {
  const owner = ownerOf(subject, deployment);
  const [secret, codes] = await Promise.all([
    openSecret(owner, pending.ct),
    pending.rct ? openSecret(owner, pending.rct) : Promise.resolve(''),
  ]);
  const { algorithm, digits, period } = pending;
  return {
    secret,
    parameters: { algorithm, digits, period },
    recoveryCodes: codes.split(' ').filter((code) => code.length > 0),
  };
}

/**
 * The self-enrollment secret of this sign-in: the live one if a (retried)
 * Create already stored it, else a new one. Two concurrent Creates agree on
 * the one stored first.
 */
export async function ensureSelfPending(
  subject: TotpSubject,
  deployment: TotpDeployment,
  current: PendingSecret | undefined,
): Promise<EnrollmentMaterial> {
  if (current?.origin === 'self') {
    return openPending(subject, deployment, current);
  }
  const nowSeconds = Math.floor(deployment.now() / 1000);
  const created = await newPending(subject, deployment, {
    origin: 'self',
    nowSeconds,
  });
  const isStored = await putPending(subject.target, created.pending, {
    nowSeconds,
    replace: false,
  });
  if (isStored) return created.material;
  const winner = (await getRecord(subject.target)).pending;
  if (!winner) throw new TriggerError('pending secret vanished');
  return openPending(subject, deployment, winner);
}

/**
 * The `otpauth://` URI of enrollment material.
 *
 * @param material - the secret and its parameters
 * @param options - issuer and account label
 */
export function enrollmentUri(
  material: EnrollmentMaterial,
  options: { issuer: string; label: string },
): string {
  return otpauthUri({
    issuer: options.issuer,
    label: options.label,
    secret: material.secret,
    parameters: material.parameters,
  });
}
