import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { IDENTITY_TYPES } from '../../../shared/routing/identity-chain';
import { smsSettingsSchema } from '../../../shared/sms/settings';

/**
 * The sender's End User Messaging grant (infra/eum-send-grant.js): derived
 * from suite.json when the stack is packaged, it names the configured
 * identities and widens to a resource type only where no ARN can be known.
 */

type Resource = string | Record<string, unknown>;
const { eumSendGrant } = createRequire(import.meta.url)(
  '../../../infra/eum-send-grant.js',
) as {
  eumSendGrant(eum: unknown): { resources: Resource[]; widened: string[] };
};

const PHONE_ID = 'phone-0123456789abcdef0123456789abcdef';
const POOL_ID = 'pool-fedcba9876543210fedcba9876543210';
const PROTECT_ID = 'protect-00112233445566778899aabbccddeeff';
const SENDER_ARN =
  'arn:aws:sms-voice:ap-northeast-1:123456789012:sender-id/SUITE/JP';

/** The grant of `endUserMessaging` settings, validated as deployed. */
function grantOf(endUserMessaging: unknown) {
  const sms = smsSettingsSchema.parse({ endUserMessaging });
  return eumSendGrant(sms.endUserMessaging);
}

const sub = (region: string, resource: string) => ({
  'Fn::Sub': `arn:\${AWS::Partition}:sms-voice:${region}:\${AWS::AccountId}:${resource}`,
});
// biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation Fn::Sub variable
const POOL_REGION = '${AWS::Region}';
const inPoolRegion = (resource: string) => sub(POOL_REGION, resource);
const STACK_RESOURCES = [
  { 'Fn::GetAtt': ['SmsConfigurationSet', 'Arn'] },
  {
    'Fn::If': [
      'HasProtectConfiguration',
      { 'Fn::GetAtt': ['SmsProtectConfiguration', 'Arn'] },
      { Ref: 'AWS::NoValue' },
    ],
  },
];

