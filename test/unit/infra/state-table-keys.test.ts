import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { policySettingsSchema } from '../../../shared/policy';
import { velocityItemKey } from '../../../shared/policy/velocity';
import {
  signUpVelocityLimits,
  smsVelocityLimits,
} from '../../../shared/policy/velocity-limits';
import { deliveryItemKey } from '../../../shared/sms/idempotency';
import { readCfnYaml } from '../../support/cfn-yaml';
import { ROOT } from '../../support/provision';

/**
 * Each role may update only its own items of the shared state table
 * (`dynamodb:LeadingKeys`): the patterns in the roles must match every key
 * the function writes and none the other one writes.
 */

function leadingKeyPatterns(file: string, roleName: string): RegExp[] {
  const role = (readCfnYaml(path.join(ROOT, file)) as any).Resources[roleName];
  const statements = role.Properties.Policies.flatMap(
    (policy: any) => policy.PolicyDocument.Statement,
  );
  const [state] = statements.filter((s: any) =>
    [s.Action].flat().includes('dynamodb:UpdateItem'),
  );
  const globs: string[] =
    state.Condition['ForAllValues:StringLike']['dynamodb:LeadingKeys'];
  return globs.map(
    (glob) =>
      new RegExp(
        `^${glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`,
      ),
  );
}

const allowedBy = (patterns: RegExp[]) => (key: string) =>
  patterns.some((pattern) => pattern.test(key));

const everyLimit = policySettingsSchema.parse({
  velocity: {
    sms: { perPrefixSignIn: { limit: 1, windowSeconds: 60 } },
    signUp: {
      perPrefix: { limit: 1, windowSeconds: 60 },
      perEmailDomain: { limit: 1, windowSeconds: 60 },
      perClient: { limit: 1, windowSeconds: 60 },
    },
  },
}).velocity;
const phone = { e164: '+447700900123', prefix: '+4477009', country: 'GB' };

const senderKeys = [
  deliveryItemKey({
    userPoolId: 'eu-central-1_Abc',
    user: 'u-1',
    triggerSource: 'CustomSMSSender_SignUp',
    code: 'AYADe',
  }),
  ...(['sign-in', 'account', 'unproven'] as const).flatMap((destination) =>
    smsVelocityLimits(everyLimit, {
      phone: phone as any,
      user: 'u-1',
      destination,
    }).map((limit) => velocityItemKey(limit, 0)),
  ),
];
const signUpKeys = signUpVelocityLimits(everyLimit, {
  phone: phone as any,
  emailDomain: 'example.com',
  clientId: 'client-1',
}).map((limit) => velocityItemKey(limit, 0));

describe('state table keys and the roles that write them', () => {
  const sender = leadingKeyPatterns(
    'infra/resources/roles/custom-sms-sender.yml',
    'CustomSmsSenderRole',
  );
  const preSignUp = leadingKeyPatterns(
    'infra/resources/roles/pre-sign-up.yml',
    'PreSignUpRole',
  );

  it('lets the sender write its claims and counters, and nothing of Pre Sign-up', () => {
    // Assess
    // one claim; per phone, prefix and user for each destination
    expect(senderKeys).toHaveLength(10);
    expect(senderKeys.every(allowedBy(sender))).toBe(true);
    expect(signUpKeys.some(allowedBy(sender))).toBe(false);
  });

  it('lets Pre Sign-up write its counters, and nothing of the sender', () => {
    // Assess
    expect(signUpKeys).toHaveLength(3);
    expect(signUpKeys.every(allowedBy(preSignUp))).toBe(true);
    expect(senderKeys.some(allowedBy(preSignUp))).toBe(false);
  });
});
