/**
 * Registrable domains, by the ICANN section of the Public Suffix List
 * (tldts-icann, in a lazy chunk: only a per-email-domain limit needs it, so
 * only Pre Sign-up bundles it, and loads it on first use).
 */

type PublicSuffixList = typeof import('./registrable-domain.chunk');

let publicSuffixList: PublicSuffixList | undefined;

/**
 * The registrable domain of a normalized domain: its public suffix (by the
 * ICANN section of the Public Suffix List) plus one label, so
 * `a.b.evil.co.uk` → `evil.co.uk`. Keys the per-email-domain velocity limit,
 * so that mail from any number of subdomains of one registered domain (each
 * can have its own MX record) counts once. A domain the list has no answer
 * for stays as it is.
 *
 * Private suffixes (`github.io`, `blogspot.com`) are not used: their
 * subdomains rarely receive mail, and counting them together is the safer
 * error for a limit.
 *
 * @param domain - a domain from {@link normalizeDomain}
 * @returns the registrable domain
 * @example
 * registrableDomain('mail.example.co.uk'); // 'example.co.uk'
 */
export function registrableDomain(domain: string): string {
  // The list (a lazy chunk) loads on the first domain a limit needs.
  publicSuffixList ??=
    require('./registrable-domain.chunk') as PublicSuffixList;
  return (
    publicSuffixList.getDomain(domain, { validateHostname: false }) ?? domain
  );
}

/**
 * Loads the Public Suffix List now. For runners that cannot `require` the
 * TypeScript chunk (vitest's setup file); bundles load it on first use.
 * Idempotent.
 */
export async function loadPublicSuffixList(): Promise<void> {
  publicSuffixList ??= await import('./registrable-domain.chunk');
}
