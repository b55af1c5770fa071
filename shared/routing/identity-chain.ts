/**
 * Origination identities of AWS End User Messaging SMS, in ordered chains
 * per destination country (ISO 3166-1 alpha-2, or `*` for every other
 * country). Pure: validated when the settings are parsed (build time and
 * cold start), selected per message.
 */

/** The kinds of origination identity a chain may hold. */
export const IDENTITY_TYPES = [
  'short-code',
  '10dlc',
  'toll-free',
  'long-code',
  'sender-id',
  'pool',
] as const;
export type IdentityType = (typeof IDENTITY_TYPES)[number];

/** One origination identity: its kind and its id, number or ARN. */
export interface OriginationIdentity {
  readonly type: IdentityType;
  /** Phone number, PhoneNumberId/Arn, SenderId/Arn or PoolId/Arn. */
  readonly id: string;
}

/**
 * The order SNS itself uses for US numbers (short code, then 10DLC, then
 * toll-free), which chains for US destinations must follow.
 */
const US_RANK: Readonly<Partial<Record<IdentityType, number>>> = {
  'short-code': 0,
  '10dlc': 1,
  'toll-free': 2,
};

/** Countries where registered sender IDs are needed with TRAI ids. */
const INDIA = 'IN';

/**
 * Lists what is wrong with one country's chain (empty when valid).
 *
 * - a chain is not empty and holds no identity twice;
 * - US numbers cannot be reached with a sender ID, and US chains keep the
 *   short code → 10DLC → toll-free order;
 * - TRAI entity/template ids belong to India only.
 *
 * @param country - `US`, `IN`, ..., or `*`
 * @param chain - the ordered identities
 * @param hasTraiIds - whether India's entity/template ids are configured
 * @param servesUs - whether US numbers get this chain (`US`, or `*` when
 *   there is no `US` chain: then its US identities keep the US order, and
 *   its sender IDs, for other countries, are skipped for US numbers by the
 *   service's refusal)
 */
export function chainProblems(
  country: string,
  chain: readonly OriginationIdentity[],
  hasTraiIds = false,
  servesUs = country === 'US',
): string[] {
  const problems: string[] = [];
  if (chain.length === 0) problems.push('chain is empty');
  const ids = chain.map((identity) => identity.id);
  if (new Set(ids).size !== ids.length) problems.push('duplicate identity');
  if (country === 'US') problems.push(...usProblems(chain));
  else if (servesUs) {
    problems.push(
      ...usOrderProblems(chain).map(
        (problem) => `serves US numbers (no US chain): ${problem}`,
      ),
    );
  }
  if (hasTraiIds && country !== INDIA) {
    problems.push('entityId/templateId apply to India (IN) only');
  }
  return problems;
}

function usProblems(chain: readonly OriginationIdentity[]): string[] {
  if (chain.some((identity) => identity.type === 'sender-id')) {
    return ['US numbers cannot be reached with a sender ID'];
  }
  return usOrderProblems(chain);
}

function usOrderProblems(chain: readonly OriginationIdentity[]): string[] {
  const ranks = chain
    .map((identity) => US_RANK[identity.type])
    .filter((rank): rank is number => rank !== undefined);
  const sorted = ranks.every((rank, i) => i === 0 || ranks[i - 1]! <= rank);
  return sorted ? [] : ['US order is short-code, then 10dlc, then toll-free'];
}

/** What to do for a country that has no chain and no `*` default. */
export type MissingIdentity = 'account-default' | 'refuse';

/** The identities to try for a destination, or why there are none. */
export type ChainSelection<T> =
  | { readonly ok: true; readonly entry: T | undefined }
  | { readonly ok: false; readonly reason: 'no_origination_identity' };

/**
 * Picks the chain for a destination country: its own entry, else `*`,
 * else the account default (no identity: the service chooses) or a clean
 * refusal, as configured.
 *
 * @param countries - chains per country (`*` = default)
 * @param country - the destination's ISO country code
 * @param missing - the fallback when neither exists
 */
export function selectChain<T>(
  countries: Readonly<Record<string, T>>,
  country: string,
  missing: MissingIdentity,
): ChainSelection<T> {
  const own = Object.hasOwn(countries, country)
    ? countries[country]
    : undefined;
  const entry =
    own ?? (Object.hasOwn(countries, '*') ? countries['*'] : undefined);
  if (entry !== undefined) return { ok: true, entry };
  return missing === 'account-default'
    ? { ok: true, entry: undefined }
    : { ok: false, reason: 'no_origination_identity' };
}
