import type { PreSignUpSource } from '../events';
import { ALLOW, type Decision, type Refusal, refuse } from './decision';
import { matchesDomainList } from './domains';
import {
  decideDisposable,
  decideEmailDomain,
  type ParsedEmail,
  parseEmail,
} from './email';
import { decidePhone, type ParsedPhone, parsePhoneNumber } from './phone';
import { registrableDomain } from './registrable-domain';
import type { EmailRules, PolicySettings } from './settings';
import type { VelocityLimit } from './velocity';
import { signUpVelocityLimits } from './velocity-limits';

/** What Pre Sign-up decides on (typed; parsed from the event). */
export interface SignUpRequest {
  readonly triggerSource: PreSignUpSource;
  readonly userAttributes: Readonly<Record<string, string>>;
  /** `callerContext.clientId`, when it names an app client. */
  readonly clientId?: string;
  /**
   * The event's `userName`: for a federated user `<provider>_<id>`, which
   * names the identity provider that asserted the attributes.
   */
  readonly userName?: string;
}

/** The Pre Sign-up response flags. */
export interface AutoFlags {
  readonly autoConfirmUser: boolean;
  readonly autoVerifyEmail: boolean;
  readonly autoVerifyPhone: boolean;
}

/** The pure part of the Pre Sign-up verdict; velocity is counted after. */
export interface SignUpVerdict {
  /** Every refusal and would-refusal, in evaluation order. */
  readonly refusals: readonly Refusal[];
  /** The first enforced refusal, if any. */
  readonly denied?: Denial;
  /** Limits to count when nothing is denied. */
  readonly velocity: readonly VelocityLimit[];
  /** Flags to set; `undefined` for `PreSignUp_AdminCreateUser` (ignored). */
  readonly flags?: AutoFlags;
}

/** Everything the decision needs besides the request. */
export interface SignUpContext {
  readonly policy: PolicySettings;
  /** The disposable list; required only when `policy.disposable` is on. */
  readonly disposable?: ReadonlySet<string>;
}

type Mode = 'open' | 'allow-listed' | 'closed';
type Denial = Extract<Decision, { outcome: 'deny' }>;

const isRefusal = (decision: Decision): decision is Refusal =>
  decision.outcome !== 'allow';
const isDenial = (decision: Decision): decision is Denial =>
  decision.outcome === 'deny';

/** Nothing confirmed or verified: what Cognito sends, and does by default. */
export const NO_FLAGS: AutoFlags = Object.freeze({
  autoConfirmUser: false,
  autoVerifyEmail: false,
  autoVerifyPhone: false,
});

function modeOf(request: SignUpRequest, policy: PolicySettings): Mode {
  const { registration } = policy;
  const self: Mode = registration === 'invite-only' ? 'closed' : registration;
  if (request.triggerSource !== 'PreSignUp_ExternalProvider') return self;
  const external = policy.externalProvider.registration;
  return external === 'inherit' ? self : external;
}

/**
 * An allow-listed self sign-up with a phone number: where the pool verifies
 * phone numbers, Cognito confirms it by SMS and the allow-listed email is
 * never proven, so anyone could register as anyone at the domain.
 */
function decideAllowListedPhone(
  request: SignUpRequest,
  mode: Mode,
  policy: PolicySettings,
): Decision {
  const phone = request.userAttributes.phone_number;
  const isRisky =
    mode === 'allow-listed' &&
    request.triggerSource === 'PreSignUp_SignUp' &&
    typeof phone === 'string' &&
    phone.length > 0 &&
    !policy.allowListedPhoneAtSignUp;
  return isRisky
    ? refuse('phone_with_allow_listed_email', policy.registrationShadow)
    : ALLOW;
}

function closedReason(request: SignUpRequest): string {
  return request.triggerSource === 'PreSignUp_ExternalProvider'
    ? 'registration_closed'
    : 'registration_invite_only';
}

/**
 * The email rules in force. A federated sign-up takes each of `allow`,
 * `deny` and `shadow` from `externalProvider.email` where it sets the key,
 * and from the self sign-up rules where it does not: setting only a
 * federated allow list must not drop the deny list.
 */
