import { ALLOW, type Decision, refuse } from './decision';
import { matchesDomainList, normalizeDomain } from './domains';
import type { DisposableRules, EmailRules } from './settings';

/** The parts of an email address the policy decides on. */
export interface ParsedEmail {
  /** The domain in lower-case ASCII (IDN → punycode). */
  readonly domain: string;
}

/** RFC 5321: a path is at most 256 octets, so an address at most 254. */
const MAX_ADDRESS = 254;
const MAX_LOCAL = 64;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this rejects
const CONTROL = /[\u0000-\u001f\u007f]/;
// RFC 5322 specials and whitespace: never in an unquoted local part. They
// are what makes `a@evil.example,b@corp.example` or `a@evil.example@corp.example`
// look like an address at corp.example.
const UNQUOTED_FORBIDDEN = /[\s()<>[\]:;@\\,"]/;

// RFC 5322 quoted string: quotes and backslashes inside only escaped.
const QUOTED = /^"(?:[^"\\\r\n]|\\.)*"$/;

function isPlausibleLocalPart(local: string): boolean {
  if (local.length === 0 || local.length > MAX_LOCAL) return false;
  if (CONTROL.test(local)) return false;
  return QUOTED.test(local) || !UNQUOTED_FORBIDDEN.test(local);
}

/**
 * Parses an email address far enough to decide on its domain. `+` tags,
 * quoted local parts and Unicode (IDN) domains are accepted; the domain is
 * normalized to ASCII so lists match either spelling.
 *
 * @param raw - the attribute value, possibly absent or hostile
 * @returns the parsed address, or `undefined` when it is not plausible
 */
export function parseEmail(
  raw: string | null | undefined,
): ParsedEmail | undefined {
  if (typeof raw !== 'string' || raw.length > MAX_ADDRESS) return undefined;
  const at = raw.lastIndexOf('@');
  if (at <= 0) return undefined;
  if (!isPlausibleLocalPart(raw.slice(0, at))) return undefined;
  const domain = normalizeDomain(raw.slice(at + 1));
  return domain === undefined ? undefined : Object.freeze({ domain });
}

/**
 * Decides on an email domain against the deny list and, when the
 * registration mode requires it, the allow list.
 *
 * @param domain - a normalized domain
 * @param rules - the email rules in force
 * @param mustBeAllowed - the registration mode is `allow-listed`
 * @param allowShadow - shadow flag of the allow-list requirement
 * @returns allow, or `email_domain_denied` / `email_domain_not_allowed`
 */
export function decideEmailDomain(
  domain: string,
  rules: EmailRules,
  mustBeAllowed: boolean,
  allowShadow: boolean,
): Decision {
  if (matchesDomainList(domain, rules.deny))
    return refuse('email_domain_denied', rules.shadow);
  if (mustBeAllowed && !matchesDomainList(domain, rules.allow))
    return refuse('email_domain_not_allowed', allowShadow);
  return ALLOW;
}

/**
 * Whether a domain or one of its parent domains (not the top-level one) is
 * on the disposable list.
 *
 * @param domain - a normalized domain
 * @param disposable - the maintained list, as a set
 */
export function isDisposableDomain(
  domain: string,
  disposable: ReadonlySet<string>,
): boolean {
  let candidate = domain;
  let dot = candidate.indexOf('.');
  while (dot !== -1) {
    if (disposable.has(candidate)) return true;
    candidate = candidate.slice(dot + 1);
    dot = candidate.indexOf('.');
  }
  return false;
}

/**
 * Whether the local allow override lists a domain or one of its parent
 * domains (not the top-level one): the same domains the list match tries,
 * so allowing a listed domain allows every subdomain the list refuses
 * because of it.
 *
 * @param domain - a normalized domain
 * @param allow - `policy.disposable.allow`
 */
function isDisposableAllowed(
  domain: string,
  allow: readonly string[],
): boolean {
  if (allow.length === 0) return false;
  let candidate = domain;
  let dot = candidate.indexOf('.');
  while (dot !== -1) {
    if (matchesDomainList(candidate, allow)) return true;
    candidate = candidate.slice(dot + 1);
    dot = candidate.indexOf('.');
  }
  return false;
}

/**
 * Decides on a domain against the disposable-mailbox list, unless the local
 * allow override lists it or a parent domain of it.
 *
 * @param domain - a normalized domain
 * @param rules - `policy.disposable`
 * @param disposable - the list, from `loadDisposableDomains()`
 * @returns allow, or `email_disposable`
 */
export function decideDisposable(
  domain: string,
  rules: DisposableRules,
  disposable: ReadonlySet<string>,
): Decision {
  if (rules.mode === 'off') return ALLOW;
  if (!isDisposableDomain(domain, disposable)) return ALLOW;
  return isDisposableAllowed(domain, rules.allow)
    ? ALLOW
    : refuse('email_disposable', rules.shadow);
}
