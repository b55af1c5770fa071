import { MESSAGE_KINDS, type MessageKind } from '../events';
import type { FileProblem } from './catalogue';
import { checkTemplate } from './rules';
import type { TemplateSettings } from './settings';
import {
  type Catalogue,
  LINK_KINDS,
  type LocaleMessages,
  SLOTS,
  type Slot,
} from './types';

/** One broken rule, located: file, locale, triggerSource and channel. */
export interface Violation {
  readonly file: string;
  readonly locale: string;
  /** `CustomMessage_<Kind>`, or `-` for a whole file. */
  readonly triggerSource: string;
  /** The slot (`sms`, `emailSubject`, `emailBody`, `emailBodyLink`) or `-`. */
  readonly channel: string;
  readonly rule: string;
  readonly detail: string;
}

/**
 * Formats a violation as one line.
 *
 * @example
 * // config/templates/de.json de CustomMessage_SignUp sms [sms-length] ...
 */
export function formatViolation(violation: Violation): string {
  const { file, locale, triggerSource, channel, rule, detail } = violation;
  return `${file} ${locale} ${triggerSource} ${channel} [${rule}] ${detail}`;
}

/** Every slot a complete locale has for a kind. */
export function requiredSlots(kind: MessageKind): readonly Slot[] {
  return SLOTS.filter(
    (slot) => slot !== 'emailBodyLink' || LINK_KINDS.includes(kind),
  );
}

interface Source {
  readonly file: string;
  readonly locale: string;
  readonly messages: LocaleMessages;
  /** The app client of a per-client override. */
  readonly clientId?: string;
}

/** The `callerContext.clientId` of messages an administrator started. */
const ADMIN_CLIENT_ID = 'CLIENT_ID_NOT_APPLICABLE';

function checkSource(source: Source, settings: TemplateSettings): Violation[] {
  const violations: Violation[] = [];
  for (const kind of MESSAGE_KINDS) {
    const slots = source.messages[kind] ?? {};
    for (const slot of SLOTS) {
      const text = slots[slot];
      if (text === undefined) continue;
      const where = {
        file: source.file,
        locale: source.locale,
        triggerSource: `CustomMessage_${kind}`,
        channel: slot,
      };
      if (!requiredSlots(kind).includes(slot)) {
        violations.push({
          ...where,
          rule: 'unexpected-message',
          detail: `${kind} has no ${slot}`,
        });
        continue;
      }
      if (
        kind === 'AdminCreateUser' &&
        source.clientId !== undefined &&
        source.clientId !== ADMIN_CLIENT_ID
      ) {
        violations.push({
          ...where,
          rule: 'override-never-used',
          detail: `invitations come with clientId ${ADMIN_CLIENT_ID}: put them under "all" (or that client id)`,
        });
        continue;
      }
      for (const problem of checkTemplate(text, kind, slot, settings)) {
        violations.push({ ...where, ...problem });
      }
    }
  }
  return violations;
}

function completeness(
  catalogue: Catalogue,
  settings: TemplateSettings,
  dir: string,
): Violation[] {
  const violations: Violation[] = [];
  for (const [locale, messages] of catalogue.locales) {
    for (const kind of MESSAGE_KINDS) {
      for (const slot of requiredSlots(kind)) {
        if (messages[kind]?.[slot] !== undefined) continue;
        violations.push({
          file: `${dir}/${locale}.json`,
          locale,
          triggerSource: `CustomMessage_${kind}`,
          channel: slot,
          rule: 'missing-message',
          detail:
            locale === settings.defaultLocale
              ? 'the default locale must have every message'
              : `every locale needs every message the default (${settings.defaultLocale}) has`,
        });
      }
    }
  }
  return violations;
}

function overrideSources(catalogue: Catalogue, dir: string): Source[] {
  const file = `${dir}/overrides.json`;
  const sources: Source[] = Object.entries(catalogue.all).map(
    ([locale, messages]) => ({ file, locale, messages }),
  );
  for (const [clientId, locales] of Object.entries(catalogue.clients)) {
    for (const [locale, messages] of Object.entries(locales)) {
      sources.push({
        file: `${file} (client ${clientId})`,
        locale,
        messages,
        clientId,
      });
    }
  }
  return sources;
}

/**
 * Checks a whole catalogue: every locale file and override against every
 * rule, every locale complete, overrides only for known locales, and the
 * files' own problems (missing, unreadable, wrong shape).
 *
 * @param options.catalogue - the loaded catalogue
 * @param options.fileProblems - problems found while loading the files
 * @param options.settings - the `templates` settings
 * @param options.dir - how to name the folder in violations
 * @returns every violation; empty when the catalogue is valid
 */
export function checkCatalogue(options: {
  catalogue: Catalogue;
  fileProblems: readonly FileProblem[];
  settings: TemplateSettings;
  dir?: string;
}): Violation[] {
  const { catalogue, settings } = options;
  const dir = options.dir ?? 'config/templates';
  const violations: Violation[] = options.fileProblems.map((problem) => ({
    file: `${dir}/${problem.file}`,
    locale: problem.file.replace(/\.json$/, ''),
    triggerSource: '-',
    channel: '-',
    rule: problem.rule,
    detail: problem.detail,
  }));
  const localeSources = [...catalogue.locales].map(([locale, messages]) => ({
    file: `${dir}/${locale}.json`,
    locale,
    messages,
  }));
  for (const source of [...localeSources, ...overrideSources(catalogue, dir)]) {
    if (!catalogue.locales.has(source.locale)) {
      violations.push({
        file: source.file,
        locale: source.locale,
        triggerSource: '-',
        channel: '-',
        rule: 'unknown-locale',
        detail: 'overrides may only name locales listed in templates.locales',
      });
      continue;
    }
    violations.push(...checkSource(source, settings));
  }
  return [...violations, ...completeness(catalogue, settings, dir)];
}
