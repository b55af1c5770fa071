import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCfnYaml } from '../../support/cfn-yaml';
import { ROOT } from '../../support/provision';

interface Statement {
  Sid?: string;
  Action: string | string[];
  Resource: unknown;
}

function statements(): Statement[] {
  const file = path.join(ROOT, 'infra/resources/roles/pre-sign-up.yml');
  const role = (readCfnYaml(file) as any).Resources.PreSignUpRole;
  return role.Properties.Policies.flatMap(
    (policy: any) => policy.PolicyDocument.Statement as Statement[],
  );
}

describe('PreSignUpRole', () => {
  it('may touch only its own counters of the state table, only with UpdateItem', () => {
    // Act
    const dynamo = statements().filter((statement) =>
      [statement.Action]
        .flat()
        .some((action) => action.startsWith('dynamodb:')),
    );

    // Assess
    expect(dynamo).toEqual([
      {
        Sid: 'VelocityCounters',
        Effect: 'Allow',
        Action: ['dynamodb:UpdateItem'],
        Resource: { 'Fn::GetAtt': ['StateTable', 'Arn'] },
        Condition: {
          'ForAllValues:StringLike': {
            'dynamodb:LeadingKeys': ['velocity#sign_up_*'],
          },
        },
      },
    ]);
  });

  it('grants nothing beyond its logs and the velocity counters', () => {
    // Act
    const actions = statements().flatMap((statement) =>
      [statement.Action].flat(),
    );

    // Assess
    expect(actions.sort()).toEqual([
      'dynamodb:UpdateItem',
      'logs:CreateLogStream',
      'logs:PutLogEvents',
    ]);
  });
});
