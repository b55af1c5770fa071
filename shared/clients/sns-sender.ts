import {
  type MessageAttributeValue,
  PublishCommand,
  SNSClient,
} from '@aws-sdk/client-sns';
import type { SnsRoute } from '../routing/plan';
import {
  type OutgoingSms,
  SEND_CLIENT_OPTIONS,
  type SendOptions,
  type SendResult,
} from './types';

const clients = new Map<string, SNSClient>();

/** One SNS client per region, built once (no SDK retries). */
function snsClient(region: string): SNSClient {
  let client = clients.get(region);
  if (!client) {
    client = new SNSClient({ region, ...SEND_CLIENT_OPTIONS });
    clients.set(region, client);
  }
  return client;
}

const text = (value: string): MessageAttributeValue => ({
  DataType: 'String',
  StringValue: value,
});

/**
 * The `Publish` message attributes of a route: always Transactional; a
 * sender ID or an origination number (never both: the settings forbid
 * it); the price cap; India's TRAI entity and template ids.
 *
 * @param route - the SNS route
 * @see https://docs.aws.amazon.com/sns/latest/dg/sms_publish-to-phone.html
 */
export function snsMessageAttributes(
  route: SnsRoute,
): Record<string, MessageAttributeValue> {
  const attributes: Record<string, MessageAttributeValue> = {
    'AWS.SNS.SMS.SMSType': text('Transactional'),
  };
  if (route.senderId) {
    attributes['AWS.SNS.SMS.SenderID'] = text(route.senderId);
  } else if (route.originationNumber) {
    attributes['AWS.MM.SMS.OriginationNumber'] = text(route.originationNumber);
  }
  if (route.maxPrice) {
    attributes['AWS.SNS.SMS.MaxPrice'] = {
      DataType: 'Number',
      StringValue: route.maxPrice,
    };
  }
  if (route.entityId) attributes['AWS.MM.SMS.EntityId'] = text(route.entityId);
  if (route.templateId) {
    attributes['AWS.MM.SMS.TemplateId'] = text(route.templateId);
  }
  return attributes;
}

/**
 * Publishes one SMS through SNS in the route's region. A dry run does not
 * call SNS (SNS has no validate-only mode): the caller logs it.
 */
export async function sendViaSns(
  sms: OutgoingSms,
  route: SnsRoute,
  options: SendOptions,
): Promise<SendResult> {
  if (options.dryRun) return {};
  const output = await snsClient(route.region).send(
    new PublishCommand({
      PhoneNumber: sms.phoneNumber,
      Message: sms.text,
      MessageAttributes: snsMessageAttributes(route),
    }),
    { abortSignal: options.abortSignal },
  );
  return output.MessageId ? { messageId: output.MessageId } : {};
}
