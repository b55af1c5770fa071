import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import {
  decidePhone,
  isLineTypeMetadataLoaded,
  loadLineTypeMetadata,
  type PhoneRules,
  parsePhoneNumber,
} from '../../../shared/policy';
import { fromJsonText } from '../../../shared/policy/json-text';

const rules = (overrides: Partial<PhoneRules>): PhoneRules => ({
  mode: 'off',
  countries: [],
  shadow: false,
  ...overrides,
});

describe('parsePhoneNumber', () => {
  it('parses an E.164 number into country, calling code and prefix', () => {
    // Act
    const phone = parsePhoneNumber('+4915112345678');

    // Assess
    expect(phone).toEqual({
      e164: '+4915112345678',
      country: 'DE',
      callingCode: '49',
      prefix: '+491511234',
    });
  });

  it('tolerates spaces and dashes but guesses no country without +', () => {
    // Act
    const spaced = parsePhoneNumber(' +1 202-555-0100 ');
    const national = parsePhoneNumber('2025550100');

    // Assess
    expect(spaced?.e164).toBe('+12025550100');
    expect(spaced?.country).toBe('US');
    expect(national).toBeUndefined();
  });

  it('gives a possible number outside known ranges the main country of its code', () => {
    // Act
    const drama = parsePhoneNumber('+447700900123');

    // Assess
    expect(drama?.country).toBe('GB');
  });

  it('marks non-geographic numbers as 001', () => {
    // Act
    const freephone = parsePhoneNumber('+80012345678');

    // Assess
    expect(freephone?.country).toBe('001');
  });

  it.each([
    null,
    undefined,
    '',
    '+',
    'abc',
    '+99999',
    '+447700900123 ext. 5',
    `+44${'7'.repeat(100)}`,
    '+４４７７００９００１２３',
    '+4900000',
    '+49 0151 12345678',
    // Possible in Austria, but a short number: not a subscriber's phone.
    '+430000',
  ])('refuses %j as not a phone number', (raw) => {
    // Act
    const phone = parsePhoneNumber(raw);

    // Assess
    expect(phone).toBeUndefined();
  });
});

describe('decidePhone', () => {
  const de = parsePhoneNumber('+4915112345678');
  if (de === undefined) throw new Error('fixture number must parse');

  it('allows everything when the rule is off', () => {
    // Act
    const decision = decidePhone(de, rules({ countries: ['DE'] }));

    // Assess
    expect(decision).toEqual({ outcome: 'allow' });
  });

  it('denies a listed country in deny mode and an unlisted one in allow mode', () => {
    // Act
    const denied = decidePhone(de, rules({ mode: 'deny', countries: ['DE'] }));
    const notAllowed = decidePhone(
      de,
      rules({ mode: 'allow', countries: ['AT'] }),
    );
    const allowed = decidePhone(
      de,
      rules({ mode: 'allow', countries: ['DE'] }),
    );

    // Assess
    expect(denied).toEqual({ outcome: 'deny', reason: 'country_denied' });
    expect(notAllowed).toEqual({
      outcome: 'deny',
      reason: 'country_not_allowed',
    });
    expect(allowed).toEqual({ outcome: 'allow' });
  });

  it('only reports in shadow mode', () => {
    // Act
    const decision = decidePhone(
      de,
      rules({ mode: 'deny', countries: ['DE'], shadow: true }),
    );

    // Assess
    expect(decision).toEqual({
      outcome: 'would-deny',
      reason: 'country_denied',
    });
  });

  it('applies a line-type rule once the line-type metadata is loaded', async () => {
    // Prepare
    await loadLineTypeMetadata();
    const mobileOnly = rules({ lineTypes: ['MOBILE'] });

    // Act
    const mobile = parsePhoneNumber('+4915112345678');
    const landline = parsePhoneNumber('+493012345678');

    // Assess
    expect(isLineTypeMetadataLoaded()).toBe(true);
    expect(mobile?.lineType).toBe('MOBILE');
    expect(landline?.lineType).toBe('FIXED_LINE');
    expect(mobile && decidePhone(mobile, mobileOnly)).toEqual({
      outcome: 'allow',
    });
    expect(landline && decidePhone(landline, mobileOnly)).toEqual({
      outcome: 'deny',
      reason: 'line_type_not_allowed',
    });
  });

  it.each(['+12025550123', '+14155550123', '+16135550123'])(
    'lets %s, which could be mobile or fixed (+1), pass a MOBILE or FIXED_LINE rule',
    async (raw) => {
      // Prepare
      await loadLineTypeMetadata();
      const phone = parsePhoneNumber(raw);

      // Act
      const ruleSets: PhoneRules['lineTypes'][] = [
        ['MOBILE'],
        ['FIXED_LINE'],
        ['VOIP'],
      ];
      const decisions = ruleSets.map(
        (lineTypes) => phone && decidePhone(phone, rules({ lineTypes })),
      );

      // Assess
      expect(phone?.lineType).toBe('FIXED_LINE_OR_MOBILE');
      expect(decisions).toEqual([
        { outcome: 'allow' },
        { outcome: 'allow' },
        { outcome: 'deny', reason: 'line_type_not_allowed' },
      ]);
    },
  );
});

describe('fromJsonText', () => {
  const require = createRequire(import.meta.url);

  it('reads the metadata text esbuild embeds (export default + JSON)', () => {
    // Prepare
    const file = require.resolve('libphonenumber-js/metadata.min.json');
    const text = readFileSync(file.replace(/\.json$/, '.json.js'), 'utf8');

    // Act
    const parsed = fromJsonText(text);

    // Assess
    expect(parsed).toEqual(require('libphonenumber-js/metadata.min.json'));
  });

  it('reads plain JSON text and passes parsed values through', () => {
    // Act
    const fromText = fromJsonText('["a.example"]');
    const passed = fromJsonText(['b.example']);

    // Assess
    expect(fromText).toEqual(['a.example']);
    expect(passed).toEqual(['b.example']);
  });
});
