/**
 * Domain names and domain lists. Everything is compared in its ASCII
 * (punycode) form, lower case, without a trailing dot, so `Bücher.DE.` and
 * `xn--bcher-kva.de` are the same domain.
 */
import { once } from '../lazy';

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
/**
 * What a domain may be written with before IDNA: letters, marks and digits
 * of any script, hyphens, the dots IDNA maps to `.`, and the characters
 * IDNA2008 allows in context (the joiners ZWNJ and ZWJ, the middle dots of
 * Catalan and Japanese, the Greek keraia, the Hebrew geresh and
 * gershayim: `col·legi.cat`, `ゲーム・ニュース.jp`). Everything else is
 * refused rather than handed to the URL host parser, which would otherwise
 * decide on a different string than the one stored: it cuts the host at
 * `/ ? # \`, drops tabs and line breaks, and reads `0x7f.1` as an IPv4
 * address.
 * Built on first use: V8 takes about 0.7 ms to build and compile its Unicode
 * classes, and every function imports this module through the settings
 * schemas while only Pre Sign-up and the sender check domains.
 */
const domainText = once(
  () =>
    /^(?:[\p{L}\p{M}\p{N}.\u3002\uFF0E\uFF61\u00B7\u0375\u05F3\u05F4\u30FB\u200C-]|\u200D)+$/u,
);
const NUMERIC = /^\d+$/;
const MAX_DOMAIN = 253;
const WILDCARD = '*.';

/**
 * Normalizes a domain name to lower-case ASCII (IDN → punycode).
 *
 * @param raw - a domain, possibly Unicode, possibly hostile
 * @returns the normalized domain, or `undefined` when it is not a valid
 *   host name with at least two labels (an IP address is none)
 */
export function normalizeDomain(raw: string): string | undefined {
  if (raw.length === 0 || raw.length > 4 * MAX_DOMAIN) return undefined;
  // node:url loads on first use (every function imports the settings
  // schemas; only some ever check a domain).
  const text = raw.trim().replace(/\.$/, '');
  if (!domainText().test(text)) return undefined;
  const { domainToASCII } = process.getBuiltinModule('node:url');
  const ascii = domainToASCII(text);
  if (ascii.length === 0 || ascii.length > MAX_DOMAIN) return undefined;
  const labels = ascii.split('.');
  if (labels.length < 2) return undefined;
  // No top-level domain is all digits: such a name is an IPv4 address.
  if (NUMERIC.test(labels[labels.length - 1] ?? '')) return undefined;
  return labels.every((label) => LABEL.test(label)) ? ascii : undefined;
}

/**
 * Normalizes a configured domain pattern: `example.com` (that domain only)
 * or `*.example.com` (every subdomain, at any depth, not the domain itself).
 *
 * @param raw - the pattern from suite.json
 * @returns the normalized pattern, or `undefined` when invalid
 */
export function normalizeDomainPattern(raw: string): string | undefined {
  const trimmed = raw.trim();
  const isWildcard = trimmed.startsWith(WILDCARD);
  const domain = normalizeDomain(isWildcard ? trimmed.slice(2) : trimmed);
  if (domain === undefined) return undefined;
  return isWildcard ? `${WILDCARD}${domain}` : domain;
}

interface CompiledList {
  readonly exact: ReadonlySet<string>;
  readonly parents: ReadonlySet<string>;
}

const compiled = new WeakMap<readonly string[], CompiledList>();

function compile(patterns: readonly string[]): CompiledList {
  const cached = compiled.get(patterns);
  if (cached) return cached;
  const exact = new Set<string>();
  const parents = new Set<string>();
  for (const pattern of patterns) {
    if (pattern.startsWith(WILDCARD)) parents.add(pattern.slice(2));
    else exact.add(pattern);
  }
  const list = { exact, parents };
  compiled.set(patterns, list);
  return list;
}

/**
 * Whether a normalized domain matches a list of normalized patterns. The
 * list is compiled into sets once (cached per list), so a lookup costs one
 * set probe per label of the domain.
 *
 * @param domain - a domain from {@link normalizeDomain}
 * @param patterns - patterns from {@link normalizeDomainPattern}
 */
export function matchesDomainList(
  domain: string,
  patterns: readonly string[],
): boolean {
  if (patterns.length === 0) return false;
  const list = compile(patterns);
  if (list.exact.has(domain)) return true;
  let dot = domain.indexOf('.');
  while (dot !== -1) {
    if (list.parents.has(domain.slice(dot + 1))) return true;
    dot = domain.indexOf('.', dot + 1);
  }
  return false;
}
