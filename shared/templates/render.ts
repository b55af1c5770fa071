import type { MessageKind } from '../events';
import {
  cleanAttribute,
  escapeHtml,
  plainSmsAttribute,
  plainSubjectAttribute,
} from './escape';
import { isGsmChar } from './gsm';
import { matchLocale, namesLocale } from './locale';
import { type CompiledTemplate, compileTemplate, type Token } from './parse';
import type { TemplateSettings } from './settings';
import {
  type Catalogue,
  type Channel,
  LINK_KINDS,
  type Rendered,
  type RenderRequest,
  type Slot,
  TemplateError,
} from './types';

/** Attribute values in email bodies are clipped to this many characters. */
export const EMAIL_ATTRIBUTE_MAX = 256;

interface Compiled extends CompiledTemplate {
  /** Whether the template's own text (and fallbacks) is all GSM-7. */
  readonly isGsm: boolean;
}

/**
 * The catalogue slot a channel reads for a kind: `emailBodyLink` instead of
 * `emailBody` when the pool verifies sign-up email by link.
 *
 * @param kind - the message kind
 * @param channel - the channel asked for
 * @param settings - carries `emailVerification`
 */
export function slotFor(
  kind: MessageKind,
  channel: Channel,
  settings: Pick<TemplateSettings, 'emailVerification'>,
): Slot {
  return channel === 'emailBody' &&
    settings.emailVerification === 'link' &&
    LINK_KINDS.includes(kind)
    ? 'emailBodyLink'
    : channel;
}

/**
 * Whether a template's own text (and its attributes' fallbacks) is all
 * GSM-7; attribute values are then folded to GSM-7 so the message stays so.
 *
 * @param compiled - the compiled template
 */
export function isGsmTemplate(compiled: CompiledTemplate): boolean {
  const statics = compiled.tokens.map((token) =>
    token.type === 'text'
      ? token.value
      : token.type === 'attribute'
        ? token.fallback
        : '',
  );
  return [...statics.join('')].every(isGsmChar);
}

function compile(text: string): Compiled {
  const compiled = compileTemplate(text);
  return { ...compiled, isGsm: isGsmTemplate(compiled) };
}

function placeholder(value: string | undefined, name: string): string {
  if (typeof value === 'string' && value.length > 0) return value;
  throw new TemplateError('missing_placeholder', `no value for {${name}}`);
}

