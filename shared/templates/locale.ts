// A BCP 47 tag or a POSIX locale name (`de_AT`), read up to sixteen
// subtags (the length cap bounds the work); a POSIX name's `.charset` and
// `@modifier` (`de_AT.UTF-8`, `de_DE@euro`) are dropped first.
const TAG = /^[A-Za-z]{2,8}([-_][A-Za-z0-9]{1,8}){0,15}$/;
const POSIX_SUFFIX = /(?:\.[A-Za-z0-9-]{1,16})?(?:@[A-Za-z0-9]{1,16})?$/;
// What is left of a name in no form above (an ICU keyword list,
// `de_DE@calendar=gregorian`): its language, when one leads it.
const LANGUAGE = /^([A-Za-z]{2,3})(?:[-_.@]|$)/;
const MAX_CANDIDATE = 64;

function tagOf(candidate: string): string | undefined {
  const bare = candidate.replace(POSIX_SUFFIX, '');
  if (TAG.test(bare)) return bare.replace(/_/g, '-').toLowerCase();
  return LANGUAGE.exec(candidate)?.[1]?.toLowerCase();
}

/**
 * RFC 4647 lookup: the tag itself, then the tag with its last subtag
 * dropped, and so on (`zh-Hant-TW` → `zh-Hant` → `zh`); an extension's
 * singleton (`-u-`, `-x-`) goes with the subtag after it.
 */
function matchOne(
  candidate: string,
  available: readonly string[],
): string | undefined {
  if (candidate.length > MAX_CANDIDATE) return undefined;
  const tag = tagOf(candidate);
  if (tag === undefined) return undefined;
  const lower = available.map((locale) => locale.toLowerCase());
  let subtags = tag.split('-');
  while (subtags.length > 0) {
    const index = lower.indexOf(subtags.join('-'));
    if (index >= 0) return available[index];
    subtags = subtags.slice(0, -1);
    if (subtags.length > 1 && subtags.at(-1)?.length === 1) {
      subtags = subtags.slice(0, -1);
    }
  }
  return undefined;
}

/**
 * Picks the catalogue locale for a request: the first candidate that
 * matches a catalogue locale exactly (case-insensitive, `_` read as `-`) or
 * by a shorter form of its tag (`de-AT` → `de`, `de_AT.UTF-8` → `de`,
 * `zh-Hant-TW` → `zh-Hant`), else the default. Candidates with no readable
 * language are skipped.
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
