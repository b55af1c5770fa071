const TAG = /^[A-Za-z]{2,8}([-_][A-Za-z0-9]{1,8}){0,4}$/;

function matchOne(
  candidate: string,
  available: readonly string[],
): string | undefined {
  if (candidate.length > 35 || !TAG.test(candidate)) return undefined;
  const tag = candidate.replace(/_/g, '-').toLowerCase();
  const exact = available.find((locale) => locale.toLowerCase() === tag);
  if (exact !== undefined) return exact;
  const language = tag.split('-')[0];
  return available.find((locale) => locale.toLowerCase() === language);
}

/**
 * Picks the catalogue locale for a request: the first candidate that
 * matches a catalogue locale exactly (case-insensitive, `_` read as `-`) or
 * by its language (`de-AT` → `de`), else the default. Malformed candidates
 * are skipped.
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
  for (const candidate of candidates) {
    if (typeof candidate !== 'string') continue;
    const match = matchOne(candidate.trim(), available);
    if (match !== undefined) return match;
  }
  return fallback;
}
