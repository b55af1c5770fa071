import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MESSAGE_KINDS } from '../../shared/events';
import { smsEncodingOf } from '../../shared/templates';
import { readBundledCatalogue } from '../../shared/templates/bundled';
import { loadTemplates } from '../../shared/templates/load';
import { LIMITS, maxSegmentsOf } from '../../shared/templates/rules';
import { templateSettingsSchema } from '../../shared/templates/settings';
import type { Channel } from '../../shared/templates/types';

// The shipped catalogue plus overrides that put attributes into SMS (GSM-7
// and UCS-2), so the properties also cover attribute folding and clipping.
const settings = templateSettingsSchema.parse({});
const files = new Map<string, unknown>([
  ...readBundledCatalogue(settings.locales),
  [
    'overrides.json',
    {
      all: {
        en: {
          Authentication: {
            sms: 'Hi {given_name|there}, your code is {code}.',
          },
        },
        de: {
          Authentication: { sms: 'Hallo {given_name|du}, dein Code: {code}.' },
        },
      },
      clients: {
        ucs2: {
          en: { SignUp: { sms: 'Привет {given_name|друг}, код {code}' } },
        },
      },
    },
  ],
]);
const { renderer, violations } = loadTemplates(settings, { files });

const COGNITO = {
  code: '{####}',
  username: '{username}',
  link: '{##Click Here##}',
};
const CHANNELS: readonly Channel[] = ['sms', 'emailSubject', 'emailBody'];

const attributeValue = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 300 }),
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.constantFrom(
    '<script>alert(1)</script>',
    '{####}',
    '{##x##}',
    '{username}',
    '"onmouseover="x',
    '\u202Eevil\u0000\r\n',
    '€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€',
    '\u{1F600}'.repeat(100),
  ),
);
const attributes = fc.record(
  {
    given_name: attributeValue,
    family_name: attributeValue,
    locale: fc.string(),
  },
  { requiredKeys: [] },
);
const locale = fc.oneof(
  fc.constantFrom(
    'en',
    'de',
    'de-AT',
    'de_CH',
    'EN-gb',
    'fr',
    '',
    'x'.repeat(50),
  ),
  fc.string(),
  fc.constant(null),
  fc.constant(undefined),
);
const renderArgs = fc.record({
  kind: fc.constantFrom(...MESSAGE_KINDS),
  channel: fc.constantFrom(...CHANNELS),
  locales: fc.array(locale, { maxLength: 3 }),
  clientId: fc.constantFrom(undefined, 'ucs2', 'other'),
  userAttributes: attributes,
});

function count(text: string, needle: string): number {
  return text.split(needle).length - 1;
}

function tagsOf(html: string): Set<string> {
  return new Set(html.match(/<[^>]*>/g) ?? []);
}

describe('rendering (property)', () => {
  it('uses a catalogue that passes every rule', () => {
    // Assess
    expect(violations).toEqual([]);
  });

  it('puts each required placeholder in exactly once', () => {
    fc.assert(
      fc.property(renderArgs, (args) => {
        // Act
        const { text } = renderer.renderMessage({
          ...args,
          placeholders: COGNITO,
        });

        // Assess
        const isBody = args.channel !== 'emailSubject';
        expect(count(text, '{####}')).toBe(isBody ? 1 : 0);
        expect(count(text, '{username}')).toBe(
          isBody && args.kind === 'AdminCreateUser' ? 1 : 0,
        );
        expect(count(text, '{##') - count(text, '{####}')).toBe(0);
      }),
      { numRuns: 400 },
    );
  });

  it('never lets attribute HTML into an email', () => {
    fc.assert(
      fc.property(renderArgs, (args) => {
        // Prepare
        const channel = args.channel === 'sms' ? 'emailBody' : args.channel;
        const safe = renderer.renderMessage({
          ...args,
          channel,
          placeholders: COGNITO,
          userAttributes: { given_name: 'Ada', family_name: 'L' },
        });

        // Act
        const { text } = renderer.renderMessage({
          ...args,
          channel,
          placeholders: COGNITO,
        });

        // Assess
        for (const tag of tagsOf(text))
          expect(tagsOf(safe.text)).toContain(tag);
        expect(text).not.toMatch(/[\p{Cc}\p{Cf}]/u);
      }),
      { numRuns: 400 },
    );
  });

  it('keeps every message within its limits once Cognito fills it in', () => {
    fc.assert(
      fc.property(
        renderArgs,
        fc.stringMatching(/^\d{6,8}$/),
        fc.string({
          unit: fc.constantFrom(...'aZ9^{}[]~|\\€!#`ë', '\u{1D49C}'),
          minLength: 8,
          maxLength: 16,
        }),
        fc.string({
          unit: fc.constantFrom(...'az09._-ëł', '\u{1D49C}'),
          minLength: 1,
          maxLength: 40,
        }),
        (args, code, temporaryPassword, username) => {
          // Act
          const { text } = renderer.renderMessage({
            ...args,
            placeholders: COGNITO,
          });
          const sent = text
            .replace(
              '{####}',
              args.kind === 'AdminCreateUser' ? temporaryPassword : code,
            )
            .replace('{username}', username);

          // Assess
          const chars = [...sent].length;
          if (args.channel === 'sms') {
            expect(chars).toBeLessThanOrEqual(LIMITS.smsChars);
            expect(smsEncodingOf(sent).segments).toBeLessThanOrEqual(
              maxSegmentsOf(args.kind, settings),
            );
          } else if (args.channel === 'emailSubject') {
            expect(chars).toBeGreaterThanOrEqual(1);
            expect(chars).toBeLessThanOrEqual(LIMITS.emailSubjectChars);
          } else {
            expect(chars).toBeLessThanOrEqual(LIMITS.emailBodyChars);
          }
        },
      ),
      { numRuns: 600 },
    );
  });
});
