import { describe, expect, it } from 'vitest';
import {
  codeKeyDecryptFindings,
  type Template,
  wildcardActionFindings,
  wildcardResourceFindings,
} from './template-walk';

const role = (statements: object[]) => ({
  Type: 'AWS::IAM::Role',
  Properties: {
    AssumeRolePolicyDocument: {
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Service: 'lambda.amazonaws.com' },
          Action: 'sts:AssumeRole',
        },
      ],
    },
    Policies: [{ PolicyName: 'p', PolicyDocument: { Statement: statements } }],
  },
});

const codeKey = (statements: object[]) => ({
  Type: 'AWS::KMS::Key',
  Properties: { KeyPolicy: { Statement: statements } },
});

const senderDecrypt = {
  Sid: 'SenderDecryptsCodes',
  Effect: 'Allow',
  Principal: { AWS: { 'Fn::GetAtt': ['CustomSmsSenderRole', 'Arn'] } },
  Action: 'kms:Decrypt',
  Resource: '*',
  Condition: {
    StringLike: { 'kms:EncryptionContext:userpool-id': 'eu-west-1_x' },
  },
};

describe('template walker', () => {
  it('accepts scoped actions, sns:Publish on * and a wildcard in a Deny', () => {
    // Prepare
    const template: Template = {
      Resources: {
        Sender: role([
          { Effect: 'Allow', Action: 'sns:Publish', Resource: '*' },
          { Effect: 'Allow', Action: ['dynamodb:GetItem'], Resource: 'arn' },
          { Effect: 'Deny', Action: 's3:*', Resource: '*' },
        ]),
      },
    };

    // Act
    const findings = [
      ...wildcardActionFindings(template),
      ...wildcardResourceFindings(template),
    ];

    // Assess
    expect(findings).toEqual([]);
  });

  it('reports wildcard actions, * resources off the list, any account, NotResource', () => {
    // Prepare
    const template: Template = {
      Resources: {
        Wide: {
          Type: 'AWS::IAM::Policy',
          Properties: {
            PolicyDocument: {
              Statement: [
                { Effect: 'Allow', Action: 'kms:*', Resource: 'arn' },
                { Effect: 'Allow', Action: 'sqs:SendMessage', Resource: '*' },
                { Effect: 'Allow', Action: 'sns:Publish', NotResource: 'x' },
                {
                  Effect: 'Allow',
                  Action: 'iam:PassRole',
                  Resource: {
                    // biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation Fn::Sub string
                    'Fn::Sub': 'arn:${AWS::Partition}:iam::*:role/*',
                  },
                },
              ],
            },
          },
        },
      },
    };

    // Act
    const actions = wildcardActionFindings(template);
    const resources = wildcardResourceFindings(template);

    // Assess
    expect(actions).toEqual(['Wide (identity): action kms:*']);
    expect(resources).toEqual([
      'Wide (identity): sqs:SendMessage on *',
      'Wide (identity): NotResource',
      'Wide (identity): resource in any account',
    ]);
  });

  it('accepts a code key only the sender decrypts with a pool condition', () => {
    // Prepare
    const template: Template = {
      Resources: { CodeKey: codeKey([senderDecrypt]) },
    };

    // Act
    const findings = codeKeyDecryptFindings(template);

    // Assess
    expect(findings).toEqual([]);
  });

  it('reports decrypt delegated to the whole account', () => {
    // Prepare
    const template: Template = {
      Resources: {
        CodeKey: codeKey([
          {
            ...senderDecrypt,
            Principal: {
              AWS: {
                'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root',
              },
            },
          },
        ]),
      },
    };

    // Act
    const findings = codeKeyDecryptFindings(template);

    // Assess
    expect(findings).toEqual([
      'CodeKey (key SenderDecryptsCodes): decrypt by another principal',
    ]);
  });

  it('reports another decrypting principal or role and an unbound grant', () => {
    // Prepare
    const other = {
      ...senderDecrypt,
      Sid: 'Other',
      Principal: { AWS: 'arn:aws:iam::123456789012:user/someone' },
    };
    const template: Template = {
      Resources: {
        CodeKey: codeKey([other]),
        CustomSmsSenderRole: role([
          {
            Effect: 'Allow',
            Action: 'kms:Decrypt',
            Resource: { 'Fn::GetAtt': ['CodeKey', 'Arn'] },
          },
        ]),
        OtherRole: role([
          {
            ...senderDecrypt,
            Principal: undefined,
            Resource: { 'Fn::GetAtt': ['CodeKey', 'Arn'] },
          },
        ]),
      },
    };

    // Act
    const findings = codeKeyDecryptFindings(template);

    // Assess
    expect(findings).toEqual([
      'CodeKey (key Other): decrypt by another principal',
      'CustomSmsSenderRole (identity): kms:Decrypt without userpool-id',
      'OtherRole (identity SenderDecryptsCodes): decrypt by another role',
    ]);
  });
});
