import { TriggerError } from '../errors';
import type { MessageKind } from '../events';

/** The three texts Custom Message may return. */
export type Channel = 'sms' | 'emailSubject' | 'emailBody';

/**
 * A slot of the catalogue: the channels, plus `emailBodyLink`, the email
 * body used instead of `emailBody` when the pool verifies by link.
 */
export type Slot = Channel | 'emailBodyLink';

/** Every slot, in catalogue order. */
export const SLOTS = [
  'sms',
  'emailSubject',
  'emailBody',
  'emailBodyLink',
] as const satisfies readonly Slot[];

/** The kinds whose email verification may be sent as a link. */
export const LINK_KINDS: readonly MessageKind[] = ['SignUp', 'ResendCode'];

/** What one locale's file holds: kind → slot → template text. */
export type LocaleMessages = Partial<
  Record<MessageKind, Partial<Record<Slot, string>>>
>;

/**
 * The catalogue as loaded: the locale files plus the overrides
 * (`config/templates/overrides.json`).
 */
export interface Catalogue {
  /** Locale tag → its messages, in the order of `templates.locales`. */
  readonly locales: ReadonlyMap<string, LocaleMessages>;
  /** Overrides for every app client: locale → kind → slot → text. */
  readonly all: Readonly<Record<string, LocaleMessages>>;
  /** Overrides per app client id: client → locale → kind → slot → text. */
  readonly clients: Readonly<
    Record<string, Readonly<Record<string, LocaleMessages>>>
  >;
}

/** One request to render a message. */
export interface RenderRequest {
  kind: MessageKind;
  channel: Channel;
  /**
   * Locale candidates in priority order, e.g. `[userAttributes.locale,
   * clientMetadata?.locale]`; `undefined`/`null` entries are skipped.
   */
  locales: ReadonlyArray<string | null | undefined>;
  /** `callerContext.clientId`, for per-app-client overrides. */
  clientId?: string;
  /**
   * What stands for Cognito's placeholders: in Custom Message the request's
   * `codeParameter` / `usernameParameter` / `linkParameter` strings; in the
   * SMS sender the decrypted code and the user name.
   */
  placeholders: { code?: string; username?: string; link?: string };
  /** The user's attributes; only the ones a template names are read. */
  userAttributes: Readonly<Record<string, string>>;
  /**
   * End a code SMS with the WebOTP line (`templates.webOtp`). Only where
   * the code is substituted by the caller (the SMS sender): Custom Message
   * would put Cognito's code placeholder in the message twice.
   */
  withWebOtp?: boolean;
}

/** A rendered message and the catalogue locale it came from. */
export interface Rendered {
  text: string;
  /** The catalogue locale the message was rendered in. */
  locale: string;
  /**
   * Whether the request named a locale (a user attribute or client
   * metadata) and the message is in another one: none of the named locales
   * is in the catalogue, or the one that is lacks this message.
   */
  isLocaleFallback: boolean;
}

/** The encoding an SMS is sent in, and what it costs. */
export interface SmsEncoding {
  encoding: 'GSM-7' | 'UCS-2';
  /** Septets (GSM-7, extension characters count twice) or UTF-16 units. */
  units: number;
  /** Segments the message is split into. */
  segments: number;
}

/** A message could not be rendered (bad catalogue or missing input). */
export class TemplateError extends TriggerError {
  override name = 'TemplateError';
  /** Stable reason code, e.g. `missing_placeholder`. */
  readonly reason: string;

  /**
   * @param reason - stable snake-case reason, safe for logs and metrics
   * @param message - static description (never a value from the request)
   */
  constructor(reason: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.reason = reason;
  }
}
