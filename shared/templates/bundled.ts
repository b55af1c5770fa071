import overrides from '../../config/templates/overrides.json';

/**
 * Reads the catalogue files bundled with the function: every
 * `config/templates/<locale>.json` named in `templates.locales`, and
 * `overrides.json`. esbuild bundles all JSON files of the folder (the
 * template-literal `require` below), so adding a locale is adding its file
 * and its tag; no code changes.
 *
 * @param locales - the locale tags from `templates.locales`
 * @returns file name → parsed JSON; a missing file is left out
 */
export function readBundledCatalogue(
  locales: readonly string[],
): Map<string, unknown> {
  const files = new Map<string, unknown>([['overrides.json', overrides]]);
  for (const locale of locales) {
    try {
      files.set(
        `${locale}.json`,
        require(`../../config/templates/${locale}.json`),
      );
    } catch {
      // Reported by the checks as a missing file.
    }
  }
  return files;
}
