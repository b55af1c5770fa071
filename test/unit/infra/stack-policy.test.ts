import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCfnYaml } from '../../support/cfn-yaml';
import { ROOT } from '../../support/provision';
import {
  type StackPolicyStatement,
  stackPolicyDecision,
  stackPolicyFindings,
} from './template-checks';

/**
 * The stack policy serverless.yml deploys with (infra/stack-policy.yml): a
 * deployment may update anything, but never replace or remove the pool, its
 * app client, or the TOTP table and key. The packaged templates are checked
 * against it in test/integration/deployment-modes.ts; here, the evaluator
 * and the wiring.
 */

const policy = readCfnYaml(
  path.join(ROOT, 'infra/stack-policy.yml'),
) as StackPolicyStatement[];

const template = {
  Resources: {
    Pool: { Type: 'AWS::Cognito::UserPool' },
    AppClient: { Type: 'AWS::Cognito::UserPoolClient' },
    TotpTable: {
      Type: 'AWS::DynamoDB::Table',
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    },
    TotpKey: {
      Type: 'AWS::KMS::Key',
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    },
    SenderVersion: { Type: 'AWS::Lambda::Version', DeletionPolicy: 'Retain' },
    StateTable: { Type: 'AWS::DynamoDB::Table' },
    Sender: { Type: 'AWS::Lambda::Function' },
  },
};

describe('the stack policy', () => {
  it('is the one serverless.yml deploys with', () => {
    // Prepare
    const serverless = readCfnYaml(path.join(ROOT, 'serverless.yml')) as {
      provider: { stackPolicy: unknown };
    };

    // Act
    const reference = serverless.provider.stackPolicy;

    // Assess
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a Serverless variable
    expect(reference).toBe('${file(infra/stack-policy.yml)}');
  });

  it.each([
    ['Pool', 'AWS::Cognito::UserPool', 'Update:Replace', 'deny'],
    ['Pool', 'AWS::Cognito::UserPool', 'Update:Modify', 'allow'],
    ['TotpTable', 'AWS::DynamoDB::Table', 'Update:Delete', 'deny'],
    ['StateTable', 'AWS::DynamoDB::Table', 'Update:Replace', 'allow'],
    ['Sender', 'AWS::Lambda::Function', 'Update:Delete', 'allow'],
  ] as const)('decides %s (%s) %s: %s', (logicalId, type, action, expected) => {
    // Prepare
    const resource = { logicalId, type };

    // Act
    const decision = stackPolicyDecision(policy, resource, action);

    // Assess
    expect(decision).toBe(expected);
  });

  it('finds nothing to report for the shipped policy', () => {
    // Prepare
    const resources = template;

    // Act
    const findings = stackPolicyFindings(resources, policy);

    // Assess
    expect(findings).toEqual([]);
  });

  it('finds a retained table the policy forgets and a policy without its Allow', () => {
    // Prepare
    const [allow, byType, byName] = policy;
    const forgetful = [
      allow,
      byType,
      { ...byName, Resource: ['LogicalResourceId/TotpKey'] },
    ] as StackPolicyStatement[];
    const denyAll = [byType, byName] as StackPolicyStatement[];

    // Act
    const forgotten = stackPolicyFindings(template, forgetful);
    const frozen = stackPolicyFindings(template, denyAll);

    // Assess
    expect(forgotten).toEqual([
      'TotpTable: Update:Replace allowed',
      'TotpTable: Update:Delete allowed',
    ]);
    expect(frozen).toContain('Sender: Update:Modify denied');
    expect(frozen).toContain('StateTable: Update:Replace denied');
  });

  it('refuses to judge a statement it does not model', () => {
    // Prepare
    const [allow] = policy;
    const unmodelled = [
      { ...allow, Condition: { StringLike: { ResourceType: ['AWS::*'] } } },
    ] as unknown as StackPolicyStatement[];
    const noPrincipal = [{ ...allow, Principal: undefined }];

    // Act
    const judge = (statements: StackPolicyStatement[]) => () =>
      stackPolicyDecision(
        statements,
        { logicalId: 'Pool', type: 'AWS::Cognito::UserPool' },
        'Update:Modify',
      );

    // Assess
    expect(judge(unmodelled)).toThrow(/not modelled: StringLike/);
    expect(judge(noPrincipal as StackPolicyStatement[])).toThrow(
      /Principal is not/,
    );
  });
});