function emailRulesOf(
  request: SignUpRequest,
  policy: PolicySettings,
): EmailRules {
  const own = policy.externalProvider.email;
  if (request.triggerSource !== 'PreSignUp_ExternalProvider' || !own)
    return policy.email;
  const self = policy.email;
  return {
    allow: own.allow ?? self.allow,
    deny: own.deny ?? self.deny,
    shadow: own.shadow ?? self.shadow,
  };
}

/**
 * Whether the user's identity provider asserted the email. A self sign-up's
 * email is only typed: never asserted.
 *
 * - At a domain that `trustedProviders` names, only the providers listed
 *   for it can assert an address: one of them, when it says
 *   `email_verified: true` or nothing about it (SAML). Any other provider's `email_verified: true`
 *   counts for nothing there, or a partner's IdP (or a multi-tenant one
 *   whose users set their own address) could claim any employee's address.
 * - At any other domain, the provider's `email_verified: true`.
 */
function isEmailAsserted(
  request: SignUpRequest,
  email: ParsedEmail | undefined,
  policy: PolicySettings,
): boolean {
  if (request.triggerSource !== 'PreSignUp_ExternalProvider' || !email)
    return false;
  const verified = request.userAttributes.email_verified;
  const trusted = policy.trustedProviders.filter(({ domains }) =>
    matchesDomainList(email.domain, domains),
  );
  if (trusted.length === 0) return verified === 'true';
  return (
    isFromProvider(request, trusted) &&
    (verified === undefined || verified === 'true')
  );
}

/** Whether a federated user signed in through one of `providers`. */
function isFromProvider(
  request: SignUpRequest,
  providers: PolicySettings['trustedProviders'],
): boolean {
  const userName = (request.userName ?? '').toLowerCase();
  return providers.some(({ provider }) =>
    userName.startsWith(`${provider.toLowerCase()}_`),
  );
}

function decideEmail(
  raw: string | undefined,
  email: ParsedEmail | undefined,
  mode: Mode,
  context: SignUpContext,
  request: SignUpRequest,
): Decision[] {
  const { policy } = context;
  const rules = emailRulesOf(request, policy);
  const mustBeAllowed = mode === 'allow-listed';
  // The shadow flags of the rules that need a domain: an unreadable address
  // is refused unless every one of them is in shadow mode.
  const shadows = [
    ...(mustBeAllowed ? [policy.registrationShadow] : []),
    ...(rules.deny.length > 0 ? [rules.shadow] : []),
    ...(policy.disposable.mode === 'off' ? [] : [policy.disposable.shadow]),
  ];
  if (email === undefined) {
    if (raw !== undefined && shadows.length > 0)
      return [refuse('email_invalid', shadows.every(Boolean))];
    return mustBeAllowed
      ? [refuse('email_missing', policy.registrationShadow)]
      : [];
  }
  // A federated user's domain means something only if the provider vouches
  // for the address: otherwise anyone could claim one at an allowed domain.
  const isUnproven =
    mustBeAllowed &&
    request.triggerSource === 'PreSignUp_ExternalProvider' &&
    !isEmailAsserted(request, email, policy);
  // An unproven address is refused in place of the allow list, but the
  // deny list still applies: when the first refusal is in shadow mode, the
  // second is what stops it.
  return [
    ...(isUnproven
      ? [refuse('email_unasserted', policy.registrationShadow)]
      : []),
    decideEmailDomain(
      email.domain,
      rules,
      mustBeAllowed && !isUnproven,
      policy.registrationShadow,
    ),
    decideDisposable(
      email.domain,
      policy.disposable,
      context.disposable ?? new Set(),
    ),
  ];
}

function decidePhoneAttribute(
  raw: string | undefined,
  phoneOf: () => ParsedPhone | undefined,
  policy: PolicySettings,
): Decision {
  const rules = policy.phone;
  if (rules.mode === 'off' && rules.lineTypes === undefined) return ALLOW;
  const phone = phoneOf();
  if (phone !== undefined) return decidePhone(phone, rules);
  return raw === undefined ? ALLOW : refuse('phone_invalid', rules.shadow);
}

