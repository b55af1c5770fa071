import { normalizeRecoveryCode } from '../crypto/otp-recovery';

/** A classified challenge answer. */
export type Answer =
  | { readonly kind: 'totp'; readonly code: string }
  | { readonly kind: 'recovery'; readonly code: string }
  | { readonly kind: 'malformed' };

const MAX_LENGTH = 32;
const TOTP = /^(?:\d{6}|\d{8})$/;

/**
 * Classifies the client's `challengeAnswer`: a 6- or 8-digit code, a
 * recovery code, or anything else (malformed: empty, non-numeric, too long,
 * JSON, not a string). Never throws.
 *
 * @param answer - `request.challengeAnswer`, untrusted
 */
export function classifyAnswer(answer: unknown): Answer {
  if (typeof answer !== 'string' || answer.length > MAX_LENGTH) {
    return { kind: 'malformed' };
  }
  const trimmed = answer.trim();
  if (TOTP.test(trimmed)) return { kind: 'totp', code: trimmed };
  const recovery = normalizeRecoveryCode(trimmed);
  return recovery
    ? { kind: 'recovery', code: recovery }
    : { kind: 'malformed' };
}
