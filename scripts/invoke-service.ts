/**
 * A throw-away service folder for `npm run invoke`: `osls invoke local`
 * cannot resolve the CloudFormation references in serverless.yml's
 * `environment` (`!GetAtt` is unsupported, `!Ref` asks the CloudFormation
 * API for a deployed stack) and lets them override the process environment.
 * So the folder links every top-level entry of the repository except
 * serverless.yml, and gets a `serverless.json` that is serverless.yml with
 * the functions inlined and every environment value replaced by what the
 * local stack provisioned. Everything else (handlers, esbuild config,
 * plugins, events) is the repository's own.
 */
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { readCfnYaml } from '../test/support/cfn-yaml';
import { ROOT, readServerlessConfig } from '../test/support/provision';

const NOT_LINKED = new Set([
  'serverless.yml',
  '.serverless',
  '.esbuild',
  '.local',
  '.git',
  'dist',
  'coverage',
]);

type Json = Record<string, unknown>;

function literalEnv(
  declared: unknown,
  provisioned: Record<string, string>,
  missing: Set<string>,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries((declared as Json) ?? {})) {
    const local = provisioned[key];
    // A plain string (e.g. `${param:...}`) osls resolves itself; only
    // CloudFormation references need the local stack's value.
    if (local !== undefined) env[key] = local;
    else if (typeof value === 'string') env[key] = value;
    else missing.add(key);
  }
  return env;
}

/**
 * serverless.yml with functions inlined and environments made literal.
 *
 * @param provisioned - the functions' environment from the local stack
 * @returns the config and the env keys the local stack could not resolve
 */
export function localServiceConfig(provisioned: Record<string, string>): {
  config: Json;
  missing: string[];
} {
  const raw = readCfnYaml(path.join(ROOT, 'serverless.yml')) as Json;
  const provider = { ...(raw.provider as Json) };
  const missing = new Set<string>();
  provider.environment = literalEnv(provider.environment, provisioned, missing);
  const functions: Record<string, Json> = {};
  for (const [key, fn] of Object.entries(readServerlessConfig().functions)) {
    functions[key] = {
      ...fn,
      ...(fn.environment
        ? { environment: literalEnv(fn.environment, provisioned, missing) }
        : {}),
    };
  }
  return { config: { ...raw, provider, functions }, missing: [...missing] };
}

/**
 * Creates the service folder under `.local/` and returns its path.
 *
 * @param provisioned - the functions' environment from the local stack
 */
export function createLocalService(provisioned: Record<string, string>): {
  dir: string;
  missing: string[];
} {
  // .local/ is git-ignored: a fresh clone does not have it yet.
  mkdirSync(path.join(ROOT, '.local'), { recursive: true });
  const dir = mkdtempSync(path.join(ROOT, '.local', 'invoke-'));
  for (const entry of readdirSync(ROOT)) {
    if (NOT_LINKED.has(entry)) continue;
    symlinkSync(path.join(ROOT, entry), path.join(dir, entry));
  }
  const { config, missing } = localServiceConfig(provisioned);
  writeFileSync(
    path.join(dir, 'serverless.json'),
    `${JSON.stringify(config, null, 2)}\n`,
  );
  return { dir, missing };
}
