/**
 * npm run build
 *
 * Writes one minified bundle per function to dist/<key>/index.js, each
 * exporting `handler`, with the same esbuild options serverless-esbuild uses
 * when it packages (infra/esbuild.config.cjs): the code that deploys.
 */
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type BuildOptions, build } from 'esbuild';
import { ROOT, readServerlessConfig } from '../test/support/provision';

// serverless-esbuild options that are not esbuild's own.
const PLUGIN_ONLY_KEYS = [
  'exclude',
  'packager',
  'packagerOptions',
  'watch',
  'installExtraArgs',
  'keepOutputDirectory',
  'outputWorkFolder',
  'outputBuildFolder',
  'nativeZip',
  'concurrency',
  'zipConcurrency',
  'skipBuild',
  'skipRebuild',
  'skipBuildExcludeFns',
  'stripEntryResolveExtensions',
  'disposeContext',
  'config',
  'external',
];

/** The function keys and their handler entry files, from serverless.yml. */
export function functionEntries(): Array<{ key: string; entry: string }> {
  const { functions } = readServerlessConfig();
  return Object.entries(functions).map(([key, fn]) => {
    const handler = String((fn as { handler: string }).handler);
    const file = handler.slice(0, handler.lastIndexOf('.'));
    return { key, entry: path.join(ROOT, `${file}.ts`) };
  });
}

/** The esbuild options shared with serverless-esbuild. */
export function sharedBuildOptions(): BuildOptions {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const factory = require(
    path.join(ROOT, 'infra/esbuild.config.cjs'),
  ) as () => Record<string, unknown>;
  const options = { ...factory() };
  for (const key of PLUGIN_ONLY_KEYS) delete options[key];
  return options as BuildOptions;
}

/**
 * Builds every function's bundle into dist/<key>/index.js.
 *
 * @param print - where to report each bundle's size
 */
export async function buildAll(
  print: (line: string) => void = (line) => process.stdout.write(line),
): Promise<void> {
  const dist = path.join(ROOT, 'dist');
  rmSync(dist, { recursive: true, force: true });
  const entries = functionEntries();
  for (const { key, entry } of entries) {
    const outfile = path.join(dist, key, 'index.js');
    mkdirSync(path.dirname(outfile), { recursive: true });
    const result = await build({
      ...sharedBuildOptions(),
      entryPoints: [entry],
      outfile,
      metafile: true,
      logLevel: 'warning',
    });
    writeFileSync(
      path.join(dist, key, 'meta.json'),
      JSON.stringify(result.metafile),
    );
    const size = statSync(outfile).size;
    print(
      `${key.padEnd(28)} dist/${key}/index.js  ${(size / 1024).toFixed(1)} KiB\n`,
    );
  }
}

if (require.main === module) {
  buildAll().catch((error: unknown) => {
    process.stderr.write(`build failed: ${String(error)}\n`);
    process.exit(1);
  });
}
