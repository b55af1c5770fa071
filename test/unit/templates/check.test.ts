import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  checkCatalogueDir,
  readTemplateSettings,
} from '../../../scripts/templates-check';
import { formatViolation, templateViolations } from '../../../shared/templates';
import { readBundledCatalogue } from '../../../shared/templates/bundled';
import { loadTemplates } from '../../../shared/templates/load';
import { templateSettingsSchema } from '../../../shared/templates/settings';

const ROOT = path.resolve(__dirname, '../../..');
const BROKEN = path.join(ROOT, 'test/fixtures/templates/broken');

describe('templates:check', () => {
  it('passes every shipped template, with the shipped settings', () => {
    // Act
    const { violations, catalogue } = checkCatalogueDir(
      path.join(ROOT, 'config/templates'),
      readTemplateSettings(),
    );

    // Assess
    expect(violations.map(formatViolation)).toEqual([]);
    expect([...catalogue.locales.keys()]).toEqual(['en', 'de']);
  });

  it('passes the bundled catalogue at cold start too', () => {
    // Assess
    expect(templateViolations).toEqual([]);
  });

  it('passes the shipped templates with WebOTP on and the link variant', () => {
    // Prepare
    const settings = templateSettingsSchema.parse({
      webOtp: { domain: 'accounts.example-company.com' },
      emailVerification: 'link',
    });

    // Act
    const { violations } = checkCatalogueDir(
      path.join(ROOT, 'config/templates'),
      settings,
    );

    // Assess
    expect(violations.map(formatViolation)).toEqual([]);
  });

  it('names file, locale, triggerSource, channel and rule of every violation in the broken fixture', () => {
    // Prepare
    const settings = templateSettingsSchema.parse({});
    const dir = 'test/fixtures/templates/broken';

    // Act
    const { violations } = checkCatalogueDir(BROKEN, settings);

    // Assess
    const lines = violations.map(
      (v) => `${v.file} ${v.locale} ${v.triggerSource} ${v.channel} ${v.rule}`,
    );
    expect(lines.sort()).toEqual(
      [
        `${dir}/fr.json fr - - invalid-json`,
        `${dir}/en.json en CustomMessage_SignUp sms code-placeholder`,
        `${dir}/en.json en CustomMessage_AdminCreateUser sms username-placeholder`,
        `${dir}/en.json en CustomMessage_ResendCode sms sms-length`,
        `${dir}/en.json en CustomMessage_ResendCode emailBodyLink code-placeholder`,
        `${dir}/en.json en CustomMessage_ForgotPassword sms sms-segments`,
        `${dir}/en.json en CustomMessage_UpdateUserAttribute sms raw-cognito-placeholder`,
        `${dir}/en.json en CustomMessage_VerifyUserAttribute emailSubject email-subject-length`,
        `${dir}/en.json en CustomMessage_Authentication sms unknown-variable`,
        `${dir}/overrides.json fr - - unknown-locale`,
        `${dir}/overrides.json (client app1) de CustomMessage_SignUp sms sms-segments`,
        `${dir}/overrides.json (client app1) de CustomMessage_SignUp sms username-placeholder`,
        `${dir}/de.json de CustomMessage_Authentication sms missing-message`,
        `${dir}/de.json de CustomMessage_Authentication emailSubject missing-message`,
        `${dir}/de.json de CustomMessage_Authentication emailBody missing-message`,
      ].sort(),
    );
  });

  it('explains the broken rules in words', () => {
    // Act
    const { violations } = checkCatalogueDir(
      BROKEN,
      templateSettingsSchema.parse({}),
    );
    const text = violations.map(formatViolation).join('\n');

    // Assess
    expect(text).toContain('{code} must appear exactly once (found 2)');
    expect(text).toContain('{username} must appear exactly once (found 0)');
    expect(text).toContain('{code} is not allowed here (found 1)');
    expect(text).toContain('2 UCS-2 segments');
    expect(text).toContain(
      '147 characters with placeholders at their longest (limit 140)',
    );
    expect(text).toContain('{first_name} is not a known variable');
  });

  it('counts a temporary password at its longest against the SMS room', () => {
    // Prepare: a 99-character temporary password cannot fit one SMS
    const settings = templateSettingsSchema.parse({
      longest: { temporaryPassword: 99 },
    });

    // Act
    const { violations } = checkCatalogueDir(
      path.join(ROOT, 'config/templates'),
      settings,
    );

    // Assess
    expect(
      violations.map((v) => `${v.locale} ${v.triggerSource} ${v.rule}`),
    ).toEqual(
      expect.arrayContaining([
        'en CustomMessage_AdminCreateUser sms-length',
        'de CustomMessage_AdminCreateUser sms-length',
      ]),
    );
  });

  it('reports a locale listed in the settings whose file is missing', () => {
    // Prepare
    const settings = templateSettingsSchema.parse({
      locales: ['en', 'de', 'fr'],
    });

    // Act
    const { violations } = checkCatalogueDir(
      path.join(ROOT, 'config/templates'),
      settings,
    );

    // Assess
    expect(violations.map(formatViolation)).toEqual([
      'config/templates/fr.json fr - - [missing-file] not found',
    ]);
  });
});

