import type { Decision } from './decision';
import { type ConsumeVelocityOptions, countVelocity } from './velocity';

/**
 * Atomically counts one event against every limit (DynamoDB `UpdateItem`
 * `ADD` on `velocity#<name>#<key>#<window start>` in `STATE_TABLE`, TTL
 * `expiresAt` in epoch SECONDS at the end of the window), returning the
 * first limit exceeded: an enforced one (`deny`) before a shadow one
 * (`would-deny`), reason `velocity_<name>`.
 *
 * Uses the bundled `@aws-sdk/client-dynamodb` (the caller's client is from
 * it). Only modules that call this function carry the SDK in their bundle.
 *
 * @param options - client, table, limits and (for tests) the clock
 * @throws {@link DependencyError} (`dynamodb`) when a counter cannot be
 *   updated; the caller decides whether that fails open or closed
 * @example
 * const decision = await consumeVelocity({ client, table: config.env.STATE_TABLE,
 *   limits: smsVelocityLimits(config.settings.policy.velocity,
 *     { phone, user, destination: smsDestinationOf(event.triggerSource) }) });
 */
export async function consumeVelocity(
  options: ConsumeVelocityOptions,
): Promise<Decision> {
  const { UpdateItemCommand } = await import('@aws-sdk/client-dynamodb');
  return countVelocity(options, UpdateItemCommand);
}
