import type { Authenticator } from './totp-authenticator';

/**
 * Codes for integration tests that must not match by chance. The server
 * accepts steps T−1…T+1 of the time it reads its clock, which may be one
 * step boundary later than the test's: every step it may accept lies in
 * −2…+2 of the test's time. Two 6-digit codes of different steps (or
 * secrets) are equal once in a million, so a "wrong" code picked at random,
 * or a right code of the wrong secret, is sometimes accepted.
 */

/** Steps (relative to the test's time) the server may judge an answer in. */
const NEAR = [-2, -1, 0, 1, 2];

/** The codes `app` shows for the steps near `now`, but `except` one. */
function nearCodes(app: Authenticator, now: number, except?: number) {
  return NEAR.filter((offset) => offset !== except).map((offset) =>
    app.code(offset, now),
  );
}

/**
 * A code of `app`'s own length that none of the steps it may be judged in
 * shows: wrong for certain, even if a step boundary passes before the server
 * reads its clock. It is `app`'s code of the step `offset` away (a real
 * code of another time), or of the first step further out whose code is
 * not near.
 *
 * @param offset - a step outside −2…+2, e.g. 10
 */
export function wrongCode(
  app: Authenticator,
  offset: number,
  now = Date.now(),
): string {
  if (Math.abs(offset) <= 2)
    throw new Error(`offset ${offset} lies in the steps a code is judged in`);
  const near = new Set(nearCodes(app, now));
  const outwards = Math.sign(offset);
  for (let step = offset; ; step += outwards) {
    const code = app.code(step, now);
    if (!near.has(code)) return code;
  }
}

/**
 * `app`'s code for the first of `offsets` (steps from now) that matches
 * only that step: no other near step of `app`, and no near step of any of
 * `others` (another secret the server compares it with), shows the same
 * code. The server then accepts it for that secret and step, or refuses it,
 * never by chance matching a neighbour.
 *
 * @param offsets - steps in order of preference, e.g. `[0, -1]`
 * @param others - authenticators whose codes it must differ from
 */
export function distinctCode(
  app: Authenticator,
  offsets: readonly number[],
  others: readonly Authenticator[] = [],
  now = Date.now(),
): string {
  for (const offset of offsets) {
    const code = app.code(offset, now);
    const taken = [
      ...nearCodes(app, now, offset),
      ...others.flatMap((other) => nearCodes(other, now)),
    ];
    if (!taken.includes(code)) return code;
  }
  throw new Error(`every code of steps ${offsets.join(', ')} is ambiguous`);
}
