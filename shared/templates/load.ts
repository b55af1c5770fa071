import { readBundledCatalogue } from './bundled';
import { buildCatalogue, type CatalogueFiles } from './catalogue';
import { checkCatalogue, type Violation } from './check';
import { createRenderer, type Renderer } from './render';
import type { TemplateSettings } from './settings';
import { type Catalogue, TemplateError } from './types';

/** A checked catalogue and its renderer. */
export interface LoadedTemplates {
  readonly catalogue: Catalogue;
  /** Every rule the catalogue breaks; empty when it is valid. */
  readonly violations: readonly Violation[];
  /** Renders messages; throws `invalid_catalogue` if there are violations. */
  readonly renderer: Renderer;
}

/**
 * Loads and checks a catalogue. A catalogue that breaks any rule renders
 * nothing: every render throws a {@link TemplateError} (`invalid_catalogue`),
 * so callers fall back to Cognito's own message instead of sending a wrong
 * one.
 *
 * @param settings - the `templates` settings
 * @param options.files - the files (default: the ones bundled)
 * @param options.dir - how to name the folder in violations
 * @param options.checked - the build already checked the bundled files
 *   with these very settings (shared/prechecked.ts): skip the rules
 */
export function loadTemplates(
  settings: TemplateSettings,
  options: { files?: CatalogueFiles; dir?: string; checked?: boolean } = {},
): LoadedTemplates {
  const files = options.files ?? readBundledCatalogue(settings.locales);
  const { catalogue, problems } = buildCatalogue(settings.locales, files);
  const violations =
    options.checked === true && options.files === undefined
      ? []
      : checkCatalogue({
          catalogue,
          fileProblems: problems,
          settings,
          dir: options.dir,
        });
  const inner = createRenderer(catalogue, settings);
  const renderer: Renderer =
    violations.length === 0
      ? inner
      : {
          renderMessage() {
            throw new TemplateError(
              'invalid_catalogue',
              'the template catalogue breaks its rules',
            );
          },
        };
  return { catalogue, violations, renderer };
}
