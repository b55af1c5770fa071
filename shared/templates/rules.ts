import type { MessageKind } from '../events';
import { smsEncodingOf } from './gsm';
import { type CompiledTemplate, compileTemplate, countTokens } from './parse';
import { EMAIL_ATTRIBUTE_MAX, isGsmTemplate, webOtpLine } from './render';
import type { TemplateSettings } from './settings';
import type { Slot } from './types';

/** Cognito's limits on what Custom Message returns. */
export const LIMITS = {
  smsChars: 140,
  emailBodyChars: 20_000,
  emailSubjectChars: 140,
} as const;

/** One broken rule of one template, without where it sits. */
export interface RuleProblem {
  readonly rule: string;
  readonly detail: string;
}

type Placeholder = 'code' | 'username' | 'link';

// How often each placeholder must appear, per slot and kind.
function expectedCount(
  placeholder: Placeholder,
  kind: MessageKind,
  slot: Slot,
): number {
  const isBody = slot === 'sms' || slot === 'emailBody';
  switch (placeholder) {
    case 'code':
      return isBody ? 1 : 0;
    case 'username':
      return isBody && kind === 'AdminCreateUser' ? 1 : 0;
    case 'link':
      return slot === 'emailBodyLink' ? 1 : 0;
  }
}

const PLACEHOLDER_RULES: Readonly<Record<Placeholder, string>> = {
  code: 'code-placeholder',
  username: 'username-placeholder',
  link: 'link-placeholder',
};

