import type { CustomSmsSenderEvent } from '../events';
import { CUSTOM_SMS_SENDER_SOURCES, messageKindOf } from '../events';
import type { MessageKind } from '../events/trigger-sources';
import { logger } from '../logging';
import { countMetric } from '../metrics';
import {
  decidePhone,
  type ParsedPhone,
  parsePhoneNumber,
} from '../policy/phone';
import { planRoutes, type Route, type Transport } from '../routing/plan';
import type { SuiteSettings } from '../settings';
import { type SenderOutcome, UNKNOWN_COUNTRY } from './outcome';
import type { SenderEnvironment } from './send';

/** The environment's comma-separated lists (already split by config). */
function listOf(value: unknown): readonly string[] {
  return Array.isArray(value) ? (value as string[]) : [];
}

/** A request that passed every check that needs no I/O. */
export interface PreparedSms {
  readonly event: CustomSmsSenderEvent;
  readonly code: string;
  readonly kind: MessageKind;
  readonly phone: ParsedPhone;
  readonly routes: readonly Route[];
  readonly transport: Transport;
}

const refused = (
  reason: string,
  transport: Transport,
  country = UNKNOWN_COUNTRY,
): SenderOutcome => ({ outcome: 'refused', reason, transport, country });

/**
 * The checks before any I/O, in order: a known trigger source, a code, a
 * valid destination, the country policy (shadow-aware), the sandbox list,
 * and a route (region table, identity chain). Each failure is a terminal
 * outcome: trying again cannot change it.
 *
 * @param event - the validated event
 * @param env - deployment settings
 * @param settings - behaviour settings
 */
export function prepareSms(
  event: CustomSmsSenderEvent,
  env: SenderEnvironment,
  settings: SuiteSettings,
): PreparedSms | SenderOutcome {
  const transport = env.SMS_TRANSPORT;
  const known = (CUSTOM_SMS_SENDER_SOURCES as readonly string[]).includes(
    event.triggerSource,
  );
  const kind = known ? messageKindOf(event.triggerSource) : undefined;
  if (!kind) return refused('unknown_trigger_source', transport);
  const code = event.request.code;
  if (!code) {
    return {
      outcome: 'failed',
      errorClass: 'missing_code',
      transport,
      country: UNKNOWN_COUNTRY,
    };
  }
  const phone = parsePhoneNumber(event.request.userAttributes.phone_number);
  if (!phone) return refused('invalid_phone_number', transport);
  const policy = checkDestination(phone, env, settings);
  if (policy) return refused(policy, transport, phone.country);
  const plan = planRoutes({
    transport,
    cognitoRegion: event.region,
    regionOverride: listOf(env.SNS_REGIONS),
    country: phone.country,
    settings: settings.sms,
    deployment: {
      configurationSetName: env.SMS_CONFIGURATION_SET,
      protectConfigurationId: env.SMS_PROTECT_CONFIGURATION_ID,
    },
  });
  if (!plan.ok) return unroutable(plan.reason, event.region, transport, phone);
  return { event, code, kind, phone, routes: plan.routes, transport };
}

function checkDestination(
  phone: ParsedPhone,
  env: SenderEnvironment,
  settings: SuiteSettings,
): string | undefined {
  const decision = decidePhone(phone, settings.policy.phone);
  if (decision.outcome === 'deny') return decision.reason;
  if (decision.outcome === 'would-deny') {
    logger.warn('sms would be refused (shadow mode)', {
      reason: decision.reason,
      country: phone.country,
    });
    countMetric('SmsWouldRefuse', {
      reason: decision.reason,
      country: phone.country,
    });
  }
  const sandbox = listOf(env.SMS_SANDBOX_NUMBERS);
  if (sandbox.length > 0 && !sandbox.includes(phone.e164)) {
    return 'sandbox_not_verified';
  }
  return undefined;
}

function unroutable(
  reason: 'region_not_in_table' | 'no_origination_identity',
  region: string,
  transport: Transport,
  phone: ParsedPhone,
): SenderOutcome {
  if (reason === 'no_origination_identity') {
    return refused(reason, transport, phone.country);
  }
  logger.error('configuration error: no SMS region for this pool region', {
    poolRegion: region.slice(0, 32),
    hint: 'add the region to SNS_REGIONS, or use a pool region listed in the Cognito SMS region table',
  });
  return {
    outcome: 'failed',
    errorClass: 'config_region_not_in_table',
    transport,
    country: phone.country,
  };
}
