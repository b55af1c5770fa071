import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SNS_REGIONS_BY_COGNITO_REGION } from '../../../shared/routing/sns-regions';
import { readCfnYaml } from '../../support/cfn-yaml';
import { ROOT } from '../../support/provision';

type Row = { Primary: string; Legacy: string };

const mappings = readCfnYaml(
  path.join(ROOT, 'infra/resources/sns-regions.yml'),
) as { Mappings: { SnsRegions: Record<string, Row> } };

describe('SNS region table of the deployment', () => {
  it('lists the same Cognito regions as shared/routing', () => {
    // Prepare
    const table = mappings.Mappings.SnsRegions;

    // Act
    const regions = Object.keys(table).sort();

    // Assess
    expect(regions).toEqual(Object.keys(SNS_REGIONS_BY_COGNITO_REGION).sort());
  });

  it('gives each region the same SNS regions, preferred first', () => {
    // Prepare
    const table = mappings.Mappings.SnsRegions;

    // Act
    const asRouting = Object.fromEntries(
      Object.entries(table).map(([region, row]) => [
        region,
        row.Legacy === 'none' ? [row.Primary] : [row.Primary, row.Legacy],
      ]),
    );

    // Assess
    expect(asRouting).toEqual(SNS_REGIONS_BY_COGNITO_REGION);
    expect(table['ap-northeast-2']?.Primary).toBe('ap-northeast-1');
  });
});
