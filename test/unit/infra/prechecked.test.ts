import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { afterEach, describe, expect, it, vi } from 'vitest';
import suiteJson from '../../../config/suite.json';
import { sharedBuildOptions } from '../../../scripts/build';
import type { Prechecked } from '../../../shared/prechecked';
import { suiteSettingsSchema } from '../../../shared/settings';
import { SETTINGS_OVERRIDE_KEY } from '../../../shared/settings-override';
import { loadTemplates } from '../../../shared/templates/load';
import { VALID_ENV } from '../../support/config-env';
import { ROOT } from '../../support/provision';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { precheckedConfig } = require('../../../infra/esbuild-plugins.cjs') as {
  precheckedConfig: (options?: { suite?: unknown }) => never;
};

const ENTRY = path.join(ROOT, 'test/fixtures/prechecked/entry.ts');

/**
 * Builds the fixture (which re-exports shared/prechecked.ts) with the
 * deploy options, optionally checking another suite.json than the real one.
 */
async function buildPrechecked(
  suite?: unknown,
  extra: Array<{ name: string; setup: (build: never) => void }> = [],
) {
  const outfile = path.join(
    mkdtempSync(path.join(tmpdir(), 'prechecked-')),
    'index.js',
  );
  const options = sharedBuildOptions();
  const plugins = (options.plugins ?? []).filter(
    (plugin) => plugin.name !== 'prechecked-config',
  );
  const result = await build({
    ...options,
    plugins: [
      ...(extra as never[]),
      ...plugins,
      precheckedConfig(suite === undefined ? {} : { suite }),
    ],
    entryPoints: [ENTRY],
    outfile,
    logLevel: 'silent',
  }).catch((error: { errors: Array<{ text: string }> }) => error);
  const errors = result.errors.map((error) => error.text);
  const exported =
    errors.length === 0
      ? (createRequire(outfile)(outfile) as { PRECHECKED: Prechecked })
      : undefined;
  return { errors, prechecked: exported?.PRECHECKED };
}

describe('prechecked-config (infra/esbuild-plugins.cjs)', () => {
  it('embeds every section of config/suite.json as the runtime schemas parse it', async () => {
    // Prepare
    const { $schema: _schema, ...expected } =
      suiteSettingsSchema.parse(suiteJson);

    // Act
    const { errors, prechecked } = await buildPrechecked();

    // Assess
    expect(errors).toEqual([]);
    expect(prechecked?.settings).toEqual(expected);
    expect(Object.keys(prechecked?.settings ?? {}).sort()).toEqual([
      'policy',
      'sms',
      'templates',
      'totp',
    ]);
  });

  it('fails the build on a bad key, naming it and not its value', async () => {
    // Act
    const { errors } = await buildPrechecked({
      ...suiteJson,
      policy: { registration: 'whoever-secret-value' },
    });

    // Assess
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('suite.json:policy.registration');
    expect(errors[0]).not.toContain('whoever-secret-value');
  });

  it('fails the build on an India template id for a locale the catalogue lacks', async () => {
    // Act
    const { errors } = await buildPrechecked({
      ...suiteJson,
      sms: {
        sns: {
          countries: {
            IN: {
              entityId: '1101',
              templateId: '1107',
              templateIds: { 'ForgotPassword:hi': '1108', SignUp: '1109' },
            },
          },
        },
      },
    });

    // Assess
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(
      'suite.json:sms.sns.countries.IN.templateIds.ForgotPassword:hi (a locale not in templates.locales: en, de)',
    );
    expect(errors[0]).not.toContain('SignUp');
  });

  it('fails the build when the catalogue breaks a rule under the settings', async () => {
    // Act: a locale without its catalogue file
    const { errors } = await buildPrechecked({
      ...suiteJson,
      templates: { ...suiteJson.templates, locales: ['en', 'de', 'xx'] },
    });

    // Assess
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('the template catalogue breaks its rules');
    expect(errors[0]).toContain('xx.json');
  });

  it('checks the suite.json the bundle embeds when another plugin replaces it', async () => {
    // Prepare: the way tests bundle a function under other settings
    const replaced = { totp: { digits: 8 } };
    const replacing = {
      name: 'suite-settings',
      setup(builder: {
        onLoad: (o: { filter: RegExp }, f: () => object) => void;
      }) {
        builder.onLoad({ filter: /config[\\/]suite\.json$/ }, () => ({
          contents: JSON.stringify(replaced),
          loader: 'json',
        }));
      },
    };

    // Act
    const { errors, prechecked } = await buildPrechecked(undefined, [
      replacing as never,
    ]);

    // Assess
    expect(errors).toEqual([]);
    expect(prechecked?.settings.totp.digits).toBe(8);
    expect(prechecked?.settings.policy).toEqual(
      suiteSettingsSchema.parse({}).policy,
    );
  });

  it('is part of the deploy options', () => {
    // Act
    const names = (sharedBuildOptions().plugins ?? []).map(
      (plugin) => plugin.name,
    );

    // Assess
    expect(names).toContain('prechecked-config');
  });
});

