/**
 * The policy core's result type: allow, deny with a stable reason code, or
 * "would deny" (shadow mode: log and count, never refuse).
 */
export type Decision =
  | { readonly outcome: 'allow' }
  | { readonly outcome: 'deny'; readonly reason: string }
  | { readonly outcome: 'would-deny'; readonly reason: string };

/** A decision that refuses or would refuse. */
export type Refusal = Exclude<Decision, { outcome: 'allow' }>;

/** The one `allow` decision. */
export const ALLOW: Decision = Object.freeze({ outcome: 'allow' });

/**
 * Builds a refusal that respects shadow mode.
 *
 * @param reason - stable snake-case reason code, e.g. `country_denied`
 * @param isShadow - `true` to only report (`would-deny`)
 */
export function refuse(reason: string, isShadow = false): Refusal {
  return Object.freeze({
    outcome: isShadow ? 'would-deny' : 'deny',
    reason,
  });
}

/**
 * Whether a decision refuses the request (shadow refusals do not).
 *
 * @param decision - any decision
 */
export function isDenied(
  decision: Decision,
): decision is Extract<Decision, { outcome: 'deny' }> {
  return decision.outcome === 'deny';
}