function placeholderProblems(
  compiled: CompiledTemplate,
  kind: MessageKind,
  slot: Slot,
): RuleProblem[] {
  const problems: RuleProblem[] = [];
  for (const placeholder of ['code', 'username', 'link'] as const) {
    const count = countTokens(compiled, placeholder);
    const expected = expectedCount(placeholder, kind, slot);
    if (count === expected) continue;
    problems.push({
      rule: PLACEHOLDER_RULES[placeholder],
      detail:
        expected === 0
          ? `{${placeholder}} is not allowed here (found ${count})`
          : `{${placeholder}} must appear exactly once (found ${count})`,
    });
  }
  for (const token of compiled.tokens) {
    if (token.type !== 'link' || token.text === undefined) continue;
    // An empty text would make `{##` + `##}`: Cognito's code placeholder.
    if (/[#{}]/.test(token.text) || token.text.trim() === '') {
      problems.push({
        rule: 'link-placeholder',
        detail: 'link text must be words, without #, { or }',
      });
    }
  }
  return problems;
}

/**
 * A character of a user name or temporary password at its widest in an
 * SMS: outside GSM-7 (it switches the message to UCS-2) and outside the
 * Basic Multilingual Plane (two UTF-16 units). Cognito allows any letter
 * in a user name and any non-space character in a temporary password, and
 * neither is folded to GSM-7 the way attributes are.
 */
const WIDEST_USER_CHAR = '\u{1D49C}';

/** The most SMS segments a message of this kind may take. */
export function maxSegmentsOf(
  kind: MessageKind,
  settings: Pick<
    TemplateSettings,
    'maxSmsSegments' | 'maxInvitationSmsSegments'
  >,
): number {
  return kind === 'AdminCreateUser'
    ? settings.maxInvitationSmsSegments
    : settings.maxSmsSegments;
}

/**
 * The message with every placeholder at its longest (and, in a UCS-2 SMS,
 * widest) value: what the length and segment rules measure. In an SMS the
 * user name and temporary password count as their widest characters; in
 * email they only count in length.
 *
 * @param compiled - the compiled template
 * @param kind - the message kind (AdminCreateUser's code is a password)
 * @param slot - the slot, which decides how attributes expand
 * @param settings - `longest` values and the WebOTP line
 */
export function worstCaseText(
  compiled: CompiledTemplate,
  kind: MessageKind,
  slot: Slot,
  settings: TemplateSettings,
): string {
  const { longest } = settings;
  const userChar = slot === 'sms' ? WIDEST_USER_CHAR : 'u';
  const code =
    kind === 'AdminCreateUser'
      ? userChar.repeat(longest.temporaryPassword)
      : '9'.repeat(longest.code);
  const isGsm = slot === 'sms' && isGsmTemplate(compiled);
  let text = '';
  for (const token of compiled.tokens) {
    if (token.type === 'text') text += token.value;
    else if (token.type === 'code') text += code;
    else if (token.type === 'username')
      text += userChar.repeat(longest.username);
    else if (token.type === 'link')
      text += `{##${token.text ?? 'x'.repeat(40)}##}`;
    else if (slot === 'sms' && isGsm) {
      // A value costs one septet a character (the renderer folds it into
      // GSM-7 without extension characters); the fallback is sent as
      // written, and its extension characters cost two.
      const fallback = [...token.fallback].length;
      text +=
        token.fallback + 'a'.repeat(Math.max(0, longest.attribute - fallback));
    } else if (slot === 'sms') {
      const width = Math.max(longest.attribute, [...token.fallback].length);
      text += '\u{1F600}'.repeat(width);
    } else if (slot === 'emailSubject') {
      text += 'a'.repeat(Math.max(longest.attribute, token.fallback.length));
    } else {
      const value = '&#123;'.repeat(EMAIL_ATTRIBUTE_MAX);
      text += token.fallback.length > value.length ? token.fallback : value;
    }
  }
  if (
    slot === 'sms' &&
    settings.webOtp !== null &&
    kind !== 'AdminCreateUser'
  ) {
    text += webOtpLine(settings.webOtp.domain, code);
  }
  return text;
}

function lengthProblems(
  compiled: CompiledTemplate,
  kind: MessageKind,
  slot: Slot,
  settings: TemplateSettings,
): RuleProblem[] {
  const worst = worstCaseText(compiled, kind, slot, settings);
  // Code points for SMS; UTF-16 length (an upper bound, cheaper) for email.
  const chars = slot === 'sms' ? [...worst].length : worst.length;
  const problems: RuleProblem[] = [];
  if (slot === 'sms') {
    if (chars > LIMITS.smsChars) {
      problems.push({
        rule: 'sms-length',
        detail: `${chars} characters with placeholders at their longest (limit ${LIMITS.smsChars})`,
      });
    }
    const { encoding, units, segments } = smsEncodingOf(worst);
    const max = maxSegmentsOf(kind, settings);
    if (segments > max) {
      problems.push({
        rule: 'sms-segments',
        detail: `${segments} ${encoding} segments (${units} units) with placeholders at their longest (limit ${max})`,
      });
    }
  } else if (slot === 'emailSubject') {
    const shortest = worstCaseText(
      { ...compiled, tokens: compiled.tokens.filter((t) => t.type === 'text') },
      kind,
      slot,
      settings,
    ).trim().length;
    if (chars > LIMITS.emailSubjectChars || shortest < 1) {
      problems.push({
        rule: 'email-subject-length',
        detail: `between 1 and ${LIMITS.emailSubjectChars} characters (${shortest} to ${chars})`,
      });
    }
  } else if (chars > LIMITS.emailBodyChars) {
    problems.push({
      rule: 'email-body-length',
      detail: `${chars} characters with placeholders at their longest (limit ${LIMITS.emailBodyChars})`,
    });
  }
  return problems;
}

/**
 * Checks one template against every rule: known variables only, no raw
 * Cognito placeholders, each placeholder as often as its kind and slot
 * need, and Cognito's length limits (SMS also in segments) with
 * placeholders at their longest.
 *
 * @param text - the template text
 * @param kind - the message kind it is for
 * @param slot - the catalogue slot it fills
 * @param settings - the `templates` settings (limits, WebOTP)
 */
export function checkTemplate(
  text: string,
  kind: MessageKind,
  slot: Slot,
  settings: TemplateSettings,
): RuleProblem[] {
  const compiled = compileTemplate(text);
  return [
    ...compiled.problems,
    ...placeholderProblems(compiled, kind, slot),
    ...lengthProblems(compiled, kind, slot, settings),
  ];
}
