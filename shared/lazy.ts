/**
 * A builder that runs on its first call only and returns the same value on
 * every later call. Used so a settings or event schema is constructed only
 * in the functions that use it (cold start of the others stays small).
 *
 * @param build - constructs the value
 * @returns a function returning the value built once
 * @example
 * const schemas = once(() => ({ rule: z.object({ shadow: z.boolean() }) }));
 * export const ruleSchema = z.lazy(() => schemas().rule);
 */
export function once<T>(build: () => T): () => T {
  let built: { value: T } | undefined;
  return () => {
    built ??= { value: build() };
    return built.value;
  };
}
