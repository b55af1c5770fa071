// The resources of the sender's `sms-voice:SendTextMessage` grant
// (smsTransport=end-user-messaging), derived from the suite.json the
// bundles embed, so the role names what the sender is configured to use and
// nothing else:
//
// - each origination identity of `sms.endUserMessaging.countries`, in each
//   region it sends from, by the form of its id (which is what the sender
//   passes and IAM checks): an ARN as it is, a PhoneNumberId or PoolId as
//   its ARN, a sender ID as `sender-id/<id>/*` (any country). A phone
//   number given as a number (E.164 or a short code) has no ARN to derive
//   (IAM sees `phone-number/<PhoneNumberId>`): it widens the grant to the
//   account's phone numbers in those regions, and packaging says so;
// - the account's own identities when a destination may have no chain
//   (`missingIdentity: account-default` without a `*` chain): End User
//   Messaging then picks one, so any of them;
// - the stack's configuration set and protect configuration, and those
//   suite.json names (by name or id in every region, or by ARN);
// - when the identities would not fit in one managed policy (6,144
//   characters), their resource types instead, and packaging says so.
//
// osls calls the default export when it resolves
// `${file(infra/eum-send-grant.js)}` (infra/resources/sms-end-user-messaging.yml).
// Plain CommonJS: osls loads it with require(), before any build.
const suite = require('../config/suite.json');

const ARN = /^arn:[a-z-]+:sms-voice:/;
const PHONE_NUMBER_ID = /^phone-[0-9a-f]{32}$/i;
const POOL_ID = /^pool-[0-9a-f]{32}$/i;
const SENDER_ID = /^[A-Za-z0-9_-]{1,11}$/;
const WILDCARD_TYPES = ['phone-number', 'sender-id', 'pool'];
/** IAM's limit for a managed policy (characters, whitespace excluded). */
const MAX_POLICY_LENGTH = 6144;
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
  const identities = [];
  const widened = [];
  const everyRegion = (list, resource) => {
    for (const region of regions) list.push(arnIn(region, resource));
  };

  // What IAM checks is decided by the id's form, whatever type the chain
  // declares (the sender passes the id as it is).
  for (const [country, entry] of countries) {
    for (const identity of entry.identities ?? []) {
      const id = String(identity.id);
      if (ARN.test(id)) identities.push(id);
      else if (PHONE_NUMBER_ID.test(id)) {
        everyRegion(identities, `phone-number/${id}`);
      } else if (POOL_ID.test(id)) everyRegion(identities, `pool/${id}`);
      else if (identity.type === 'sender-id' && SENDER_ID.test(id)) {
        // Its ARN ends in the country it is registered for, which a bare
        // sender ID does not say: any.
        everyRegion(identities, `sender-id/${id}/*`);
      } else {
        everyRegion(identities, 'phone-number/*');
        widened.push(
          `${country}: a ${identity.type} given as a number (not a PhoneNumberId or ARN) grants every phone-number of the account`,
        );
      }
    }
  }
  const everyDestination = countries.some(([country]) => country === '*');
  const accountPicks =
    (eum.missingIdentity ?? 'account-default') === 'account-default' &&
    !everyDestination;
  if (accountPicks) {
    for (const type of WILDCARD_TYPES) everyRegion(identities, `${type}/*`);
    widened.push(
      'missingIdentity account-default without a `*` chain: End User Messaging picks any identity of the account',
    );
    if (eum.regions?.length > 1 && !eum.configurationSetName) {
      widened.push(
        "a region other than the pool's sends without a configuration set, and with the identity left to End User Messaging such a request may name no resource IAM can match: set configurationSetName",
      );
    }
  }

  // The stack's configuration set and protect configuration (the pool's
  // region), and those suite.json names for the other regions.
  const others = [
    { 'Fn::GetAtt': ['SmsConfigurationSet', 'Arn'] },
    {
      'Fn::If': [
        'HasProtectConfiguration',
        { 'Fn::GetAtt': ['SmsProtectConfiguration', 'Arn'] },
        { Ref: 'AWS::NoValue' },
      ],
    },
  ];
  for (const [type, id] of [
    ['configuration-set', eum.configurationSetName],
    ['protect-configuration', eum.protectConfigurationId],
  ]) {
    if (!id) continue;
    if (ARN.test(id)) others.push(id);
    else everyRegion(others, `${type}/${id}`);
  }

  let named = unique(identities);
  if (policyLength([...named, ...others]) > MAX_POLICY_LENGTH) {
    // More than one managed policy can hold: the identities' resource
    // types instead, rather than a stack that fails to deploy.
    named = [];
    for (const type of WILDCARD_TYPES) everyRegion(named, `${type}/*`);
    widened.push(
      `more identities than one IAM policy (${MAX_POLICY_LENGTH} characters) can name: every phone-number, sender-id and pool of the account`,
    );
  }
  return { resources: unique([...named, ...others]), widened };
}

/** The list without repeats (intrinsics compared by value), in order. */
function unique(list) {
  const seen = new Set();
  return list.filter((item) => {
    const key = JSON.stringify(item);
    return seen.has(key) ? false : seen.add(key);
  });
}

/** The longest value each pseudo parameter of an ARN can take. */
const LONGEST = {
  Partition: 'aws-us-gov',
  Region: 'ap-southeast-7',
  AccountId: '123456789012',
};

/**
 * An upper bound of the policy's length once CloudFormation has resolved
 * it: each Fn::Sub counted with the longest partition, region and account
 * it could take, each GetAtt as a full ARN, plus the statement around.
 */
function policyLength(resources) {
  const resolved = resources.map((resource) => {
    if (typeof resource === 'string') return resource.length;
    const sub = resource['Fn::Sub'];
    if (typeof sub === 'string') {
      return sub.replace(/\$\{AWS::(\w+)\}/g, (_, name) => LONGEST[name])
        .length;
    }
    return 160;
  });
  const STATEMENT = 200;
  return STATEMENT + resolved.reduce((sum, length) => sum + length + 3, 0);
}

module.exports = () => {
  const { resources, widened } = eumSendGrant(suite.sms?.endUserMessaging);
  for (const reason of widened) {
    process.stderr.write(`End User Messaging grant widened: ${reason}\n`);
  }
  return resources;
};
module.exports.eumSendGrant = eumSendGrant;
