import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { sharedBuildOptions } from '../scripts/build';
import { ROOT } from '../test/support/provision';

/**
 * What `npm run bench` measures: every bundle in dist/, plus an empty
 * handler and the naive reference, both built in the same run into a
 * temporary folder.
 */

export type VariantKind = 'bundle' | 'empty' | 'naive';

export interface Variant {
  /** dist/ function key, or `(empty)` / `(naive)`. */
  readonly name: string;
  readonly kind: VariantKind;
  /** The bundle file a child process `require()`s. */
  readonly file: string;
  /** The fixture event the handler is called with. */
  readonly eventFile: string;
  /** The fixture key (function) the event belongs to. */
  readonly eventKey: string;
}

const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'events');

/** A representative case per function key; else the first fixture sorted. */
export const REPRESENTATIVE_CASE: Readonly<Record<string, string>> = {
  customSmsSender: 'sign-up',
  customMessage: 'sign-up',
  preSignUp: 'sign-up',
  defineAuthChallenge: 'password-verifier',
  createAuthChallenge: 'custom-challenge',
  verifyAuthChallengeResponse: 'totp-answer',
};

/**
 * The fixture a bundle is benchmarked with.
 *
 * @param key - the function key
 * @returns the fixture path, or undefined when the key has no fixtures
 */
export function eventFileFor(key: string): string | undefined {
  const folder = path.join(FIXTURES, key);
  if (!existsSync(folder)) return undefined;
  const preferred = REPRESENTATIVE_CASE[key];
  if (preferred && existsSync(path.join(folder, `${preferred}.json`))) {
    return path.join(folder, `${preferred}.json`);
  }
  const first = readdirSync(folder)
    .filter((name) => name.endsWith('.json') && !name.startsWith('_'))
    .sort()[0];
  return first ? path.join(folder, first) : undefined;
}

/** Builds the child-process harness with esbuild (plain CJS for `node`). */
export async function buildHarness(outDir: string): Promise<string> {
  const outfile = path.join(outDir, 'harness.cjs');
  await build({
    entryPoints: [path.join(ROOT, 'bench', 'harness.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    logLevel: 'error',
  });
  return outfile;
}

/**
 * Builds the empty handler (with the functions' own esbuild options) and
 * the naive reference (bundled without care) into `outDir`.
 */
export async function buildReferences(
  outDir: string,
): Promise<{ empty: string; naive: string }> {
  const empty = path.join(outDir, 'empty', 'index.js');
  const naive = path.join(outDir, 'naive', 'index.js');
  await build({
    ...sharedBuildOptions(),
    entryPoints: [path.join(ROOT, 'bench', 'empty-handler.ts')],
    outfile: empty,
    logLevel: 'error',
  });
  // The documentation's way: esbuild --bundle --platform=node
  // --target=node20 --format=cjs (no minify, default main fields).
  await build({
    entryPoints: [path.join(ROOT, 'bench', 'naive-reference.ts')],
    outfile: naive,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    logLevel: 'error',
  });
  return { empty, naive };
}

/** The bundles in dist/ (each `dist/<key>/index.js`), sorted by key. */
export function distBundles(): Array<{ key: string; file: string }> {
  const dist = path.join(ROOT, 'dist');
  if (!existsSync(dist)) return [];
  return readdirSync(dist)
    .sort()
    .map((key) => ({ key, file: path.join(dist, key, 'index.js') }))
    .filter(({ file }) => existsSync(file));
}

/**
 * Every variant of this run: dist bundles (all, or those named in `only`),
 * then the empty handler and the naive reference (both called with the
 * sender's event).
 */
export function listVariants(
  references: { empty: string; naive: string },
  only?: readonly string[],
): Variant[] {
  const senderEvent = eventFileFor('customSmsSender');
  if (!senderEvent) throw new Error('no customSmsSender fixture to bench with');
  const variants: Variant[] = [];
  const bundles = distBundles().filter(
    ({ key }) => !only?.length || only.includes(key),
  );
  if (only?.length && bundles.length !== only.length) {
    throw new Error(`--only: no dist bundle for some of ${only.join(', ')}`);
  }
  for (const { key, file } of bundles) {
    const eventFile = eventFileFor(key);
    if (!eventFile) {
      process.stderr.write(`bench: ${key} has no fixture; skipped\n`);
      continue;
    }
    variants.push({
      name: key,
      kind: 'bundle',
      file,
      eventFile,
      eventKey: key,
    });
  }
  const shared = { eventFile: senderEvent, eventKey: 'customSmsSender' };
  variants.push({
    name: '(empty)',
    kind: 'empty',
    file: references.empty,
    ...shared,
  });
  variants.push({
    name: '(naive)',
    kind: 'naive',
    file: references.naive,
    ...shared,
  });
  return variants;
}

/**
 * Size of what deploys for a bundle: every file in its folder except
 * esbuild's metafile, raw and gzip -9.
 *
 * @param bundleFile - the bundle's index.js
 */
export function bundleSize(bundleFile: string): { raw: number; gzip: number } {
  const folder = path.dirname(bundleFile);
  let raw = 0;
  let gzip = 0;
  for (const name of readdirSync(folder)) {
    const file = path.join(folder, name);
    if (name === 'meta.json' || !statSync(file).isFile()) continue;
    const bytes = readFileSync(file);
    raw += bytes.length;
    gzip += gzipSync(bytes, { level: 9 }).length;
  }
  return { raw, gzip };
}