describe('the sender End User Messaging grant', () => {
  it('names each configured identity and the stack own resources, nothing wider', () => {
    // Prepare
    const settings = {
      missingIdentity: 'refuse',
      countries: {
        US: {
          identities: [
            { type: 'short-code', id: PHONE_ID },
            { type: 'toll-free', id: POOL_ID.replace('pool', 'phone') },
          ],
        },
        JP: { identities: [{ type: 'sender-id', id: SENDER_ARN }] },
        '*': { identities: [{ type: 'pool', id: POOL_ID }] },
        DE: { identities: [{ type: 'sender-id', id: 'SUITE' }] },
      },
    };

    // Act
    const { resources, widened } = grantOf(settings);

    // Assess
    expect(resources).toEqual([
      inPoolRegion(`phone-number/${PHONE_ID}`),
      inPoolRegion(`phone-number/${POOL_ID.replace('pool', 'phone')}`),
      SENDER_ARN,
      inPoolRegion(`pool/${POOL_ID}`),
      inPoolRegion('sender-id/SUITE/*'),
      ...STACK_RESOURCES,
    ]);
    expect(widened).toEqual([]);
  });

  it('grants an identity in every region the sender sends from', () => {
    // Prepare
    const settings = {
      regions: ['eu-west-1', 'eu-central-1'],
      configurationSetName: 'otp',
      protectConfigurationId: PROTECT_ID,
      countries: { '*': { identities: [{ type: 'pool', id: POOL_ID }] } },
    };

    // Act
    const { resources, widened } = grantOf(settings);

    // Assess
    expect(resources).toEqual([
      sub('eu-west-1', `pool/${POOL_ID}`),
      sub('eu-central-1', `pool/${POOL_ID}`),
      ...STACK_RESOURCES,
      sub('eu-west-1', 'configuration-set/otp'),
      sub('eu-central-1', 'configuration-set/otp'),
      sub('eu-west-1', `protect-configuration/${PROTECT_ID}`),
      sub('eu-central-1', `protect-configuration/${PROTECT_ID}`),
    ]);
    expect(widened).toEqual([]);
  });

  it('widens to the account identities when End User Messaging may pick one', () => {
    // Prepare
    const shipped = {};

    // Act
    const { resources, widened } = grantOf(shipped);

    // Assess
    expect(resources).toEqual([
      inPoolRegion('phone-number/*'),
      inPoolRegion('sender-id/*'),
      inPoolRegion('pool/*'),
      ...STACK_RESOURCES,
    ]);
    expect(widened).toHaveLength(1);
    expect(widened[0]).toMatch(/account-default/);
  });

  it.each(IDENTITY_TYPES.filter((type) => type !== 'sender-id'))(
    'widens a %s given as a number to every phone number, and says so without the number',
    (type) => {
      // Prepare
      const settings = {
        missingIdentity: 'refuse',
        countries: { GB: { identities: [{ type, id: '+447700900123' }] } },
      };

      // Act
      const { resources, widened } = grantOf(settings);

      // Assess
      expect(resources[0]).toEqual(inPoolRegion('phone-number/*'));
      expect(widened).toHaveLength(1);
      expect(widened[0]).toContain('every phone-number of the account');
      expect(widened[0]).not.toContain('447700900123');
    },
  );

  it('grants what the id is, whatever type the chain declares', () => {
    // Prepare
    const settings = {
      missingIdentity: 'refuse',
      countries: {
        US: { identities: [{ type: 'toll-free', id: PHONE_ID }] },
        GB: { identities: [{ type: 'long-code', id: POOL_ID }] },
        FR: { identities: [{ type: 'pool', id: PHONE_ID.replace('0', '9') }] },
      },
    };

    // Act
    const { resources, widened } = grantOf(settings);

    // Assess
    expect(resources.slice(0, 3)).toEqual([
      inPoolRegion(`phone-number/${PHONE_ID}`),
      inPoolRegion(`pool/${POOL_ID}`),
      inPoolRegion(`phone-number/${PHONE_ID.replace('0', '9')}`),
    ]);
    expect(widened).toEqual([]);
  });

  it('grants a protect configuration and a configuration set named by any id', () => {
    // Prepare
    const settings = {
      missingIdentity: 'refuse',
      configurationSetName: 'otp_set',
      protectConfigurationId: 'protect-abc',
    };

    // Act
    const { resources } = grantOf(settings);

    // Assess
    expect(resources).toEqual([
      ...STACK_RESOURCES,
      inPoolRegion('configuration-set/otp_set'),
      inPoolRegion('protect-configuration/protect-abc'),
    ]);
  });

  it('falls back to resource types when the identities would not fit in one policy', () => {
    // Prepare
    const countries = Object.fromEntries(
      ['DE', 'FR', 'IT', 'ES', 'NL', 'BE', 'AT', 'PL'].map((country, i) => [
        country,
        {
          identities: Array.from({ length: 8 }, (_, j) => ({
            type: 'long-code',
            id: `phone-${String(i * 10 + j).padStart(32, '0')}`,
          })),
        },
      ]),
    );
    const settings = {
      missingIdentity: 'refuse',
      regions: ['eu-central-1', 'eu-west-1'],
      countries,
    };

    // Act
    const { resources, widened } = grantOf(settings);

    // Assess
    expect(resources).toEqual([
      sub('eu-central-1', 'phone-number/*'),
      sub('eu-west-1', 'phone-number/*'),
      sub('eu-central-1', 'sender-id/*'),
      sub('eu-west-1', 'sender-id/*'),
      sub('eu-central-1', 'pool/*'),
      sub('eu-west-1', 'pool/*'),
      ...STACK_RESOURCES,
    ]);
    expect(widened).toEqual([
      expect.stringContaining('more identities than one IAM policy'),
    ]);
  });

  it('warns when a region may send with nothing IAM can match', () => {
    // Prepare
    const settings = { regions: ['eu-central-1', 'eu-west-1'] };

    // Act
    const { widened } = grantOf(settings);

    // Assess
    expect(widened).toEqual([
      expect.stringContaining('account-default'),
      expect.stringContaining('set configurationSetName'),
    ]);
  });

  it('grants an identity named in several chains once', () => {
    // Prepare
    const chain = { identities: [{ type: 'pool', id: POOL_ID }] };
    const settings = { countries: { '*': chain, FR: chain, ES: chain } };

    // Act
    const { resources } = grantOf(settings);

    // Assess
    expect(resources).toEqual([
      inPoolRegion(`pool/${POOL_ID}`),
      ...STACK_RESOURCES,
    ]);
  });
});
