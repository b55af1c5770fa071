/**
 * npm run templates:check [-- <folder>]
 *
 * Checks the message catalogue (config/templates/, or the given folder)
 * against every rule of the template core, with the `templates` settings of
 * config/suite.json, and prints each violation with its file, locale,
 * triggerSource, channel and rule. Exits 1 when there is any. Every bundle's
 * build runs the same check on its catalogue (infra/precheck.ts).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { CatalogueFiles } from '../shared/templates/catalogue';
import { formatViolation, type Violation } from '../shared/templates/check';
import { type LoadedTemplates, loadTemplates } from '../shared/templates/load';
import {
  type TemplateSettings,
  templateSettingsSchema,
} from '../shared/templates/settings';

const ROOT = path.resolve(__dirname, '..');

/** The `templates` settings of a suite.json file. */
export function readTemplateSettings(
  file = path.join(ROOT, 'config/suite.json'),
): TemplateSettings {
  const suite = JSON.parse(readFileSync(file, 'utf8')) as {
    templates?: unknown;
  };
  return templateSettingsSchema.parse(suite.templates ?? {});
}

/** A catalogue folder as read: parsed files, and the ones that are not JSON. */
export interface CatalogueDir {
  readonly files: Map<string, unknown>;
  readonly invalid: Map<string, string>;
}

/**
 * Reads every JSON file of a catalogue folder; a file that is not valid
 * JSON is kept aside with its parser message, to be reported by name.
 */
export function readCatalogueDir(dir: string): CatalogueDir {
  const files = new Map<string, unknown>();
  const invalid = new Map<string, string>();
  if (!existsSync(dir)) return { files, invalid };
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.json'))) {
    const text = readFileSync(path.join(dir, name), 'utf8');
    try {
      files.set(name, JSON.parse(text));
    } catch (error) {
      invalid.set(name, (error as Error).message);
    }
  }
  return { files, invalid };
}

function invalidJson(invalid: Map<string, string>, dir: string): Violation[] {
  return [...invalid].map(([name, message]) => ({
    file: `${dir}/${name}`,
    locale: name.replace(/\.json$/, ''),
    triggerSource: '-',
    channel: '-',
    rule: 'invalid-json',
    detail: message,
  }));
}

function unlistedFiles(
  files: CatalogueFiles,
  settings: TemplateSettings,
  dir: string,
): Violation[] {
  return [...files.keys()]
    .filter((name) => name !== 'overrides.json')
    .filter((name) => !settings.locales.includes(name.replace(/\.json$/, '')))
    .map((name) => ({
      file: `${dir}/${name}`,
      locale: name.replace(/\.json$/, ''),
      triggerSource: '-',
      channel: '-',
      rule: 'unlisted-locale',
      detail: 'add the tag to templates.locales in config/suite.json',
    }));
}

/**
 * Loads and checks a catalogue folder.
 *
 * @param dir - the folder, e.g. config/templates
 * @param settings - the `templates` settings
 */
export function checkCatalogueDir(
  dir: string,
  settings: TemplateSettings = readTemplateSettings(),
): LoadedTemplates {
  const { files, invalid } = readCatalogueDir(dir);
  const name = path.relative(ROOT, dir) || dir;
  const loaded = loadTemplates(settings, { files, dir: name });
  const violations = loaded.violations.filter(
    (v) => v.rule !== 'missing-file' || !invalid.has(`${v.locale}.json`),
  );
  return {
    ...loaded,
    violations: [
      ...invalidJson(invalid, name),
      ...violations,
      ...unlistedFiles(files, settings, name),
    ],
  };
}

function main(): void {
  const dir = path.resolve(
    process.argv[2] ?? path.join(ROOT, 'config/templates'),
  );
  const { violations, catalogue } = checkCatalogueDir(dir);
  if (violations.length > 0) {
    for (const violation of violations) {
      process.stderr.write(`${formatViolation(violation)}\n`);
    }
    process.stderr.write(
      `templates:check: ${violations.length} violation(s)\n`,
    );
    process.exit(1);
  }
  process.stdout.write(
    `templates:check: ${catalogue.locales.size} locales, every message passes\n`,
  );
}

if (require.main === module) main();