describe('catalogue file shapes', () => {
  it('names unknown kinds, unknown channels and non-string texts', () => {
    // Prepare
    const settings = templateSettingsSchema.parse({ locales: ['en'] });
    const files = new Map<string, unknown>([
      [
        'en.json',
        { $comment: 'ok', SignIn: {}, SignUp: { sms: 42, fax: 'x' } },
      ],
      ['overrides.json', { clients: [] }],
    ]);

    // Act
    const { violations } = loadTemplates(settings, { files });

    // Assess
    expect(violations.slice(0, 2).map(formatViolation)).toEqual([
      'config/templates/en.json en - - [file-shape] SignIn: unknown message kind (SignUp, AdminCreateUser, ResendCode, ForgotPassword, UpdateUserAttribute, VerifyUserAttribute, Authentication); SignUp.sms: expected a string; SignUp.fax: unknown channel (sms, emailSubject, emailBody, emailBodyLink)',
      'config/templates/overrides.json overrides - - [file-shape] clients: expected an object of app client ids',
    ]);
  });

  it('treats a client id like __proto__ or constructor as a plain key', () => {
    // Prepare
    const settings = templateSettingsSchema.parse({});
    const files = new Map<string, unknown>([
      ...readBundledCatalogue(settings.locales),
      [
        'overrides.json',
        JSON.parse(
          '{"clients":{"__proto__":{"en":{"SignUp":{"sms":"Proto {code}"}}}}}',
        ),
      ],
    ]);
    const { renderer, violations } = loadTemplates(settings, { files });
    const render = (clientId: string) =>
      renderer.renderMessage({
        kind: 'SignUp',
        channel: 'sms',
        locales: ['en'],
        clientId,
        placeholders: { code: '{####}' },
        userAttributes: {},
      }).text;

    // Act + Assess
    expect(violations).toEqual([]);
    expect(render('__proto__')).toBe('Proto {####}');
    expect(render('constructor')).toMatch(/^Your verification code/);
    expect(render('toString')).toMatch(/^Your verification code/);
  });

  it('reports a locale file that templates.locales does not list', () => {
    // Prepare: the broken fixture folder has en, de and overrides; list en only
    const settings = templateSettingsSchema.parse({ locales: ['en'] });

    // Act
    const { violations } = checkCatalogueDir(BROKEN, settings);

    // Assess
    expect(violations.map(formatViolation)).toContain(
      'test/fixtures/templates/broken/de.json de - - [unlisted-locale] add the tag to templates.locales in config/suite.json',
    );
  });
});