function linkOf(link: string | undefined, text: string | undefined): string {
  const value = placeholder(link, 'link');
  if (text === undefined) return value;
  // Keep Cognito's delimiters from the request; swap in the localized text.
  const match = /^(\{##)[\s\S]*(##\})$/.exec(value);
  return match ? `${match[1]}${text}${match[2]}` : value;
}

interface RenderContext {
  readonly slot: Slot;
  readonly request: RenderRequest;
  readonly settings: TemplateSettings;
  readonly isGsm: boolean;
}

function attributeOf(
  token: Extract<Token, { type: 'attribute' }>,
  context: RenderContext,
): string {
  const { userAttributes } = context.request;
  const raw = Object.hasOwn(userAttributes, token.name)
    ? userAttributes[token.name]
    : undefined;
  const max = context.settings.longest.attribute;
  if (typeof raw !== 'string') return token.fallback;
  if (context.slot === 'sms') {
    const value = plainSmsAttribute(cleanAttribute(raw, max), context.isGsm);
    return value.length > 0 ? value : token.fallback;
  }
  if (context.slot === 'emailSubject') {
    const value = plainSubjectAttribute(cleanAttribute(raw, max), max);
    return value.length > 0 ? value : token.fallback;
  }
  const cleaned = cleanAttribute(raw, EMAIL_ATTRIBUTE_MAX);
  return cleaned.length > 0 ? escapeHtml(cleaned) : token.fallback;
}

function renderToken(token: Token, context: RenderContext): string {
  const { placeholders } = context.request;
  switch (token.type) {
    case 'text':
      return token.value;
    case 'code':
      return placeholder(placeholders.code, 'code');
    case 'username':
      return placeholder(placeholders.username, 'username');
    case 'link':
      return linkOf(placeholders.link, token.text);
    case 'attribute':
      return attributeOf(token, context);
  }
}

/** Renders messages from one catalogue with one set of settings. */
export interface Renderer {
  /**
   * Renders one message. Pure and synchronous.
   *
   * @throws {@link TemplateError} when the message is missing or invalid,
   *   or a placeholder it needs has no value
   */
  renderMessage(request: RenderRequest): Rendered;
}

// Per-client override, then override for all clients, then the locale file.
function lookup(
  catalogue: Catalogue,
  where: { locale: string; kind: MessageKind; slot: Slot; clientId?: string },
): string | undefined {
  const { locale, kind, slot, clientId } = where;
  const client =
    clientId === undefined ? undefined : catalogue.clients[clientId];
  return (
    client?.[locale]?.[kind]?.[slot] ??
    catalogue.all[locale]?.[kind]?.[slot] ??
    catalogue.locales.get(locale)?.[kind]?.[slot]
  );
}

// The request's locale, else the default locale when it lacks the message.
function findTemplate(
  catalogue: Catalogue,
  settings: TemplateSettings,
  request: RenderRequest,
  slot: Slot,
): { text: string; locale: string; isLocaleFallback: boolean } {
  const { kind, clientId } = request;
  const available = [...catalogue.locales.keys()];
  const matched = matchLocale(request.locales, available);
  const resolved = matched ?? settings.defaultLocale;
  for (const locale of [resolved, settings.defaultLocale]) {
    const text = lookup(catalogue, { locale, kind, slot, clientId });
    if (text !== undefined) {
      const isLocaleFallback =
        namesLocale(request.locales) && locale !== matched;
      return { text, locale, isLocaleFallback };
    }
  }
  throw new TemplateError(
    'missing_template',
    `no ${slot} template for ${kind}`,
  );
}

/**
 * Creates a renderer over a catalogue. Templates are compiled on first use
 * and cached.
 *
 * @param catalogue - the loaded catalogue
 * @param settings - the `templates` settings
 */
export function createRenderer(
  catalogue: Catalogue,
  settings: TemplateSettings,
): Renderer {
  const cache = new Map<string, Compiled>();
  const compileCached = (text: string): Compiled => {
    let compiled = cache.get(text);
    if (compiled === undefined) {
      compiled = compile(text);
      cache.set(text, compiled);
    }
    return compiled;
  };
  return {
    renderMessage(request) {
      const { kind } = request;
      const slot = slotFor(kind, request.channel, settings);
      const { text, locale, isLocaleFallback } = findTemplate(
        catalogue,
        settings,
        request,
        slot,
      );
      const compiled = compileCached(text);
      if (compiled.problems.length > 0) {
        throw new TemplateError(
          'invalid_template',
          `the ${slot} template for ${kind} is invalid`,
        );
      }
      const context = { slot, request, settings, isGsm: compiled.isGsm };
      let rendered = '';
      for (const token of compiled.tokens)
        rendered += renderToken(token, context);
      if (
        slot === 'sms' &&
        request.withWebOtp === true &&
        settings.webOtp !== null &&
        kind !== 'AdminCreateUser'
      ) {
        rendered += webOtpLine(
          settings.webOtp.domain,
          request.placeholders.code,
        );
      }
      return { text: rendered, locale, isLocaleFallback };
    },
  };
}

/**
 * The WebOTP line (`@domain #code`) appended as the last line of a code SMS.
 *
 * @param domain - the site's domain, from `templates.webOtp.domain`
 * @param code - the code placeholder or code
 * @throws {@link TemplateError} when the code is missing
 * @see https://wicg.github.io/web-otp/#message-format
 */
export function webOtpLine(domain: string, code: string | undefined): string {
  return `\n\n@${domain} #${placeholder(code, 'code')}`;
}