function flagsOf(
  request: SignUpRequest,
  email: ParsedEmail | undefined,
  phoneOf: () => ParsedPhone | undefined,
  policy: PolicySettings,
): AutoFlags {
  // A self sign-up's email is only typed: nothing is confirmed or verified
  // before its owner answers the code, whatever its domain.
  if (request.triggerSource !== 'PreSignUp_ExternalProvider') return NO_FLAGS;
  const attributes = request.userAttributes;
  const emailAsserted = isEmailAsserted(request, email, policy);
  const rule = policy.externalProvider.autoConfirm;
  const confirm =
    rule === 'always' || (rule === 'verified-email' && emailAsserted);
  if (!confirm) return NO_FLAGS;
  // Cognito fails the sign-up if autoVerifyPhone meets a number that is not
  // strict E.164, so a formatted number ('+44 7700 …') is never verified.
  // A number has no domain to tie it to a provider: once the deployment
  // names trusted providers, only they are believed about one (a verified
  // number is an alias that Cognito takes from the user who had it).
  const phoneAsserted =
    attributes.phone_number_verified === 'true' &&
    (policy.trustedProviders.length === 0 ||
      isFromProvider(request, policy.trustedProviders)) &&
    attributes.phone_number !== undefined &&
    phoneOf()?.e164 === attributes.phone_number;
  return {
    autoConfirmUser: true,
    autoVerifyEmail: emailAsserted,
    autoVerifyPhone: phoneAsserted,
  };
}

/**
 * Parses the phone number only when a rule asks for it (the shipped default
 * never does: parsing is most of a decision's CPU time), and at most once.
 */
function lazyPhone(raw: string | undefined): () => ParsedPhone | undefined {
  let parsed: { value: ParsedPhone | undefined } | undefined;
  return () => {
    parsed ??= { value: parsePhoneNumber(raw) };
    return parsed.value;
  };
}

/**
 * Decides a sign-up: registration mode, email domain lists, disposable
 * mailboxes, phone rules, then which velocity limits to count and which
 * auto-confirm / auto-verify flags to set. Pure and total: any attribute
 * values give a verdict, never an exception.
 *
 * `PreSignUp_AdminCreateUser` always passes (administrators are trusted,
 * and Cognito ignores the flags for it, so none are decided: the handler
 * writes {@link NO_FLAGS}).
 *
 * @param request - the trigger source, attributes and app client
 * @param context - the `policy` settings and the disposable list
 */
export function decideSignUp(
  request: SignUpRequest,
  context: SignUpContext,
): SignUpVerdict {
  if (request.triggerSource === 'PreSignUp_AdminCreateUser')
    return { refusals: [], velocity: [] };
  const { policy } = context;
  const mode = modeOf(request, policy);
  const rawEmail = request.userAttributes.email;
  const rawPhone = request.userAttributes.phone_number;
  const email = parseEmail(rawEmail);
  const phoneOf = lazyPhone(rawPhone);
  const decisions: Decision[] = [
    mode === 'closed'
      ? refuse(closedReason(request), policy.registrationShadow)
      : ALLOW,
    ...decideEmail(rawEmail, email, mode, context, request),
    decidePhoneAttribute(rawPhone, phoneOf, policy),
    decideAllowListedPhone(request, mode, policy),
  ];
  const refusals = decisions.filter(isRefusal);
  const denied = refusals.find(isDenial);
  if (denied) return { refusals, denied, velocity: [] };
  const { perPrefix, perEmailDomain } = policy.velocity.signUp;
  const velocity = signUpVelocityLimits(policy.velocity, {
    phone: perPrefix !== false ? phoneOf() : undefined,
    // Counted per registered domain: subdomains cost an attacker nothing.
    emailDomain:
      email && perEmailDomain !== false
        ? registrableDomain(email.domain)
        : undefined,
    clientId: request.clientId,
  });
  const flags = flagsOf(request, email, phoneOf, policy);
  return { refusals, velocity, flags };
}
