import { describe, expect, it } from 'vitest';
import {
  planSnsRegions,
  SNS_REGIONS_BY_COGNITO_REGION,
} from '../../../shared/routing/sns-regions';

/**
 * The table of the Cognito developer guide ("SMS message settings"),
 * pasted as published (shared/reference/sns-regions.md).
 */
const DOCUMENTED = `
| US East (Ohio) | us-east-2 | us-east-2, us-east-1 |
| US East (N. Virginia) | us-east-1 | us-east-1 |
| US West (N. California) | us-west-1 | us-west-1 |
| US West (Oregon) | us-west-2 | us-west-2 |
| Canada (Central) | ca-central-1 | ca-central-1, us-east-1 |
| Canada West (Calgary) | ca-west-1 | ca-west-1 |
| Europe (Frankfurt) | eu-central-1 | eu-central-1, eu-west-1 |
| Europe (London) | eu-west-2 | eu-west-2, eu-west-1 |
| Europe (Ireland) | eu-west-1 | eu-west-1 |
| Europe (Paris) | eu-west-3 | eu-west-3 |
| Europe (Stockholm) | eu-north-1 | eu-north-1 |
| Europe (Milan) | eu-south-1 | eu-south-1 |
| Europe (Spain) | eu-south-2 | eu-south-2 |
| Europe (Zurich) | eu-central-2 | eu-central-2 |
| Asia Pacific (Malaysia) | ap-southeast-5 | ap-southeast-1 |
| Asia Pacific (Mumbai) | ap-south-1 | ap-south-1, ap-southeast-1 |
| Asia Pacific (Hyderabad) | ap-south-2 | ap-south-2 |
| Asia Pacific (Hong Kong) | ap-east-1 | ap-southeast-1 |
| Asia Pacific (Seoul) | ap-northeast-2 | ap-northeast-1 |
| Asia Pacific (Singapore) | ap-southeast-1 | ap-southeast-1 |
| Asia Pacific (Sydney) | ap-southeast-2 | ap-southeast-2 |
| Asia Pacific (Tokyo) | ap-northeast-1 | ap-northeast-1 |
| Asia Pacific (Jakarta) | ap-southeast-3 | ap-southeast-3 |
| Asia Pacific (Osaka) | ap-northeast-3 | ap-northeast-3 |
| Asia Pacific (Melbourne) | ap-southeast-4 | ap-southeast-4 |
| Middle East (Bahrain) | me-south-1 | me-south-1 |
| Middle East (UAE) | me-central-1 | me-central-1 |
| South America (São Paulo) | sa-east-1 | sa-east-1 |
| Israel (Tel Aviv) | il-central-1 | il-central-1 |
| Africa (Cape Town) | af-south-1 | af-south-1 |
`;

function referenceTable(): Record<string, string[]> {
  const rows: Record<string, string[]> = {};
  for (const line of DOCUMENTED.trim().split('\n')) {
    const cells = line.split('|').map((cell) => cell.trim());
    rows[cells[2] as string] = (cells[3] ?? '').split(',').map((r) => r.trim());
  }
  return rows;
}

describe('SNS region table', () => {
  it('matches the Cognito SMS documentation row for row', () => {
    // Prepare
    const reference = referenceTable();

    // Act
    const ours = { ...SNS_REGIONS_BY_COGNITO_REGION };

    // Assess
    expect(Object.keys(reference)).toHaveLength(30);
    expect(ours).toEqual(reference);
  });

  it.each([
    ['eu-central-1', ['eu-central-1', 'eu-west-1']],
    ['us-east-2', ['us-east-2', 'us-east-1']],
    ['ap-northeast-2', ['ap-northeast-1']],
    ['ap-east-1', ['ap-southeast-1']],
    ['us-east-1', ['us-east-1']],
  ])('routes a pool in %s through %j', (region, expected) => {
    // Act
    const plan = planSnsRegions(region);

    // Assess
    expect(plan).toEqual({ ok: true, regions: expected });
  });

  it('reports a region missing from the table instead of guessing', () => {
    // Act
    const plan = planSnsRegions('eu-west-9');

    // Assess
    expect(plan).toEqual({ ok: false, reason: 'region_not_in_table' });
  });

  it('does not treat inherited object keys as regions', () => {
    // Act
    const plan = planSnsRegions('constructor');

    // Assess
    expect(plan.ok).toBe(false);
  });

  it('lets SNS_REGIONS override the table, dropping repeats', () => {
    // Act
    const plan = planSnsRegions('eu-central-1', [
      'eu-west-2',
      'eu-west-2',
      'eu-west-1',
    ]);

    // Assess
    expect(plan).toEqual({ ok: true, regions: ['eu-west-2', 'eu-west-1'] });
  });
});
