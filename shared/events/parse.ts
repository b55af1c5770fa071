import type * as z from 'zod/mini';
import { InvalidEventError } from '../errors';

/** Maps whose keys the caller chooses: any text, an email address too. */
const CALLER_MAPS = new Set(['clientMetadata', 'validationData']);

/**
 * An issue's path for a log line: its keys joined with `.`, a key the
 * caller chose (in `request.clientMetadata` or `request.validationData`)
 * shown as `*`.
 *
 * @param path - the issue's path, e.g. `['request', 'clientMetadata', 'x']`
 * @example
 * issuePathOf(['request', 'clientMetadata', 'ada@example.com']); // 'request.clientMetadata.*'
 */
export function issuePathOf(path: readonly PropertyKey[]): string {
  const keys = path.map(String);
  const map = keys[0] === 'request' && CALLER_MAPS.has(keys[1] ?? '');
  return (map && keys.length > 2 ? [...keys.slice(0, 2), '*'] : keys).join('.');
}

/**
 * Validates an event against a schema.
 *
 * @param schema - one of the event schemas
 * @param event - the raw event from Lambda
 * @returns the parsed event (unknown fields kept)
 * @throws {@link InvalidEventError} listing the failing paths (never values,
 *   nor keys the caller chose: {@link issuePathOf})
 */
export function parseEvent<T extends z.ZodMiniType>(
  schema: T,
  event: unknown,
): z.output<T> {
  const result = schema.safeParse(event);
  if (result.success) return result.data;
  const issues = result.error.issues.map(
    (issue) => issuePathOf(issue.path) || '(root)',
  );
  throw new InvalidEventError('event failed validation', issues);
}
