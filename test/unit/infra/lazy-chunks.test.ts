import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { sharedBuildOptions } from '../../../scripts/build';
import { ROOT } from '../../support/provision';

const FIXTURES = path.join(ROOT, 'test/fixtures/lazy-chunks');

/** Builds a fixture entry with the deploy options into a fresh folder. */
async function buildFixture(name: string, output = 'handler.js') {
  const outdir = mkdtempSync(path.join(tmpdir(), 'lazy-chunks-'));
  const outfile = path.join(outdir, output);
  const result = await build({
    ...sharedBuildOptions(),
    entryPoints: [path.join(FIXTURES, `${name}.ts`)],
    outfile,
    logLevel: 'silent',
  }).catch((error: { errors: Array<{ text: string }> }) => error);
  return { outfile, outdir, errors: result.errors.map((error) => error.text) };
}

describe('Logger without node:crypto at cold start (infra/esbuild-plugins.cjs)', () => {
  it('loads node:crypto only when debug sampling draws, and sampling still works', async () => {
    // Prepare
    const { outfile, errors } = await buildFixture('logger-sampling');
    const text = readFileSync(outfile, 'utf8');
    const { sampledLogger } = createRequire(outfile)(outfile) as {
      sampledLogger: () => { getLevelName(): string };
    };

    // Act
    const level = sampledLogger().getLevelName();

    // Assess
    expect(errors).toEqual([]);
    expect(text).not.toMatch(/=require\("node:crypto"\)/);
    expect(text).toMatch(/=>require\("node:crypto"\)\.randomInt\(/);
    expect(level).toBe('DEBUG');
  });
});

describe('lazy chunks (infra/esbuild-plugins.cjs)', () => {
  it.each([
    ['handler.js', 'handler.package-only.js'],
    ['index.cjs', 'index.package-only.cjs'],
  ])(
    'builds an import() of a chunk as a file beside %s (%s), required on first use',
    async (output, chunkFile) => {
      // Prepare
      const { outfile, outdir, errors } = await buildFixture('lazy', output);
      const requireOut = createRequire(outfile);

      // Act
      const bundle = requireOut(outfile) as {
        load: () => Promise<{ marshall: unknown }>;
      };
      const chunk = path.join(outdir, chunkFile);
      const loadedAtStart = chunk in requireOut.cache;
      const loaded = await bundle.load();

      // Assess
      expect(errors).toEqual([]);
      expect(readdirSync(outdir).sort()).toEqual([chunkFile, output].sort());
      expect(loadedAtStart).toBe(false);
      expect(typeof loaded.marshall).toBe('function');
      expect(chunk in requireOut.cache).toBe(true);
    },
  );

  it('refuses a static import of a chunk', async () => {
    // Act
    const { errors } = await buildFixture('static');

    // Assess
    expect(errors).toEqual([
      './package-only.chunk is a lazy chunk: load it with import() or require(), not a static import',
    ]);
  });

  it('refuses a chunk that pulls in a project module', async () => {
    // Act
    const { errors } = await buildFixture('with-stray');

    // Assess
    expect(errors).toEqual([
      'test/fixtures/lazy-chunks/stray.chunk.ts may only re-export packages; it pulls in shared/errors.ts',
    ]);
  });
});
