import { describe, expect, it } from 'vitest';
import {
  asyncInvokeFindings,
  synchronousTriggerFunctions,
  timeoutFindings,
} from './template-checks';
import { type Template, totpKeyContextFindings } from './template-walk';

const SENDER_ASYNC = {
  maximumRetryAttempts: 2,
  maximumEventAgeSeconds: 3600,
  onFailureQueue: 'Dlq',
};

/** A sender whose role may send to Dlq, invoked as `config` says. */
const senderTemplate = (config: Record<string, unknown>): Template => ({
  Resources: {
    Sender: {
      Type: 'AWS::Lambda::Function',
      Properties: { Role: { 'Fn::GetAtt': ['SenderRole', 'Arn'] } },
    },
    SenderRole: {
      Type: 'AWS::IAM::Role',
      Properties: {
        Policies: [
          {
            PolicyDocument: {
              Statement: [
                {
                  Effect: 'Allow',
                  Action: 'sqs:SendMessage',
                  Resource: { 'Fn::GetAtt': ['Dlq', 'Arn'] },
                },
              ],
            },
          },
        ],
      },
    },
    Dlq: { Type: 'AWS::SQS::Queue' },
    Conf: {
      Type: 'AWS::Lambda::EventInvokeConfig',
      Properties: {
        FunctionName: { Ref: 'Sender' },
        Qualifier: '$LATEST',
        MaximumRetryAttempts: 2,
        MaximumEventAgeInSeconds: 3600,
        DestinationConfig: {
          OnFailure: { Destination: { 'Fn::GetAtt': ['Dlq', 'Arn'] } },
        },
        ...config,
      },
    },
  },
});

// biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation Fn::Sub string
const SCOPE = { 'Fn::Sub': '${AWS::Region}_*' };

/** A TOTP key whose one statement grants `action` under `condition`. */
const totpTemplate = (action: string, condition: object): Template => ({
  Resources: {
    TotpKey: {
      Type: 'AWS::KMS::Key',
      Properties: {
        KeyPolicy: {
          Statement: [
            {
              Sid: 'Use',
              Effect: 'Allow',
              Principal: { AWS: { 'Fn::GetAtt': ['CreateRole', 'Arn'] } },
              Action: action,
              Resource: '*',
              Condition: condition,
            },
          ],
        },
      },
    },
  },
});

describe('deployment settings checks', () => {
  it('accepts the sender invoked as expected, and reports every difference', () => {
    // Prepare
    const shipped = senderTemplate({});
    const loosened = senderTemplate({
      Qualifier: 'live',
      MaximumRetryAttempts: 0,
      MaximumEventAgeInSeconds: undefined,
      DestinationConfig: {
        OnFailure: { Destination: { 'Fn::GetAtt': ['Other', 'Arn'] } },
      },
    });
    delete loosened.Resources.SenderRole.Properties.Policies;
    const unconfigured = senderTemplate({});
    delete unconfigured.Resources.Conf;

    // Act
    const findings = [shipped, loosened, unconfigured].map((template) =>
      asyncInvokeFindings(template, 'Sender', SENDER_ASYNC),
    );

    // Assess
    expect(findings).toEqual([
      [],
      [
        'Conf: Qualifier live, not $LATEST',
        'Conf: MaximumRetryAttempts 0, not 2',
        'Conf: MaximumEventAgeInSeconds undefined, not 3600',
        'Conf: failed events do not go to Dlq.Arn',
        'Sender: its role may not send to Dlq',
      ],
      ['Sender: 0 event invoke configs'],
    ]);
  });

  it('requires a sub and exactly the pool scope wherever the TOTP key is used', () => {
    // Prepare
    const bound = {
      StringLike: { 'kms:EncryptionContext:userpool-id': SCOPE },
      Null: { 'kms:EncryptionContext:sub': 'false' },
    };
    const templates = [
      totpTemplate('kms:Encrypt', bound),
      totpTemplate('kms:Encrypt', { ...bound, Null: undefined }),
      totpTemplate('kms:Encrypt', {
        ...bound,
        StringLike: { 'kms:EncryptionContext:userpool-id': '*' },
      }),
      totpTemplate('kms:Decrypt', {
        Null: bound.Null,
        'ForAnyValue:StringLike': bound.StringLike,
      }),
      totpTemplate('kms:DescribeKey', {}),
    ];

    // Act
    const findings = templates.map((template) =>
      totpKeyContextFindings(template, SCOPE),
    );

    // Assess
    const scope = JSON.stringify(SCOPE);
    expect(findings).toEqual([
      [],
      ['TotpKey (key Use): kms:Encrypt without a sub'],
      [`TotpKey (key Use): kms:Encrypt not bound to ${scope}`],
      [`TotpKey (key Use): kms:Decrypt not bound to ${scope}`],
      [],
    ]);
  });

  it('finds synchronous triggers and timeouts above the limit', () => {
    // Prepare
    const fn = (Timeout?: number) => ({
      Type: 'AWS::Lambda::Function',
      Properties: { Timeout },
    });
    const template: Template = {
      Resources: {
        Pool: {
          Type: 'AWS::Cognito::UserPool',
          Properties: {
            LambdaConfig: {
              CustomSMSSender: {
                LambdaArn: { 'Fn::GetAtt': ['Sender', 'Arn'] },
              },
              KMSKeyID: { 'Fn::GetAtt': ['Key', 'Arn'] },
              PreSignUp: { 'Fn::GetAtt': ['Quick', 'Arn'] },
              DefineAuthChallenge: { 'Fn::GetAtt': ['Slow', 'Arn'] },
              CustomMessage: { 'Fn::GetAtt': ['Unset', 'Arn'] },
            },
          },
        },
        Sender: fn(30),
        Quick: fn(3),
        Slow: fn(5),
        Unset: fn(),
      },
    };

    // Act
    const sync = synchronousTriggerFunctions(template, 'Pool');
    const findings = timeoutFindings(template, [...sync, 'Gone'], 4);

    // Assess
    expect(sync).toEqual(['Quick', 'Slow', 'Unset']);
    expect(findings).toEqual([
      'Slow: Timeout 5, above 4',
      'Unset: Timeout undefined, above 4',
      'Gone: missing',
    ]);
  });
});
