/**
 * Which Amazon SNS region sends a pool's SMS, by the table in the Cognito
 * SMS documentation: the pool's own region where allowed, otherwise the one
 * listed; a second entry is the legacy region, used here as failover.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-sms-settings.html
 */
export const SNS_REGIONS_BY_COGNITO_REGION: Readonly<
  Record<string, readonly string[]>
> = Object.freeze({
  'us-east-2': ['us-east-2', 'us-east-1'],
  'us-east-1': ['us-east-1'],
  'us-west-1': ['us-west-1'],
  'us-west-2': ['us-west-2'],
  'ca-central-1': ['ca-central-1', 'us-east-1'],
  'ca-west-1': ['ca-west-1'],
  'eu-central-1': ['eu-central-1', 'eu-west-1'],
  'eu-west-2': ['eu-west-2', 'eu-west-1'],
  'eu-west-1': ['eu-west-1'],
  'eu-west-3': ['eu-west-3'],
  'eu-north-1': ['eu-north-1'],
  'eu-south-1': ['eu-south-1'],
  'eu-south-2': ['eu-south-2'],
  'eu-central-2': ['eu-central-2'],
  'ap-southeast-5': ['ap-southeast-1'],
  'ap-south-1': ['ap-south-1', 'ap-southeast-1'],
  'ap-south-2': ['ap-south-2'],
  'ap-east-1': ['ap-southeast-1'],
  'ap-northeast-2': ['ap-northeast-1'],
  'ap-southeast-1': ['ap-southeast-1'],
  'ap-southeast-2': ['ap-southeast-2'],
  'ap-northeast-1': ['ap-northeast-1'],
  'ap-southeast-3': ['ap-southeast-3'],
  'ap-northeast-3': ['ap-northeast-3'],
  'ap-southeast-4': ['ap-southeast-4'],
  'me-south-1': ['me-south-1'],
  'me-central-1': ['me-central-1'],
  'sa-east-1': ['sa-east-1'],
  'il-central-1': ['il-central-1'],
  'af-south-1': ['af-south-1'],
});

/** The regions to send from, preferred first, or why there are none. */
export type RegionPlan =
  | { readonly ok: true; readonly regions: readonly string[] }
  | { readonly ok: false; readonly reason: 'region_not_in_table' };

/**
 * Resolves the SMS regions for a pool's Cognito region.
 *
 * An explicit deployment override (`SNS_REGIONS`) wins; otherwise the
 * table's row. A region missing from the table is a configuration error,
 * never a guess.
 *
 * @param cognitoRegion - the event's `region` (the pool's region)
 * @param override - the deployment's `SNS_REGIONS`, preferred first
 * @example
 * planSnsRegions('eu-central-1', []); // { ok: true, regions: ['eu-central-1', 'eu-west-1'] }
 */
export function planSnsRegions(
  cognitoRegion: string,
  override: readonly string[] = [],
): RegionPlan {
  if (override.length > 0) {
    return { ok: true, regions: [...new Set(override)] };
  }
  const regions = Object.hasOwn(SNS_REGIONS_BY_COGNITO_REGION, cognitoRegion)
    ? SNS_REGIONS_BY_COGNITO_REGION[cognitoRegion]
    : undefined;
  return regions
    ? { ok: true, regions }
    : { ok: false, reason: 'region_not_in_table' };
}
