/**
 * The policy core: pure decisions (allow, deny with a reason code, or
 * would-deny in shadow mode) shared by Pre Sign-up and the custom SMS
 * sender, plus the DynamoDB velocity counters.
 */

export { consumeVelocity } from './consume-velocity';
export {
  ALLOW,
  type Decision,
  isDenied,
  type Refusal,
  refuse,
} from './decision';
export { loadDisposableDomains } from './disposable';
export {
  matchesDomainList,
  normalizeDomain,
  normalizeDomainPattern,
} from './domains';
export { type ParsedEmail, parseEmail } from './email';
export {
  decidePhone,
  isLineTypeMetadataLoaded,
  loadLineTypeMetadata,
  type ParsedPhone,
  parsePhoneNumber,
} from './phone';
export {
  applySignUpPolicy,
  messageKeyOf,
  type SignUpPolicyDeps,
} from './pre-sign-up';
export {
  type DisposableRules,
  type EmailRules,
  type PhoneRules,
  type PolicySettings,
  policySettingsSchema,
} from './settings';
export {
  type AutoFlags,
  decideSignUp,
  type SignUpContext,
  type SignUpRequest,
  type SignUpVerdict,
} from './sign-up';
export { type StateTable, stateTable } from './state-client';
export {
  type ConsumeVelocityOptions,
  countVelocity,
  type UpdateItemCommandType,
  type VelocityLimit,
  velocityItemKey,
} from './velocity';
export {
  type SmsDestination,
  signUpVelocityLimits,
  smsDestinationOf,
  smsVelocityLimits,
} from './velocity-limits';
