import type { MetadataJson } from 'libphonenumber-js/core';
import { ALLOW, type Decision, refuse } from './decision';
import { fromJsonText } from './json-text';
import type { PhoneRules } from './settings';

/** A phone number the policy core can decide on. */
export interface ParsedPhone {
  /** E.164, e.g. `+447700900123`. */
  readonly e164: string;
  /**
   * ISO 3166-1 alpha-2, e.g. `GB`; `001` for non-geographic numbers (+800,
   * +882, ...). For a possible number that the metadata does not know as
   * valid, the main country of its calling code (`+44 7700 900…` → `GB`).
   */
  readonly country: string;
  /** Country calling code without `+`, e.g. `44`. */
  readonly callingCode: string;
  /** `e164` without its last 4 digits: the velocity key of a number range. */
  readonly prefix: string;
  /** libphonenumber type when known (needs the line-type metadata). */
  readonly lineType?: string;
}

/** Longer input is refused before parsing (E.164 is at most 16 chars). */
const MAX_RAW_LENGTH = 64;
const NON_GEOGRAPHIC = '001';

type PhoneLibrary = typeof import('./phone-library.chunk');

let library: PhoneLibrary | undefined;
let loaded: MetadataJson | undefined;
let hasLineTypes = false;

/**
 * libphonenumber-js, from its lazy chunk: required on first use in a bundle
 * (about 130 kB that a Pre Sign-up without phone rules never compiles).
 * Where modules are not bundled (the test runner), {@link loadPhoneLibrary}
 * must have run first.
 */
function phoneLibrary(): PhoneLibrary {
  library ??= require('./phone-library.chunk') as PhoneLibrary;
  return library;
}

/**
 * Loads libphonenumber-js now. The SMS sender calls it at cold start, since
 * every SMS is parsed; the test runner (no bundle, no `require` of
 * TypeScript) calls it before any test. Idempotent.
 */
export async function loadPhoneLibrary(): Promise<void> {
  library ??= await import('./phone-library.chunk');
}

/** Loads libphonenumber-js synchronously if it is not yet (bundles only). */
export function preloadPhoneLibrary(): void {
  phoneLibrary();
}

function metadataOf(): MetadataJson {
  loaded ??= fromJsonText<MetadataJson>(phoneLibrary().minMetadataText);
  return loaded;
}

/**
 * Loads libphonenumber's `max` metadata so {@link parsePhoneNumber} reports
 * `lineType`. Opt-in, because it costs bundle size and cold-start time (see
 * README "Sign-up policy"); call it once before deciding when
 * `policy.phone.lineTypes` is set. Idempotent.
 */
export async function loadLineTypeMetadata(): Promise<void> {
  if (hasLineTypes) return;
  const { default: maxMetadata } = await import('./phone-max-metadata.chunk');
  loaded = fromJsonText<MetadataJson>(maxMetadata);
  hasLineTypes = true;
}

/** Whether {@link loadLineTypeMetadata} has run. */
export function isLineTypeMetadataLoaded(): boolean {
  return hasLineTypes;
}

function mainCountryOf(callingCode: string): string {
  const codes = metadataOf().country_calling_codes[callingCode];
  return codes?.[0] ?? NON_GEOGRAPHIC;
}

/** `+` and seven digits: the shortest subscriber number in E.164. */
const MIN_E164_LENGTH = 8;

/**
 * Parses a phone number in international form (leading `+`; spaces, dashes
 * and brackets are tolerated, but every digit must survive into E.164). No country is guessed, so a number without
 * `+` is not a phone number here. "Possible" numbers (right length for
 * their calling code) parse even when the metadata does not list their range
 * as valid (new allocations, reserved test ranges); their `lineType` is then
 * `UNKNOWN`, which no line-type rule allows.
 *
 * @param raw - the attribute value, possibly absent or hostile
 * @returns the parsed number, or `undefined` when it is not a valid number
 */
export function parsePhoneNumber(
  raw: string | null | undefined,
): ParsedPhone | undefined {
  if (typeof raw !== 'string' || raw.length > MAX_RAW_LENGTH) return undefined;
  const text = raw.trim();
  if (!text.startsWith('+')) return undefined;
  const phone = phoneLibrary().parsePhoneNumberFromString(
    text,
    { extract: false },
    metadataOf(),
  );
  if (!phone?.isPossible() || phone.ext) return undefined;
  const e164 = phone.number;
  // Fewer than seven digits in all (a possible Austrian `+43 0000`) is a
  // short or service number, not a subscriber's phone: and its prefix would
  // be the whole country.
  if (e164.length < MIN_E164_LENGTH) return undefined;
  // Decide on the number that will be used: a parse that dropped or changed
  // digits (a trunk 0 after the country code, full-width digits) is refused.
  if (e164 !== `+${text.replace(/\D/g, '')}`) return undefined;
  const lineType = hasLineTypes ? (phone.getType() ?? 'UNKNOWN') : undefined;
  return Object.freeze({
    e164,
    country: phone.country ?? mainCountryOf(phone.countryCallingCode),
    callingCode: phone.countryCallingCode,
    prefix: e164.slice(0, -4),
    ...(lineType === undefined ? {} : { lineType }),
  });
}

/**
 * Whether a number's line type satisfies a line-type rule. Where
 * libphonenumber cannot tell mobile from fixed line (the whole North
 * American plan, +1, among others) it reports `FIXED_LINE_OR_MOBILE`,
 * which satisfies a rule naming either: otherwise `["MOBILE"]` would
 * refuse every US and Canadian number.
 *
 * @param lineType - the number's type, from {@link parsePhoneNumber}
 * @param allowed - `policy.phone.lineTypes`
 */
function isLineTypeAllowed(
  lineType: string | undefined,
  allowed: readonly string[],
): boolean {
  if (lineType === undefined) return false;
  if (allowed.includes(lineType)) return true;
  return (
    lineType === 'FIXED_LINE_OR_MOBILE' &&
    (allowed.includes('MOBILE') || allowed.includes('FIXED_LINE'))
  );
}

/**
 * Decides on a parsed number: country allow or deny list, then the optional
 * line-type rule (an unknown line type does not pass a line-type rule; a
 * `FIXED_LINE_OR_MOBILE` one passes a rule naming `MOBILE` or
 * `FIXED_LINE`).
 *
 * @param phone - from {@link parsePhoneNumber}
 * @param rules - `policy.phone`
 * @returns allow, or deny / would-deny (`rules.shadow`) with
 *   `country_not_allowed`, `country_denied` or `line_type_not_allowed`
 */
export function decidePhone(phone: ParsedPhone, rules: PhoneRules): Decision {
  const listed = rules.countries.includes(phone.country);
  if (rules.mode === 'allow' && !listed)
    return refuse('country_not_allowed', rules.shadow);
  if (rules.mode === 'deny' && listed)
    return refuse('country_denied', rules.shadow);
  if (
    rules.lineTypes !== undefined &&
    !isLineTypeAllowed(phone.lineType, rules.lineTypes)
  )
    return refuse('line_type_not_allowed', rules.shadow);
  return ALLOW;
}
