import { MESSAGE_KINDS } from '../events';
import type { Catalogue, LocaleMessages } from './types';
import { SLOTS } from './types';

// Hand-written shape checks instead of a schema library: they run at every
// cold start and must cost well under a millisecond. Objects are built
// without a prototype, so a key like `__proto__` or `constructor` (from a
// file or a request's clientId) is only ever an own key.

type Problems = string[];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseSlots(value: unknown, path: string, problems: Problems) {
  const slots: Record<string, string> = Object.create(null);
  if (!isRecord(value)) {
    problems.push(`${path}: expected an object of channel texts`);
    return slots;
  }
  for (const [slot, text] of Object.entries(value)) {
    if (!(SLOTS as readonly string[]).includes(slot)) {
      problems.push(`${path}.${slot}: unknown channel (${SLOTS.join(', ')})`);
    } else if (typeof text !== 'string') {
      problems.push(`${path}.${slot}: expected a string`);
    } else {
      slots[slot] = text;
    }
  }
  return slots;
}

/**
 * Validates one locale's messages: kind → slot → text; keys starting with
 * `$` (e.g. `$comment`) are ignored.
 *
 * @param value - the parsed JSON
 * @param path - how to name the object in problems
 * @param problems - where to add what is wrong
 */
export function parseLocaleMessages(
  value: unknown,
  path: string,
  problems: Problems,
): LocaleMessages {
  const messages: Record<string, unknown> = Object.create(null);
  if (!isRecord(value)) {
    problems.push(`${path || '(root)'}: expected an object of message kinds`);
    return messages;
  }
  for (const [kind, slots] of Object.entries(value)) {
    if (kind.startsWith('$')) continue;
    const at = path ? `${path}.${kind}` : kind;
    if (!(MESSAGE_KINDS as readonly string[]).includes(kind)) {
      problems.push(
        `${at}: unknown message kind (${MESSAGE_KINDS.join(', ')})`,
      );
    } else {
      messages[kind] = parseSlots(slots, at, problems);
    }
  }
  return messages as LocaleMessages;
}

function parseLocaleMap(value: unknown, path: string, problems: Problems) {
  const map: Record<string, LocaleMessages> = Object.create(null);
  if (value === undefined) return map;
  if (!isRecord(value)) {
    problems.push(`${path}: expected an object of locales`);
    return map;
  }
  for (const [locale, messages] of Object.entries(value)) {
    map[locale] = parseLocaleMessages(messages, `${path}.${locale}`, problems);
  }
  return map;
}

/**
 * Validates `overrides.json`: `{ all: locale → messages, clients: client id
 * → locale → messages }`.
 */
export function parseOverrides(value: unknown, problems: Problems) {
  const all = parseLocaleMap(
    isRecord(value) ? value.all : undefined,
    'all',
    problems,
  );
  const clients: Record<string, Record<string, LocaleMessages>> = Object.create(
    null,
  );
  const raw = isRecord(value) ? value.clients : undefined;
  if (raw !== undefined && !isRecord(raw)) {
    problems.push('clients: expected an object of app client ids');
  }
  for (const [clientId, locales] of Object.entries(isRecord(raw) ? raw : {})) {
    clients[clientId] = parseLocaleMap(
      locales,
      `clients.${clientId}`,
      problems,
    );
  }
  if (!isRecord(value)) problems.push('(root): expected an object');
  return { all, clients };
}

/** A file of the catalogue that could not be used. */
export interface FileProblem {
  readonly file: string;
  /** `missing-file` or `file-shape`. */
  readonly rule: 'missing-file' | 'file-shape';
  readonly detail: string;
}

/** The catalogue's files as read: file name → parsed JSON. */
export type CatalogueFiles = ReadonlyMap<string, unknown>;

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
    const details: string[] = [];
    const messages = parseLocaleMessages(files.get(file), '', details);
    if (details.length === 0) localeMap.set(locale, messages);
    else
      problems.push({ file, rule: 'file-shape', detail: details.join('; ') });
  }
  const details: string[] = [];
  const overrides = parseOverrides(files.get('overrides.json') ?? {}, details);
  if (details.length > 0) {
    problems.push({
      file: 'overrides.json',
      rule: 'file-shape',
      detail: details.join('; '),
    });
  }
  return {
    catalogue: {
      locales: localeMap,
      all: overrides.all,
      clients: overrides.clients,
    },
    problems,
  };
}
