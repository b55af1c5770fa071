import type * as z from 'zod/mini';
import { InvalidEventError } from '../errors';

/**
 * Validates an event against a schema.
 *
 * @param schema - one of the event schemas
 * @param event - the raw event from Lambda
 * @returns the parsed event (unknown fields kept)
 * @throws {@link InvalidEventError} listing the failing paths, never values
 */
export function parseEvent<T extends z.ZodMiniType>(
  schema: T,
  event: unknown,
): z.output<T> {
  const result = schema.safeParse(event);
  if (result.success) return result.data;
  const issues = result.error.issues.map(
    (issue) => issue.path.map(String).join('.') || '(root)',
  );
  throw new InvalidEventError('event failed validation', issues);
}
