/**
 * Every `triggerSource` the suite handles, per trigger. A `switch` over
 * these ending in `assertNever` makes a new source fail to compile.
 */

export const CUSTOM_SMS_SENDER_SOURCES = [
  'CustomSMSSender_SignUp',
  'CustomSMSSender_ResendCode',
  'CustomSMSSender_ForgotPassword',
  'CustomSMSSender_UpdateUserAttribute',
  'CustomSMSSender_VerifyUserAttribute',
  'CustomSMSSender_Authentication',
  'CustomSMSSender_AdminCreateUser',
] as const;
export type CustomSmsSenderSource = (typeof CUSTOM_SMS_SENDER_SOURCES)[number];

export const CUSTOM_MESSAGE_SOURCES = [
  'CustomMessage_SignUp',
  'CustomMessage_AdminCreateUser',
  'CustomMessage_ResendCode',
  'CustomMessage_ForgotPassword',
  'CustomMessage_UpdateUserAttribute',
  'CustomMessage_VerifyUserAttribute',
  'CustomMessage_Authentication',
] as const;
export type CustomMessageSource = (typeof CUSTOM_MESSAGE_SOURCES)[number];

export const PRE_SIGN_UP_SOURCES = [
  'PreSignUp_SignUp',
  'PreSignUp_AdminCreateUser',
  'PreSignUp_ExternalProvider',
] as const;
export type PreSignUpSource = (typeof PRE_SIGN_UP_SOURCES)[number];

export const DEFINE_AUTH_CHALLENGE_SOURCE =
  'DefineAuthChallenge_Authentication';
export const CREATE_AUTH_CHALLENGE_SOURCE =
  'CreateAuthChallenge_Authentication';
export const VERIFY_AUTH_CHALLENGE_SOURCE =
  'VerifyAuthChallengeResponse_Authentication';

/**
 * The message kind a trigger source stands for, shared by the custom
 * message trigger and the SMS sender so both pick the same template.
 */
export const MESSAGE_KINDS = [
  'SignUp',
  'AdminCreateUser',
  'ResendCode',
  'ForgotPassword',
  'UpdateUserAttribute',
  'VerifyUserAttribute',
  'Authentication',
] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];

/**
 * The message kind of a `CustomMessage_*` or `CustomSMSSender_*` source.
 *
 * @param triggerSource - the event's trigger source
 * @returns the kind, or `undefined` for an unknown source
 */
export function messageKindOf(triggerSource: string): MessageKind | undefined {
  const match = /^(?:CustomMessage|CustomSMSSender)_(\w+)$/.exec(triggerSource);
  const kind = match?.[1];
  return (MESSAGE_KINDS as readonly string[]).includes(kind ?? '')
    ? (kind as MessageKind)
    : undefined;
}

/**
 * Exhaustiveness guard for `switch` statements.
 *
 * @throws always; reaching it is a bug
 */
export function assertNever(value: never): never {
  throw new Error(`unexpected value: ${String(value)}`);
}
