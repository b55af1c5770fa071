/**
 * The Custom Message part of `npm run demo`: invokes the customMessage
 * bundle the way Cognito does for a sign-up (English), an invitation
 * (German, from clientMetadata) and a password reset (de-AT, falling back
 * to German), and prints what the trigger decided.
 */

import { smsEncodingOf } from '../../shared/templates/gsm';
import { resolveLocale } from '../../shared/templates/locale';
import { loadEvent } from '../../test/support/events';
import { readTemplateSettings } from '../templates-check';
import type { DemoContext } from './context';

interface CustomMessageResult {
  response?: {
    smsMessage?: string | null;
    emailMessage?: string | null;
    emailSubject?: string | null;
  };
}

const CASES = [
  { title: 'sign-up, English', fixture: 'sign-up', locale: 'en' },
  {
    title: 'invitation, German (clientMetadata)',
    fixture: 'admin-create-user',
    locale: 'de',
  },
  {
    title: 'forgot password, de-AT user',
    fixture: 'forgot-password',
    locale: 'de-AT',
  },
] as const;

/**
 * Runs the Custom Message demo flow.
 *
 * @param ctx - the demo context (invoke, print)
 */
export async function runCustomMessageDemo(ctx: DemoContext): Promise<void> {
  const settings = readTemplateSettings();
  for (const demo of CASES) {
    const event = loadEvent('customMessage', demo.fixture);
    if (demo.fixture === 'forgot-password') {
      event.request.userAttributes.locale = demo.locale;
    } else {
      event.request.clientMetadata = { locale: demo.locale };
    }
    const result = (await ctx.invoke(
      'customMessage',
      event,
    )) as CustomMessageResult;
    const sms = result.response?.smsMessage ?? null;
    const locale = resolveLocale(
      [demo.locale],
      settings.locales,
      settings.defaultLocale,
    );
    ctx.print(
      `${event.triggerSource} (${demo.title}): locale ${demo.locale} -> ${locale}`,
    );
    if (sms === null) {
      ctx.print('  smsMessage: null (Cognito sends its default)');
      continue;
    }
    const { encoding, segments } = smsEncodingOf(sms);
    ctx.print(`  smsMessage: "${sms}"`);
    ctx.print(
      `  ${encoding}, ${[...sms].length} chars with Cognito's placeholders, ${segments} segment(s)`,
    );
    const subject = result.response?.emailSubject ?? null;
    ctx.print(
      subject === null
        ? `  email: null (EMAIL_SENDING_ACCOUNT=${ctx.env.EMAIL_SENDING_ACCOUNT ?? 'COGNITO_DEFAULT'}: Cognito's own template)`
        : `  email: subject "${subject}", ${result.response?.emailMessage?.length ?? 0} chars of HTML`,
    );
  }
  ctx.print(
    'Every message: npm run templates:preview -> dist/templates-preview/index.html',
  );
}
