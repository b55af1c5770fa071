/**
 * The maintained disposable-mailbox list (npm `disposable-email-domains-js`,
 * about 9,000 domains, 171 kB of text). It is loaded on first use, only
 * when `policy.disposable.mode` is `deny`: the shipped default pays neither
 * the parse nor the set construction at cold start (see README
 * "Sign-up policy" for the measured cost).
 */

import { fromJsonText } from './json-text';

let domains: Promise<ReadonlySet<string>> | undefined;

/**
 * Loads the disposable-domain list as a set (once per process).
 *
 * @returns the lower-case domains
 */
export function loadDisposableDomains(): Promise<ReadonlySet<string>> {
  domains ??= import('./disposable-list.chunk').then(
    ({ default: list }) => new Set(fromJsonText<string[]>(list)),
  );
  return domains;
}
