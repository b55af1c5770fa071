import { describe, expect, it } from 'vitest';
import { formatViolation } from '../../../shared/templates';
import { readBundledCatalogue } from '../../../shared/templates/bundled';
import { loadTemplates } from '../../../shared/templates/load';
import { createRenderer } from '../../../shared/templates/render';
import { checkTemplate } from '../../../shared/templates/rules';
import { templateSettingsSchema } from '../../../shared/templates/settings';
import type { RenderRequest } from '../../../shared/templates/types';

const settings = templateSettingsSchema.parse({});
const rules = (text: string, kind: any, slot: any) =>
  checkTemplate(text, kind, slot, settings).map((problem) => problem.rule);

function withOverrides(overrides: unknown) {
  return loadTemplates(settings, {
    files: new Map<string, unknown>([
      ...readBundledCatalogue(settings.locales),
      ['overrides.json', overrides],
    ]),
  });
}

const request: RenderRequest = {
  kind: 'SignUp',
  channel: 'emailSubject',
  locales: ['en'],
  placeholders: { code: '{####}' },
  userAttributes: {},
};

describe('template rules', () => {
  it.each([
    ['Code {code|x}', 'sms', 'unknown-variable'],
    ['Hi {givenName}, code {code}', 'sms', 'unknown-variable'],
    ['Hi { given_name }, code {code}', 'sms', 'unknown-variable'],
    ['Hi {given-name|you}, code {code}', 'sms', 'unknown-variable'],
    ['{Given_Name} joined', 'emailSubject', 'unknown-variable'],
    ['Hi {link} {code}', 'emailBodyLink', 'code-placeholder'],
    ['Go {link|a#b}', 'emailBodyLink', 'link-placeholder'],
    ['Go {link|}', 'emailBodyLink', 'link-placeholder'],
    ['Go {link|  }', 'emailBodyLink', 'link-placeholder'],
    [`<p>{code}</p>${'x'.repeat(20_000)}`, 'emailBody', 'email-body-length'],
    ['Code {code}, link {link|here}', 'emailBody', 'link-placeholder'],
    // A fallback is sent as written: its extension characters cost two
    // septets, and a long one outgrows any attribute value.
    [`Hi {given_name|${'€'.repeat(80)}}, code {code}.`, 'sms', 'sms-segments'],
  ])('flags %j in %s as %s', (text, slot, rule) => {
    // Act + Assess
    expect(rules(text, 'SignUp', slot)).toContain(rule);
  });

  it('measures an invitation SMS in UCS-2: a user name or temporary password may hold any character', () => {
    // Prepare
    const text = 'Invited. User name: {username} Temporary password: {code}';
    const one = templateSettingsSchema.parse({ maxInvitationSmsSegments: 1 });
    const three = templateSettingsSchema.parse({});

    // Act
    const tight = checkTemplate(text, 'AdminCreateUser', 'sms', one);
    const roomy = checkTemplate(text, 'AdminCreateUser', 'sms', three);

    // Assess
    expect(tight).toEqual([
      expect.objectContaining({
        rule: 'sms-segments',
        detail: expect.stringContaining('UCS-2'),
      }),
    ]);
    expect(roomy).toEqual([]);
  });

  it('measures an email body with a fallback longer than any attribute value', () => {
    // Act
    const found = rules(
      `<p>{code}</p>{given_name|${'x'.repeat(19_990)}}`,
      'SignUp',
      'emailBody',
    );

    // Assess
    expect(found).toContain('email-body-length');
  });

  it('lets a fallback of plain GSM-7 characters fit where extension characters do not', () => {
    // Act + Assess
    expect(
      rules(`Hi {given_name|${'e'.repeat(80)}}, code {code}.`, 'SignUp', 'sms'),
    ).toEqual([]);
  });

  it('leaves CSS written with spaces alone', () => {
    // Act + Assess
    expect(
      rules(
        '<style>a { color: red } p{ margin: 0 }</style><p>{code}</p>',
        'SignUp',
        'emailBody',
      ),
    ).toEqual([]);
  });

  it('accepts a link with Cognito’s own text', () => {
    // Act + Assess
    expect(rules('<p>Confirm: {link}</p>', 'SignUp', 'emailBodyLink')).toEqual(
      [],
    );
  });

  it('refuses a per-client invitation, which Cognito never sends with a client id', () => {
    // Act
    const { violations } = withOverrides({
      clients: {
        '3n4b5urk1ft4fl3mg5e62d9ado': {
          en: { AdminCreateUser: { sms: 'Hi {username}, {code}' } },
        },
        CLIENT_ID_NOT_APPLICABLE: {
          en: { AdminCreateUser: { sms: 'Welcome {username}, {code}' } },
        },
      },
    });

    // Assess
    expect(violations.map((v) => `${v.file} ${v.rule}`)).toEqual([
      'config/templates/overrides.json (client 3n4b5urk1ft4fl3mg5e62d9ado) override-never-used',
    ]);
  });

  it('refuses a link variant for a kind Cognito never links', () => {
    // Act
    const { violations } = withOverrides({
      all: { en: { ForgotPassword: { emailBodyLink: 'Go {link|here}' } } },
    });

    // Assess
    expect(violations.map(formatViolation)).toEqual([
      'config/templates/overrides.json en CustomMessage_ForgotPassword emailBodyLink [unexpected-message] ForgotPassword has no emailBodyLink',
    ]);
  });

  it.each([
    [{ all: [] }, 'all: expected an object of locales'],
    [
      { all: { en: { SignUp: 'text' } } },
      'all.en.SignUp: expected an object of channel texts',
    ],
    ['nope', '(root): expected an object'],
  ])('names the shape problem of overrides %j', (overrides, detail) => {
    // Act
    const { violations } = withOverrides(overrides);

    // Assess
    expect(violations[0]?.rule).toBe('file-shape');
    expect(violations[0]?.detail).toContain(detail);
  });

  it('puts an attribute in a subject as plain text, clipped, with no placeholder', () => {
    // Prepare: mail clients show a subject as text, so `&#39;` would show
    const { renderer, violations } = withOverrides({
      all: { en: { SignUp: { emailSubject: 'Welcome, {given_name|friend}' } } },
    });

    // Act
    const render = (given_name: string) =>
      renderer.renderMessage({ ...request, userAttributes: { given_name } })
        .text;

    // Assess
    expect(violations).toEqual([]);
    expect(render("O'Brien & <Söhne>")).toBe("Welcome, O'Brien & <Söhne>");
    expect(render('{####} #1')).toBe('Welcome, ( ) 1');
    expect(render(`${'a'.repeat(20)}&&&&&`)).toBe(
      `Welcome, ${'a'.repeat(20)}&&&&`,
    );
  });

  it('throws missing_template or invalid_template from an unchecked catalogue', () => {
    // Prepare
    const renderer = createRenderer(
      {
        locales: new Map([['en', { SignUp: { sms: 'x {nope} {code}' } }]]),
        all: {},
        clients: {},
      },
      settings,
    );

    // Act + Assess
    expect(() => renderer.renderMessage(request)).toThrow(
      expect.objectContaining({ reason: 'missing_template' }),
    );
    expect(() =>
      renderer.renderMessage({ ...request, channel: 'sms' }),
    ).toThrow(expect.objectContaining({ reason: 'invalid_template' }));
  });
});

