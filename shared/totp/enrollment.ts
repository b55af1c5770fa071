import { createHash } from 'node:crypto';
import {
  generateOtpSecret,
  type OtpParameters,
  otpauthUri,
} from '../crypto/otp';
import { generateRecoveryCodes } from '../crypto/otp-recovery';
import { TriggerError } from '../errors';
import type { TotpDeployment, TotpSubject } from './context';
import type { PendingSecret } from './record';
import { newRecoverySet } from './recovery';
import { openSecret, type SecretOwner, sealSecret } from './secret-box';
import { putPending } from './store';

/**
 * Enrollment: a new secret starts as `pending` and becomes active only when
 * a code from it is verified. The recovery codes shown with it are stored
 * hashed. Only a self-enrollment also keeps their plaintext, KMS-encrypted
 * in the pending secret, so that the session's next enrollment round (after
 * a mistyped code) shows the same codes again; it is dropped on activation.
 * An operator's `enroll` prints the codes once and keeps only the hashes.
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
  const hasCodes = recoveryCodes.length > 0;
  // KMS refuses an empty plaintext: no codes, nothing to seal.
  const isShownAgain = hasCodes && options.origin === 'self';
  const [ct, rct, recovery] = await Promise.all([
    sealSecret(owner, secret),
    isShownAgain ? sealSecret(owner, recoveryCodes.join(' ')) : undefined,
    hasCodes ? newRecoverySet(owner, recoveryCodes) : undefined,
  ]);
  const ttl =
    options.origin === 'self'
      ? settings.selfEnrollmentTtlSeconds
      : settings.adminEnrollmentTtlSeconds;
  const pending: PendingSecret = {
    ct,
    ...(rct === undefined ? {} : { rct }),
    recovery,
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
 * The tag that binds an enrollment round to the pending secret its Create
 * showed: Verify's enrollment round accepts a code only from the pending
 * secret with this tag (not secret: a digest of the ciphertext).
 *
 * @param pending - the pending secret
 */
export function pendingTag(pending: Pick<PendingSecret, 'ct'>): string {
  return createHash('sha256')
    .update(pending.ct)
    .digest('base64url')
    .slice(0, 22);
}

/**
 * The self-enrollment secret of this sign-in. The session's previous
 * enrollment round (its tag in `challengeMetadata`) gets the same secret
 * again, so a mistyped code does not mean a new QR code. Any other round
 * gets a fresh one, stored in place of any earlier self-enrollment: handing
 * a stored secret to whichever session asks would give a second session
 * with the password the same secret and recovery codes, silently. A retried
 * Create replaces the first one, whose challenge the client never sees.
 *
 * @param shownTag - the tag of the secret this session was shown, if any
 * @returns the material to show and the tag of the stored pending secret
 * @throws TriggerError when the user meanwhile got an active secret or an
 *   operator's enrollment (the sign-in fails; the next one sees it)
 */
export async function selfPendingFor(
  subject: TotpSubject,
  deployment: TotpDeployment,
  current: PendingSecret | undefined,
  shownTag: string | undefined,
): Promise<{ material: EnrollmentMaterial; tag: string }> {
  if (
    current?.origin === 'self' &&
    shownTag !== undefined &&
    pendingTag(current) === shownTag
  ) {
    return {
      material: await openPending(subject, deployment, current),
      tag: shownTag,
    };
  }
  const nowSeconds = Math.floor(deployment.now() / 1000);
  const created = await newPending(subject, deployment, {
    origin: 'self',
    nowSeconds,
  });
  const isStored = await putPending(subject.target, created.pending, {
    nowSeconds,
    replace: 'self',
  });
  if (!isStored) throw new TriggerError('enrollment raced an activation');
  return { material: created.material, tag: pendingTag(created.pending) };
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
