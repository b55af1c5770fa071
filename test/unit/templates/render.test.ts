import { describe, expect, it } from 'vitest';
import {
  renderMessage,
  renderSms,
  TemplateError,
} from '../../../shared/templates';
import { readBundledCatalogue } from '../../../shared/templates/bundled';
import { loadTemplates } from '../../../shared/templates/load';
import { templateSettingsSchema } from '../../../shared/templates/settings';
import type { RenderRequest } from '../../../shared/templates/types';

const COGNITO = {
  code: '{####}',
  username: '{username}',
  link: '{##Click Here##}',
};

function request(overrides: Partial<RenderRequest> = {}): RenderRequest {
  return {
    kind: 'SignUp',
    channel: 'sms',
    locales: ['en'],
    placeholders: COGNITO,
    userAttributes: {},
    ...overrides,
  };
}

function rendererWith(
  settings: Record<string, unknown>,
  files?: Map<string, unknown>,
) {
  const parsed = templateSettingsSchema.parse(settings);
  const loaded = loadTemplates(parsed, {
    files: files ?? readBundledCatalogue(parsed.locales),
  });
  return loaded;
}

describe('renderMessage', () => {
  it('inserts the placeholders the request carries, not hard-coded ones', () => {
    // Act
    const { text } = renderMessage(request({ placeholders: { code: '####' } }));

    // Assess
    expect(text).toBe(
      'Your verification code is ####. It is valid for 24 hours.',
    );
  });

  it('resolves de-AT to the German catalogue', () => {
    // Act
    const result = renderMessage(request({ locales: ['de-AT'] }));

    // Assess
    expect(result.locale).toBe('de');
    expect(result.text).toContain('Bestätigungscode lautet {####}');
  });

  it('falls back to the default locale for an unknown one, and says so', () => {
    // Act
    const result = renderMessage(request({ locales: ['fr-FR', 'xx'] }));

    // Assess
    expect(result.locale).toBe('en');
    expect(result.isLocaleFallback).toBe(true);
  });

  it.each([
    ['no locale', []],
    ['blank locales', ['', '  ', null, undefined]],
    ['the default locale', ['en-GB']],
    ['a catalogue locale', ['de-AT']],
    ['a later catalogue locale', ['xx', 'de']],
  ])('is no fallback for %s', (_name, locales) => {
    // Act
    const result = renderMessage(request({ locales }));

    // Assess
    expect(result.isLocaleFallback).toBe(false);
  });

  it('HTML-escapes attributes in email bodies and subjects', () => {
    // Prepare
    const userAttributes = { given_name: '<img src=x onerror=alert(1)>{####}' };

    // Act
    const { text } = renderMessage(
      request({ channel: 'emailBody', userAttributes }),
    );

    // Assess
    expect(text).toContain(
      'Hello &lt;img src=x onerror=alert(1)&gt;&#123;&#35;&#35;&#35;&#35;&#125;,',
    );
    expect(text.match(/\{####\}/g)).toHaveLength(1);
  });

  it('keeps the joiners names are spelt with, and drops the other invisible characters', () => {
    // Prepare: Persian ZWNJ, an emoji ZWJ sequence, then a zero-width space
    // and a bidi override
    const given_name = 'علی\u200Cرضا \u{1F469}\u200D\u{1F52C} A\u200BB\u202E';

    // Act
    const { text } = renderMessage(
      request({ channel: 'emailBody', userAttributes: { given_name } }),
    );

    // Assess
    expect(text).toContain('Hello علی\u200Cرضا \u{1F469}\u200D\u{1F52C} A B,');
  });

  it('never clips an email subject attribute inside a surrogate pair', () => {
    // Prepare
    const loaded = rendererWith(
      {},
      new Map<string, unknown>([
        ...readBundledCatalogue(['en', 'de']),
        [
          'overrides.json',
          { all: { en: { SignUp: { emailSubject: '{given_name} joined' } } } },
        ],
      ]),
    );
    const userAttributes = { given_name: `${'a'.repeat(23)}\u{1F600}` };

    // Act
    const { text } = loaded.renderer.renderMessage(
      request({ channel: 'emailSubject', userAttributes }),
    );

    // Assess
    expect(loaded.violations).toEqual([]);
    expect(text).toBe(`${'a'.repeat(23)} joined`);
    expect(/\p{Cs}/u.test(text)).toBe(false);
  });

  it('keeps SMS attributes plain and within GSM-7', () => {
    // Prepare: a template with an attribute, through a global override
    const loaded = rendererWith(
      {},
      new Map<string, unknown>([
        ...readBundledCatalogue(['en', 'de']),
        [
          'overrides.json',
          {
            all: {
              en: {
                Authentication: { sms: 'Hi {given_name|there}, code {code}' },
              },
            },
          },
        ],
      ]),
    );

    // Act
    const named = loaded.renderer.renderMessage(
      request({
        kind: 'Authentication',
        userAttributes: {
          given_name: 'Zoë\u0000 <b>\u201CJo\u201D</b> {####}',
        },
      }),
    );
    const unnamed = loaded.renderer.renderMessage(
      request({ kind: 'Authentication' }),
    );
    // Accents typed as separate combining marks (e + U+0301)
    const decomposed = loaded.renderer.renderMessage(
      request({
        kind: 'Authentication',
        userAttributes: { given_name: 'Rene\u0301e Ada\u0301' },
      }),
    );

    // A joiner has no glyph: a GSM-7 message drops it
    const joined = loaded.renderer.renderMessage(
      request({
        kind: 'Authentication',
        userAttributes: { given_name: 'Jo\u200Dhn\u200C' },
      }),
    );

    // Assess
    expect(loaded.violations).toEqual([]);
    expect(joined.text).toBe('Hi John, code {####}');
    expect(named.text).toBe('Hi Zoe <b>?Jo?</b> (    ), code {####}');
    expect(decomposed.text).toBe('Hi Renée Ada, code {####}');
    expect(unnamed.text).toBe('Hi there, code {####}');
  });

  it('prefers a per-app-client override, then a global one', () => {
    // Prepare
    const files = new Map<string, unknown>([
      ...readBundledCatalogue(['en', 'de']),
      [
        'overrides.json',
        {
          all: { de: { SignUp: { sms: 'Global: {code}' } } },
          clients: { app1: { de: { SignUp: { sms: 'App 1: {code}' } } } },
        },
      ],
    ]);
    const { renderer } = rendererWith({}, files);

    // Act
    const forApp = renderer.renderMessage(
      request({ locales: ['de'], clientId: 'app1' }),
    );
    const forOther = renderer.renderMessage(
      request({ locales: ['de'], clientId: 'app2' }),
    );
    const english = renderer.renderMessage(request({ clientId: 'app1' }));

    // Assess
    expect(forApp.text).toBe('App 1: {####}');
    expect(forOther.text).toBe('Global: {####}');
    expect(english.text).toContain('Your verification code');
  });

  it('sends the link variant with localized link text when the pool verifies by link', () => {
    // Prepare
    const { renderer } = rendererWith({ emailVerification: 'link' });

    // Act
    const { text } = renderer.renderMessage(
      request({ channel: 'emailBody', locales: ['de'] }),
    );

    // Assess
    expect(text).toContain('{##E-Mail-Adresse bestätigen##}');
    expect(text).not.toContain('{####}');
  });

  it('appends the WebOTP line to code SMS when configured and asked for', () => {
    // Prepare
    const { renderer, violations } = rendererWith({
      webOtp: { domain: 'login.example.com' },
    });

    // Act
    const code = renderer.renderMessage(
      request({
        kind: 'Authentication',
        placeholders: { code: '123456' },
        withWebOtp: true,
      }),
    );
    const invite = renderer.renderMessage(
      request({ kind: 'AdminCreateUser', withWebOtp: true }),
    );

    // Assess
    expect(violations).toEqual([]);
    expect(code.text.endsWith('\n\n@login.example.com #123456')).toBe(true);
    expect(invite.text).not.toContain('@login.example.com');
  });

  it('never puts the code placeholder in a Custom Message SMS twice for WebOTP', () => {
    // Prepare
    const { renderer } = rendererWith({
      webOtp: { domain: 'login.example.com' },
    });

    // Act
    const sms = renderer.renderMessage(
      request({ kind: 'Authentication', placeholders: { code: '{####}' } }),
    );

    // Assess
    expect(sms.text.split('{####}')).toHaveLength(2);
    expect(sms.text).not.toContain('@login.example.com');
  });

  it('throws a TemplateError when a placeholder has no value', () => {
    // Act
    const act = () =>
      renderMessage(
        request({ kind: 'AdminCreateUser', placeholders: { code: '{####}' } }),
      );

    // Assess
    expect(act).toThrow(TemplateError);
    expect(act).toThrow('no value for {username}');
  });

  it('renders nothing from a catalogue that breaks a rule', () => {
    // Prepare
    const { renderer, violations } = rendererWith(
      {},
      new Map([['en.json', { SignUp: { sms: 'no code' } }]]),
    );

    // Act
    const act = () => renderer.renderMessage(request());

    // Assess
    expect(violations.length).toBeGreaterThan(0);
    expect(act).toThrow(
      expect.objectContaining({ reason: 'invalid_catalogue' }),
    );
  });
});

describe('renderSms', () => {
  it('reports the encoding and segments of the rendered SMS', () => {
    // Act
    const result = renderSms({
      kind: 'Authentication',
      locales: ['de'],
      placeholders: { code: '482913' },
      userAttributes: {},
    });

    // Assess
    expect(result).toEqual({
      text: 'Ihr Anmeldecode lautet 482913. Geben Sie ihn niemals weiter.',
      locale: 'de',
      isLocaleFallback: false,
      encoding: 'GSM-7',
      segments: 1,
    });
  });
});

describe('adding a locale', () => {
  it('needs only its file and its tag in templates.locales', () => {
    // Prepare: a French file made from the English one, SMS translated
    const settings = templateSettingsSchema.parse({
      locales: ['en', 'de', 'fr'],
    });
    const files = readBundledCatalogue(['en', 'de']);
    const english = files.get('en.json') as Record<
      string,
      Record<string, string>
    >;
    const french = structuredClone(english);
    french.SignUp = {
      ...french.SignUp,
      sms: 'Votre code de vérification est {code}.',
    };
    files.set('fr.json', french);

    // Act
    const { renderer, violations } = loadTemplates(settings, { files });
    const result = renderer.renderMessage(request({ locales: ['fr-CA'] }));

    // Assess
    expect(violations).toEqual([]);
    expect(result).toEqual({
      text: 'Votre code de vérification est {####}.',
      locale: 'fr',
      isLocaleFallback: false,
    });
  });
});