describe('a cold start with prechecked settings (shared/config.ts)', () => {
  const env = { ...VALID_ENV, STAGE: 'test' };
  // Recognisable objects: what a bundle's PRECHECKED would hold.
  const checked = {
    templates: { marker: 'templates' },
    sms: { marker: 'sms' },
    policy: { marker: 'policy' },
    totp: { marker: 'totp' },
  };

  async function loadWithPrechecked() {
    vi.resetModules();
    vi.doMock('../../../shared/prechecked', () => ({
      PRECHECKED: { settings: checked },
    }));
    // The readers give their sections' schemas (provideSection); here,
    // all of them, in the fresh module registry
    const { provideSection } = await import('../../../shared/lazy-settings');
    const { SECTION_SCHEMAS } = await import('../../../shared/settings');
    for (const [name, schema] of Object.entries(SECTION_SCHEMAS)) {
      provideSection(name as keyof typeof SECTION_SCHEMAS, schema);
    }
    return import('../../../shared/config');
  }

  afterEach(() => {
    vi.doUnmock('../../../shared/prechecked');
    vi.resetModules();
  });

  it('uses the build-validated sections for the bundled suite.json', async () => {
    // Prepare
    const { loadConfig } = await loadWithPrechecked();

    // Act
    const { settings } = loadConfig(env);

    // Assess
    expect(settings.totp).toBe(checked.totp);
    expect(settings.policy).toBe(checked.policy);
  });

  it('validates at run time when a test-stage override replaced suite.json', async () => {
    // Prepare
    const { loadConfig } = await loadWithPrechecked();
    const overridden = {
      ...env,
      [SETTINGS_OVERRIDE_KEY]: JSON.stringify({ totp: { digits: 8 } }),
    };

    // Act
    const { settings } = loadConfig(overridden);

    // Assess
    expect(settings.totp).not.toBe(checked.totp);
    expect(settings.totp.digits).toBe(8);
    expect(settings.totp.period).toBe(30);
  });

  it('validates at run time for any other settings object', async () => {
    // Prepare
    const { loadConfig } = await loadWithPrechecked();

    // Act
    const { settings } = loadConfig(env, { totp: {} });

    // Assess
    expect(settings.totp).not.toBe(checked.totp);
    expect(settings.totp.digits).toBe(6);
  });
});

describe('loadTemplates with checked', () => {
  const settings = suiteSettingsSchema.parse({
    templates: { locales: ['en', 'de', 'xx'] },
  }).templates;

  it('skips the rules for the bundled files the build checked', () => {
    // Act
    const { violations } = loadTemplates(settings, { checked: true });

    // Assess
    expect(violations).toEqual([]);
  });

  it('still checks when not prechecked, or for files passed in', () => {
    // Act
    const unchecked = loadTemplates(settings);
    const passedIn = loadTemplates(settings, {
      checked: true,
      files: new Map(),
    });

    // Assess
    expect(unchecked.violations.map((v) => v.rule)).toContain('missing-file');
    expect(passedIn.violations.length).toBeGreaterThan(0);
  });
});
