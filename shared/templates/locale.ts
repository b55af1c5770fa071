// A BCP 47 tag or a POSIX locale name (`de_AT`), read up to eight subtags;
// a POSIX name's `.charset` and `@modifier` (`de_AT.UTF-8`, `de_DE@euro`)
// are dropped first.
const TAG = /^[A-Za-z]{2,8}([-_][A-Za-z0-9]{1,8}){0,7}$/;
const POSIX_SUFFIX = /(?:\.[A-Za-z0-9-]{1,16})?(?:@[A-Za-z0-9]{1,16})?$/;
const MAX_CANDIDATE = 64;

function matchOne(
  candidate: string,
  available: readonly string[],
): string | undefined {
  if (candidate.length > MAX_CANDIDATE) return undefined;
  const bare = candidate.replace(POSIX_SUFFIX, '');
  if (!TAG.test(bare)) return undefined;
  const tag = bare.replace(/_/g, '-').toLowerCase();
  const exact = available.find((locale) => locale.toLowerCase() === tag);
  if (exact !== undefined) return exact;
  const language = tag.split('-')[0];
  return available.find((locale) => locale.toLowerCase() === language);
}

/**
 * Picks the catalogue locale for a request: the first candidate that
 * matches a catalogue locale exactly (case-insensitive, `_` read as `-`) or
 * by its language (`de-AT` → `de`, `de_AT.UTF-8` → `de`), else the default.
 * Malformed candidates are skipped.
 *
 * @param candidates - locale tags in priority order; empty entries skipped
 * @param available - the catalogue's locales
 * @param fallback - the default locale
 * @example
 * resolveLocale(['de-AT'], ['en', 'de'], 'en'); // 'de'
 */
export function resolveLocale(
  candidates: ReadonlyArray<string | null | undefined>,
  available: readonly string[],
  fallback: string,
): string {
  return matchLocale(candidates, available) ?? fallback;
}

/**
 * The catalogue locale the first matching candidate names, as
 * {@link resolveLocale} picks it, or `undefined` when none matches.
 *
 * @param candidates - locale tags in priority order; empty entries skipped
 * @param available - the catalogue's locales
 */
export function matchLocale(
  candidates: ReadonlyArray<string | null | undefined>,
  available: readonly string[],
): string | undefined {
  for (const candidate of candidates) {
    if (typeof candidate !== 'string') continue;
    const match = matchOne(candidate.trim(), available);
    if (match !== undefined) return match;
  }
  return undefined;
}

/**
 * Whether the request names a locale at all (a non-blank candidate): when
 * it does and the message is sent in another one, that is a fallback worth
 * logging.
 *
 * @param candidates - the request's locale candidates
 */
export function namesLocale(
  candidates: ReadonlyArray<string | null | undefined>,
): boolean {
  return candidates.some(
    (candidate) => typeof candidate === 'string' && candidate.trim() !== '',
  );
}
