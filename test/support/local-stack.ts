import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { type MotoServer, startMoto } from './moto';
import { provisionLocalStack, ROOT } from './provision';

/**
 * For integration test files: one moto_server per file (so state never
 * leaks between files), provisioned from infra/, with the functions'
 * environment applied to this process.
 */

export interface LocalStackContext {
  moto: MotoServer;
  env: Record<string, string>;
}

/**
 * Starts and provisions a local stack before the file's tests and stops it
 * (by PID) after them.
 *
 * @returns a context whose fields are filled in `beforeAll`
 */
export function useLocalStack(): LocalStackContext {
  const context = {} as LocalStackContext;
  beforeAll(async () => {
    context.moto = await startMoto();
    const { env } = await provisionLocalStack({
      endpoint: context.moto.endpoint,
    });
    context.env = env;
    Object.assign(process.env, env, {
      AWS_ENDPOINT_URL: context.moto.endpoint,
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_REGION: 'eu-central-1',
    });
  });
  afterAll(async () => {
    await context.moto?.stop();
  });
  return context;
}

const requireBundle = createRequire(__filename);

/**
 * Loads a built bundle (dist/<key>/index.js, made by `npm run build`) fresh,
 * with its lazy chunks (dist/<key>/index.*.js) out of the module cache too,
 * so it validates the current environment at its cold start.
 *
 * @param key - the function key
 * @returns the bundle's exports
 */
/**
 * The project files a bundle was built from (its esbuild metafile) that
 * changed after it was built: a test must not pass on yesterday's code.
 *
 * @param key - the function key in dist/
 */
export function staleInputs(key: string): string[] {
  const meta = path.join(ROOT, 'dist', key, 'meta.json');
  if (!existsSync(meta)) return ['(no meta.json)'];
  const builtAt = statSync(meta).mtimeMs;
  const inputs = Object.keys(
    (JSON.parse(readFileSync(meta, 'utf8')) as { inputs: object }).inputs,
  );
  return inputs.filter((input) => {
    if (input.includes('node_modules') || input.includes(':')) return false;
    const source = path.join(ROOT, input);
    return existsSync(source) && statSync(source).mtimeMs > builtAt;
  });
}

export function loadBundle<
  T = { handler: (event: any, context?: any) => Promise<any> },
>(key: string): T {
  const file = path.join(ROOT, 'dist', key, 'index.js');
  if (!existsSync(file)) {
    throw new Error(
      `${path.relative(ROOT, file)} is missing: run npm run build first`,
    );
  }
  const stale = staleInputs(key);
  if (stale.length > 0) {
    throw new Error(
      `${path.relative(ROOT, file)} is older than ${stale.slice(0, 3).join(', ')}: run npm run build first`,
    );
  }
  for (const cached of Object.keys(requireBundle.cache)) {
    if (path.dirname(cached) === path.dirname(file)) {
      delete requireBundle.cache[cached];
    }
  }
  return requireBundle(file) as T;
}
