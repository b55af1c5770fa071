/**
 * The baseline of `npm run bench`: a handler that does nothing, built with
 * the same esbuild options as the functions. Its cold init is what loading
 * any bundle costs at the least.
 */
export const handler = async (event: unknown): Promise<unknown> => event;
