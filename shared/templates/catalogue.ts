import * as z from 'zod/mini';
import { MESSAGE_KINDS } from '../events';
import type { Catalogue, LocaleMessages } from './types';
import { SLOTS } from './types';

const slotsSchema = z.partialRecord(z.enum(SLOTS), z.string());
const kindsSchema = z.partialRecord(z.enum(MESSAGE_KINDS), slotsSchema);

/** Schema of one locale file, `config/templates/<locale>.json`. */
export const localeFileSchema = z.pipe(
  z.pipe(
    z.record(z.string(), z.unknown()),
    z.transform((file: Record<string, unknown>) =>
      Object.fromEntries(
        Object.entries(file).filter(([key]) => !key.startsWith('$')),
      ),
    ),
  ),
  kindsSchema,
);

/** Schema of `config/templates/overrides.json`. */
export const overridesFileSchema = z.object({
  $comment: z.optional(z.string()),
  all: z._default(z.record(z.string(), kindsSchema), {}),
  clients: z._default(
    z.record(z.string(), z.record(z.string(), kindsSchema)),
    {},
  ),
});

/** A file of the catalogue that could not be used. */
export interface FileProblem {
  readonly file: string;
  /** `missing-file` or `file-shape`. */
  readonly rule: 'missing-file' | 'file-shape';
  readonly detail: string;
}

/** The catalogue's files as read: file name → parsed JSON. */
export type CatalogueFiles = ReadonlyMap<string, unknown>;

function describe(error: z.core.$ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
    .join('; ');
}

/**
 * Builds the catalogue from its files' parsed JSON, reporting files whose
 * shape is wrong (unknown kind or slot, a non-string text).
 *
 * @param locales - the locale tags, in `templates.locales` order
 * @param files - `<locale>.json` and `overrides.json` → parsed JSON
 */
export function buildCatalogue(
  locales: readonly string[],
  files: CatalogueFiles,
): { catalogue: Catalogue; problems: FileProblem[] } {
  const problems: FileProblem[] = [];
  const localeMap = new Map<string, LocaleMessages>();
  for (const locale of locales) {
    const file = `${locale}.json`;
    if (!files.has(file)) {
      problems.push({ file, rule: 'missing-file', detail: 'not found' });
      continue;
    }
    const parsed = localeFileSchema.safeParse(files.get(file));
    if (parsed.success) localeMap.set(locale, parsed.data);
    else {
      problems.push({
        file,
        rule: 'file-shape',
        detail: describe(parsed.error),
      });
    }
  }
  const parsedOverrides = overridesFileSchema.safeParse(
    files.get('overrides.json') ?? {},
  );
  if (!parsedOverrides.success) {
    problems.push({
      file: 'overrides.json',
      rule: 'file-shape',
      detail: describe(parsedOverrides.error),
    });
  }
  const overrides = parsedOverrides.success
    ? parsedOverrides.data
    : { all: {}, clients: {} };
  return {
    catalogue: {
      locales: localeMap,
      all: overrides.all,
      clients: overrides.clients,
    },
    problems,
  };
}
