import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { sharedBuildOptions } from '../../../scripts/build';
import { ROOT } from '../../support/provision';

/** Builds a fixture with the deploy options into a fresh folder. */
async function buildFixture(name: string): Promise<string> {
  const outfile = path.join(
    mkdtempSync(path.join(tmpdir(), 'sdk-trims-')),
    'index.js',
  );
  await build({
    ...sharedBuildOptions(),
    entryPoints: [path.join(ROOT, `test/fixtures/sdk-trims/${name}.ts`)],
    outfile,
    logLevel: 'silent',
  });
  return outfile;
}

describe('SDK trims (infra/esbuild-plugins.cjs)', () => {
  it('bundles no event-stream code; asking for it fails, naming the cause', async () => {
    // Prepare
    const outfile = await buildFixture('event-streams');
    const { loadEventStreams } = createRequire(outfile)(outfile) as {
      loadEventStreams: () => Promise<unknown>;
    };

    // Act
    const loading = loadEventStreams();

    // Assess
    await expect(loading).rejects.toThrow(/event streams are not bundled/);
    expect(readFileSync(outfile, 'utf8')).not.toMatch(
      /EventStreamCodec|prelude checksum/i,
    );
  });

  it('loads node:zlib only when a CRC32 is computed, and computes it right', async () => {
    // Prepare
    const outfile = await buildFixture('checksum');
    const script = `
      const loaded = () => process.moduleLoadList.includes('NativeModule zlib');
      const { crc32Of } = require(${JSON.stringify(outfile)});
      const atLoad = loaded();
      crc32Of('The quick brown fox').then((value) =>
        console.log(JSON.stringify({ atLoad, value, after: loaded() })));
    `;

    // Act
    const run = spawnSync(process.execPath, ['-e', script], {
      encoding: 'utf8',
    });
    const result = JSON.parse(run.stdout) as {
      atLoad: boolean;
      value: number;
      after: boolean;
    };

    // Assess
    expect(result).toEqual({
      atLoad: false,
      value: crc32('The quick brown fox'),
      after: true,
    });
  });

  it("bundles only the version of an SDK client's package.json, which the user agent still carries", async () => {
    // Prepare
    const outfile = await buildFixture('user-agent');
    const { userAgent } = createRequire(outfile)(outfile) as {
      userAgent: () => Promise<unknown[]>;
    };
    const manifest = JSON.parse(
      readFileSync(
        path.join(ROOT, 'node_modules/@aws-sdk/client-kms/package.json'),
        'utf8',
      ),
    ) as { version: string; description: string };

    // Act
    const pairs = await userAgent();

    // Assess
    expect(pairs).toContainEqual(['aws-sdk-js', manifest.version]);
    expect(readFileSync(outfile, 'utf8')).not.toContain(manifest.description);
  });
});
