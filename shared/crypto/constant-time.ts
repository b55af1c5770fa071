import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Compares two secrets in constant time. Both sides are hashed first, so
 * inputs of different lengths compare without an early exit and without
 * revealing the expected length.
 *
 * @param a - one value (string or bytes)
 * @param b - the other value
 * @returns whether both are equal
 * @example
 * constantTimeEqual(answer, expectedCode);
 */
export function constantTimeEqual(
  a: string | Uint8Array,
  b: string | Uint8Array,
): boolean {
  const digestA = createHash('sha256').update(a).digest();
  const digestB = createHash('sha256').update(b).digest();
  return timingSafeEqual(digestA, digestB);
}
