import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import suite from '../../config/suite.json';
import { packageStack } from '../support/package';
import {
  describeCommonChecks,
  EXISTING_POOL_ID,
  MODES,
  TRIGGERS,
  usePackagedMode,
} from './deployment-modes';

const { eumSendGrant } = createRequire(import.meta.url)(
  '../../infra/eum-send-grant.js',
) as { eumSendGrant(eum: unknown): { resources: unknown[] } };

// poolMode=existing, with End User Messaging, a protect configuration and an
// existing alarm topic.
const packaged = usePackagedMode('existing');

describeCommonChecks('existing', packaged);

describe('deployment, existing pool', () => {
  it('attaches every trigger to the pool found by name, creating none', () => {
    // Prepare
    const template = packaged.template();

    // Act
    const attachments = packaged.resourcesOfType('Custom::CognitoUserPool');

    // Assess
    expect(packaged.resourcesOfType('AWS::Cognito::UserPool')).toEqual([]);
    expect(template.Resources.CognitoSmsRole).toBeUndefined();
    const triggers = attachments.flatMap(([, resource]) => {
      expect(resource.Properties.UserPoolName).toBe('shop-users');
      return resource.Properties.UserPoolConfigs;
    });
    expect(triggers.map((config) => config.Trigger).sort()).toEqual(
      [...TRIGGERS].sort(),
    );
    const sender = triggers.find((c) => c.Trigger === 'CustomSMSSender');
    expect(sender.LambdaVersion).toBe('V1_0');
    expect(sender.KMSKeyID).toEqual({ 'Fn::GetAtt': ['CodeKey', 'Arn'] });
    // Attached when the attachment changes, not on every deploy
    expect(
      attachments.map(([, resource]) => resource.Properties.ForceDeploy),
    ).toEqual(attachments.map(() => undefined));
  });

  it('attaches the triggers again on a deploy with reattachTriggers=true, and refuses other values', () => {
    // Act
    const again = packageStack([
      ...MODES.existing,
      '--param',
      'reattachTriggers=true',
    ]);
    let refused = '';
    try {
      packageStack([...MODES.existing, '--param', 'reattachTriggers=yes']);
    } catch (error) {
      refused = (error as Error).message;
    }

    // Assess: a new value each time, so CloudFormation runs the attachment
    const attachments = Object.values(again.template.Resources).filter(
      (resource: any) => resource.Type === 'Custom::CognitoUserPool',
    ) as any[];
    expect(attachments).toHaveLength(TRIGGERS.length);
    for (const resource of attachments) {
      expect(resource.Properties.ForceDeploy).toBeGreaterThan(
        1_700_000_000_000,
      );
    }
    expect(refused).toContain('Cannot resolve variable');
    expect(refused).toContain('custom.pool.event.forceDeploy');
  });

  it('binds the key to the pool id and runs the custom resource on our runtime', () => {
    // Prepare
    const template = packaged.template();

    // Act
    const statements =
      template.Resources.CodeKey.Properties.KeyPolicy.Statement;
    const helper =
      template.Resources.CustomDashresourceDashexistingDashcupLambdaFunction;

    // Assess
    for (const sid of ['DeployerCreatesCognitoGrant', 'SenderDecryptsCodes']) {
      const statement = statements.find((s: { Sid: string }) => s.Sid === sid);
      expect(
        statement.Condition.StringLike['kms:EncryptionContext:userpool-id'],
      ).toEqual({ Ref: 'ExistingPoolId' });
    }
    expect(template.Parameters.ExistingPoolId.Default).toBe(EXISTING_POOL_ID);
    const sender = template.Resources.CustomSmsSenderLambdaFunction;
    expect(helper.Properties.Runtime).toBe(sender.Properties.Runtime);
    expect(helper.DependsOn).toContain('CustomResourceExistingCupLogGroup');
  });

  it('creates the End User Messaging configuration set with its protect configuration', () => {
    // Prepare
    const template = packaged.template();

    // Act
    const set = template.Resources.SmsConfigurationSet;

    // Assess
    expect(set.Type).toBe('AWS::SMSVOICE::ConfigurationSet');
    expect(set.Properties.EventDestinations).toHaveLength(1);
    expect(template.Resources.SmsProtectConfiguration.Type).toBe(
      'AWS::SMSVOICE::ProtectConfiguration',
    );
    expect(template.Parameters.EumProtectConfiguration.Default).toBe('true');
  });

  it('lets the sender send only through what suite.json configures', () => {
    // Prepare
    const template = packaged.template();
    const shipped = suite.sms as { endUserMessaging?: unknown };

    // Act
    const role = template.Resources.CustomSmsSenderRole.Properties;
    const grant = template.Resources.SenderSendsTextMessages;

    // Assess
    expect(role.ManagedPolicyArns).toEqual([
      { Ref: 'SenderSendsTextMessages' },
    ]);
    expect(grant.Type).toBe('AWS::IAM::ManagedPolicy');
    expect(grant.Properties.PolicyDocument.Statement).toEqual([
      {
        Sid: 'SendTextMessage',
        Effect: 'Allow',
        Action: 'sms-voice:SendTextMessage',
        Resource: eumSendGrant(shipped.endUserMessaging).resources,
      },
    ]);
    expect(JSON.stringify(grant)).toContain('SmsConfigurationSet');
    // ...and never publishes through SNS
    expect(template.Resources.SenderPublishesSms).toBeUndefined();
    expect(JSON.stringify(role)).not.toContain('sns:Publish');
  });

  it("states the pool's email setting to Custom Message without touching the pool's email", () => {
    // Prepare
    const template = packaged.template();

    // Act
    const message = Object.values(template.Resources).find(
      (resource: any) =>
        resource.Type === 'AWS::Lambda::Function' &&
        resource.Properties.Environment?.Variables?.EMAIL_SENDING_ACCOUNT,
    ) as any;

    // Assess
    expect(message.Properties.Environment.Variables.EMAIL_SENDING_ACCOUNT).toBe(
      'DEVELOPER',
    );
    expect(JSON.stringify(template)).not.toContain('EmailConfiguration');
  });

  it('keeps logs as long as the logRetentionDays parameter says', () => {
    // Prepare
    const groups = packaged.resourcesOfType('AWS::Logs::LogGroup');

    // Act
    const retention = groups.map(
      ([, group]) => group.Properties.RetentionInDays,
    );

    // Assess
    expect(groups.length).toBeGreaterThanOrEqual(8);
    expect(new Set(retention)).toEqual(new Set([90]));
  });
});
