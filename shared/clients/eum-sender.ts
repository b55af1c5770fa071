import {
  PinpointSMSVoiceV2Client,
  SendTextMessageCommand,
  type SendTextMessageRequest,
} from '@aws-sdk/client-pinpoint-sms-voice-v2';
import type { EumRoute } from '../routing/plan';
import {
  type OutgoingSms,
  SEND_CLIENT_OPTIONS,
  type SendOptions,
  type SendResult,
} from './types';

const clients = new Map<string, PinpointSMSVoiceV2Client>();

/** One End User Messaging client per region, built once (no SDK retries). */
function eumClient(region: string): PinpointSMSVoiceV2Client {
  let client = clients.get(region);
  if (!client) {
    client = new PinpointSMSVoiceV2Client({ region, ...SEND_CLIENT_OPTIONS });
    clients.set(region, client);
  }
  return client;
}

/**
 * The `SendTextMessage` input of a route: TRANSACTIONAL, a short time to
 * live (an OTP is useless after a few minutes), the identity, price cap,
 * configuration set, protect configuration and India's TRAI ids.
 *
 * @param sms - destination and text
 * @param route - region, identity and parameters
 * @param dryRun - validate without sending (free)
 * @see https://docs.aws.amazon.com/pinpoint/latest/apireference_smsvoicev2/API_SendTextMessage.html
 */
export function sendTextMessageInput(
  sms: OutgoingSms,
  route: EumRoute,
  dryRun: boolean,
): SendTextMessageRequest {
  const india =
    route.entityId || route.templateId
      ? {
          DestinationCountryParameters: {
            ...(route.entityId ? { IN_ENTITY_ID: route.entityId } : {}),
            ...(route.templateId ? { IN_TEMPLATE_ID: route.templateId } : {}),
          },
        }
      : {};
  return {
    DestinationPhoneNumber: sms.phoneNumber,
    MessageBody: sms.text,
    MessageType: 'TRANSACTIONAL',
    TimeToLive: route.timeToLiveSeconds,
    ...(route.identity ? { OriginationIdentity: route.identity.id } : {}),
    ...(route.maxPrice ? { MaxPrice: route.maxPrice } : {}),
    ...(route.configurationSetName
      ? { ConfigurationSetName: route.configurationSetName }
      : {}),
    ...(route.protectConfigurationId
      ? { ProtectConfigurationId: route.protectConfigurationId }
      : {}),
    ...india,
    ...(dryRun ? { DryRun: true } : {}),
  };
}

/** Sends one SMS through End User Messaging in the route's region. */
export async function sendViaEndUserMessaging(
  sms: OutgoingSms,
  route: EumRoute,
  options: SendOptions,
): Promise<SendResult> {
  const output = await eumClient(route.region).send(
    new SendTextMessageCommand(
      sendTextMessageInput(sms, route, options.dryRun),
    ),
    { abortSignal: options.abortSignal },
  );
  return output.MessageId ? { messageId: output.MessageId } : {};
}
