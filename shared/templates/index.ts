import { config } from '../config';
import { provideSection } from '../lazy-settings';
import { PRECHECKED } from '../prechecked';
import type { Violation } from './check';
import { smsEncodingOf } from './gsm';
import { loadTemplates } from './load';
import { templateSettingsSchema } from './settings';
import type { Rendered, RenderRequest, SmsEncoding } from './types';

/**
 * The template core: one catalogue (`config/templates/`), pure synchronous
 * rendering, shared by the Custom Message trigger and the Custom SMS
 * Sender so the two can never disagree.
 */

export { formatViolation, type Violation } from './check';
export { smsEncodingOf } from './gsm';
export { resolveLocale } from './locale';
export type {
  Channel,
  Rendered,
  RenderRequest,
  SmsEncoding,
} from './types';
export { TemplateError } from './types';

// Loaded once, at cold start; checked then too unless the build checked
// these very files and settings (shared/prechecked.ts).
provideSection('templates', templateSettingsSchema);
const settings = config.settings.templates;
const { renderer, violations } = loadTemplates(settings, {
  checked: settings === PRECHECKED?.settings.templates,
});

/**
 * The rules the bundled catalogue breaks, found at cold start; when not
 * empty, every render throws `invalid_catalogue`.
 */
export const templateViolations: readonly Violation[] = violations;

/**
 * Renders one message of the bundled catalogue.
 *
 * @param request - kind, channel, locale candidates, placeholders, attributes
 * @returns the text and the catalogue locale used
 * @throws {@link TemplateError} when the message is missing or invalid, or a
 *   placeholder it needs has no value
 * @example
 * renderMessage({ kind: 'SignUp', channel: 'sms', locales: ['de-AT'],
 *   placeholders: { code: '{####}' }, userAttributes: {} });
 */
export function renderMessage(request: RenderRequest): Rendered {
  return renderer.renderMessage(request);
}

/**
 * Renders an SMS and reports its encoding and segment count.
 *
 * @param request - as for {@link renderMessage}, without the channel
 * @throws {@link TemplateError} as {@link renderMessage}
 * @example
 * renderSms({ kind: 'Authentication', locales: [attrs.locale],
 *   placeholders: { code }, userAttributes: attrs });
 */
export function renderSms(
  request: Omit<RenderRequest, 'channel'>,
): Rendered & Pick<SmsEncoding, 'encoding' | 'segments'> {
  const rendered = renderer.renderMessage({ ...request, channel: 'sms' });
  const { encoding, segments } = smsEncodingOf(rendered.text);
  return { ...rendered, encoding, segments };
}
