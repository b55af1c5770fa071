// The resources of the sender's `sms-voice:SendTextMessage` grant
// (smsTransport=end-user-messaging), derived from the suite.json the
// bundles embed, so the role names what the sender is configured to use and
// nothing else:
//
// - each origination identity of `sms.endUserMessaging.countries`, in each
//   region it sends from: an ARN as it is, a PhoneNumberId or PoolId as its
//   ARN, a sender ID as `sender-id/<id>/*` (any country). A phone number
//   given as a number (E.164 or a short code) has no ARN to derive (IAM
//   sees `phone-number/<PhoneNumberId>`): it widens the grant to the
//   account's phone numbers in those regions, and packaging says so;
// - the account's own identities when a destination may have no chain
//   (`missingIdentity: account-default` without a `*` chain): End User
//   Messaging then picks one, so any of them;
// - the stack's configuration set and protect configuration, and those
//   suite.json names for the other regions.
//
// osls calls the default export when it resolves
// `${file(infra/eum-send-grant.js)}` (infra/resources/sms-end-user-messaging.yml).
// Plain CommonJS: osls loads it with require(), before any build.
const suite = require('../config/suite.json');

const ARN = /^arn:[a-z-]+:sms-voice:/;
const PHONE_NUMBER_ID = /^phone-[0-9a-f]{32}$/i;
const POOL_ID = /^pool-[0-9a-f]{32}$/i;
const PROTECT_CONFIGURATION_ID = /^protect-[0-9a-f]{32}$/i;
const SENDER_ID = /^[A-Za-z0-9_-]{1,11}$/;
const PHONE_TYPES = new Set(['short-code', '10dlc', 'toll-free', 'long-code']);
const KIND_OF = { pool: 'pool', 'sender-id': 'sender-id' };
// biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation Fn::Sub variable
const POOL_REGION = '${AWS::Region}';

/** `arn:<partition>:sms-voice:<region>:<account>:<resource>`, as Fn::Sub. */
const arnIn = (region, resource) => ({
  'Fn::Sub': `arn:\${AWS::Partition}:sms-voice:${region}:\${AWS::AccountId}:${resource}`,
});

/**
 * The grant's resources for one `endUserMessaging` settings section.
 *
 * @param {object} eum - `sms.endUserMessaging` of suite.json (may be empty)
 * @returns {{ resources: unknown[], widened: string[] }} the Resource list
 *   (strings and intrinsic functions) and, for each identity that widened
 *   it, why (without the identity's value: a number is not for logs)
 */
function eumSendGrant(eum = {}) {
  const regions = eum.regions?.length ? eum.regions : [POOL_REGION];
  const countries = Object.entries(eum.countries ?? {});
  const resources = [];
  const widened = [];
  const everyRegion = (resource) => {
    for (const region of regions) resources.push(arnIn(region, resource));
  };

  for (const [country, entry] of countries) {
    for (const identity of entry.identities ?? []) {
      const id = String(identity.id);
      if (ARN.test(id)) resources.push(id);
      else if (identity.type === 'pool' && POOL_ID.test(id)) {
        everyRegion(`pool/${id}`);
      } else if (identity.type === 'sender-id' && SENDER_ID.test(id)) {
        // Its ARN ends in the country it is registered for, which a bare
        // sender ID does not say: any.
        everyRegion(`sender-id/${id}/*`);
      } else if (PHONE_TYPES.has(identity.type) && PHONE_NUMBER_ID.test(id)) {
        everyRegion(`phone-number/${id}`);
      } else {
        const kind = KIND_OF[identity.type] ?? 'phone-number';
        everyRegion(`${kind}/*`);
        widened.push(
          `${country}: a ${identity.type} given neither as an id nor as an ARN grants every ${kind} of the account`,
        );
      }
    }
  }
  const everyDestination = countries.some(([country]) => country === '*');
  if ((eum.missingIdentity ?? 'account-default') === 'account-default') {
    if (!everyDestination) {
      for (const type of ['phone-number', 'sender-id', 'pool']) {
        everyRegion(`${type}/*`);
      }
      widened.push(
        'missingIdentity account-default without a `*` chain: End User Messaging picks any identity of the account',
      );
    }
  }

  // The stack's configuration set and protect configuration (the pool's
  // region), and those suite.json names for the other regions.
  resources.push({ 'Fn::GetAtt': ['SmsConfigurationSet', 'Arn'] });
  resources.push({
    'Fn::If': [
      'HasProtectConfiguration',
      { 'Fn::GetAtt': ['SmsProtectConfiguration', 'Arn'] },
      { Ref: 'AWS::NoValue' },
    ],
  });
  if (eum.configurationSetName) {
    if (ARN.test(eum.configurationSetName)) {
      resources.push(eum.configurationSetName);
    } else everyRegion(`configuration-set/${eum.configurationSetName}`);
  }
  if (eum.protectConfigurationId) {
    const id = eum.protectConfigurationId;
    if (ARN.test(id)) resources.push(id);
    else if (PROTECT_CONFIGURATION_ID.test(id)) {
      everyRegion(`protect-configuration/${id}`);
    }
  }

  const seen = new Set();
  return {
    resources: resources.filter((resource) => {
      const key = JSON.stringify(resource);
      return seen.has(key) ? false : seen.add(key);
    }),
    widened,
  };
}

module.exports = () => {
  const { resources, widened } = eumSendGrant(suite.sms?.endUserMessaging);
  for (const reason of widened) {
    process.stderr.write(`End User Messaging grant widened: ${reason}\n`);
  }
  return resources;
};
module.exports.eumSendGrant = eumSendGrant;
