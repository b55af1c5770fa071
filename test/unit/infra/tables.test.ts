import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCfnYaml } from '../../support/cfn-yaml';
import { ROOT } from '../../support/provision';
import { tableFindings } from './template-checks';
import type { Template } from './template-walk';

const tables = readCfnYaml(
  path.join(ROOT, 'infra/resources/tables.yml'),
) as Template;

describe('infra/resources/tables.yml', () => {
  it('defines on-demand tables with TTL, PITR and SSE', () => {
    // Prepare
    const template = structuredClone(tables);

    // Act
    const findings = tableFindings(template);

    // Assess
    expect(Object.keys(template.Resources).sort()).toEqual([
      'StateTable',
      'TotpTable',
    ]);
    expect(findings).toEqual([]);
  });

  it('names tables in the form local:provision resolves', () => {
    // Prepare
    const template = structuredClone(tables);

    // Act
    const names = Object.values(template.Resources).map(
      (table) => table.Properties.TableName,
    );

    // Assess
    for (const name of names) {
      expect(name['Fn::Sub']).toMatch(/^\$\{AWS::StackName\}-[a-z]+$/);
    }
    expect(
      template.Resources.StateTable.Properties.TimeToLiveSpecification,
    ).toEqual({ AttributeName: 'expiresAt', Enabled: true });
  });

  it('reports a table that loses PITR, TTL or SSE', () => {
    // Prepare
    const template = structuredClone(tables);
    const props = template.Resources.TotpTable.Properties;

    // Act
    delete props.PointInTimeRecoverySpecification;
    props.TimeToLiveSpecification.Enabled = false;
    props.SSESpecification.SSEEnabled = false;

    // Assess
    expect(tableFindings(template)).toEqual([
      'TotpTable: no TTL',
      'TotpTable: no point-in-time recovery',
      'TotpTable: no SSE with KMS',
    ]);
  });
});