describe('template edge cases', () => {
  it('keeps a link placeholder of another form as the request gave it', () => {
    // Prepare
    const { renderer } = loadTemplates(
      templateSettingsSchema.parse({ emailVerification: 'link' }),
    );

    // Act
    const { text } = renderer.renderMessage({
      ...request,
      channel: 'emailBody',
      placeholders: { link: '##Click##' },
    });

    // Assess
    expect(text).toContain('address: ##Click##</p>');
  });

  it('renders custom: attributes and falls back when one is empty', () => {
    // Prepare
    const { renderer, violations } = withOverrides({
      all: { en: { SignUp: { emailSubject: 'Plan {custom:plan|basic}' } } },
    });

    // Act
    const named = renderer.renderMessage({
      ...request,
      userAttributes: { 'custom:plan': 'Gold' },
    });
    const blank = renderer.renderMessage({
      ...request,
      userAttributes: { 'custom:plan': ' \u0000 ' },
    });

    // Assess
    expect(violations).toEqual([]);
    expect([named.text, blank.text]).toEqual(['Plan Gold', 'Plan basic']);
  });

  it('refuses a locale file that is not an object', () => {
    // Act
    const { violations } = loadTemplates(settings, {
      files: new Map<string, unknown>([
        ['en.json', []],
        ['de.json', {}],
      ]),
    });

    // Assess
    expect(violations.map(formatViolation)).toContain(
      'config/templates/en.json en - - [file-shape] (root): expected an object of message kinds',
    );
  });
});
