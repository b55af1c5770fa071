import { readFileSync } from 'node:fs';
import path from 'node:path';
import { trackSecret } from './secrets';

export * from './fixture-user';

const FIXTURES = path.resolve(__dirname, '..', 'fixtures', 'events');

/**
 * Loads a fixture event as a fresh copy, and registers its secrets (code,
 * phone number, email address, challenge answer) with the log capture.
 *
 * @param key - the function key, e.g. `customSmsSender`
 * @param name - the case, e.g. `sign-up`
 */
export function loadEvent<T = Record<string, any>>(
  key: string,
  name: string,
): T {
  const event = JSON.parse(
    readFileSync(path.join(FIXTURES, key, `${name}.json`), 'utf8'),
  ) as { request?: Record<string, any> };
  const request = event.request ?? {};
  trackSecret(
    request.code,
    request.challengeAnswer,
    request.userAttributes?.phone_number,
    request.userAttributes?.email,
  );
  if (key === 'customSmsSender') trackSecret(senderPlaintexts()[name]);
  return structuredClone(event) as T;
}

/** Plaintext codes and temporary passwords of the sender fixtures. */
export function senderPlaintexts(): Record<string, string> {
  return JSON.parse(
    readFileSync(
      path.join(FIXTURES, 'customSmsSender', '_plaintexts.json'),
      'utf8',
    ),
  ) as Record<string, string>;
}
