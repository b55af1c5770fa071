import { randomBytes } from 'node:crypto';
import { HOTP, Secret, TOTP } from 'otpauth';
import { constantTimeEqual } from './constant-time';

/**
 * RFC 6238 time-based one-time passwords, on the maintained `otpauth`
 * library (HMAC and truncation); the comparison, the window and the replay
 * rule are ours.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6238
 */

/** An HMAC algorithm of RFC 6238. */
export type OtpAlgorithm = 'SHA1' | 'SHA256' | 'SHA512';

/** The parameters a TOTP secret is used with. */
export interface OtpParameters {
  readonly algorithm: OtpAlgorithm;
  readonly digits: number;
  readonly period: number;
}

/** Secret sizes RFC 6238 recommends (the HMAC's output length). */
const SECRET_BYTES: Record<OtpAlgorithm, number> = {
  SHA1: 20,
  SHA256: 32,
  SHA512: 64,
};

/**
 * Generates a new random secret for an algorithm, in base32.
 *
 * @param algorithm - the HMAC algorithm the secret will be used with
 */
export function generateOtpSecret(algorithm: OtpAlgorithm): string {
  const bytes = randomBytes(SECRET_BYTES[algorithm]);
  return new Secret({ buffer: new Uint8Array(bytes).buffer }).base32;
}

/**
 * The time step (RFC 6238 `T`) of an instant.
 *
 * @param period - the step length in seconds
 * @param now - the instant in epoch milliseconds
 */
export function timeStepAt(period: number, now: number): number {
  return TOTP.counter({ period, timestamp: now });
}

/**
 * The code of one time step.
 *
 * @param secret - the base32 secret
 * @param parameters - algorithm, digits and period
 * @param step - the time step
 */
export function otpForStep(
  secret: string,
  parameters: OtpParameters,
  step: number,
): string {
  return HOTP.generate({
    secret: Secret.fromBase32(secret),
    algorithm: parameters.algorithm,
    digits: parameters.digits,
    counter: step,
  });
}

/** What {@link matchOtp} needs. */
export interface MatchOtpOptions {
  readonly secret: string;
  readonly parameters: OtpParameters;
  /** The candidate code, already checked to be `digits` digits. */
  readonly code: string;
  /** Steps accepted on each side of the current one. */
  readonly window: number;
  /** Epoch milliseconds. */
  readonly now: number;
}

/**
 * Finds the time step a code belongs to within `T − window … T + window`,
 * comparing every candidate in constant time (no early exit). The caller
 * applies the replay rule: a step at or before the last accepted one is
 * never accepted again (RFC 6238 §5.2).
 *
 * @returns the latest matching step, or `undefined`
 */
export function matchOtp(options: MatchOtpOptions): number | undefined {
  const { secret, parameters, code, window, now } = options;
  const current = timeStepAt(parameters.period, now);
  let matched: number | undefined;
  for (let step = current - window; step <= current + window; step += 1) {
    const isEqual = constantTimeEqual(
      code,
      otpForStep(secret, parameters, step),
    );
    if (isEqual) matched = step;
  }
  return matched;
}

/**
 * The `otpauth://totp/` key URI authenticator apps read (from text or QR).
 *
 * @param options - issuer, account label, secret and parameters
 * @see https://github.com/google/google-authenticator/wiki/Key-Uri-Format
 */
export function otpauthUri(options: {
  issuer: string;
  label: string;
  secret: string;
  parameters: OtpParameters;
}): string {
  return new TOTP({
    issuer: options.issuer,
    label: options.label,
    secret: Secret.fromBase32(options.secret),
    ...options.parameters,
  }).toString();
}
