import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lambdaNodeArgs } from '../../bench/runner';
import { buildHarness } from '../../bench/variants';

describe('bench child processes', () => {
  it.each([
    [128, ['--max-semi-space-size=6', '--max-old-space-size=116']],
    [256, ['--max-semi-space-size=12', '--max-old-space-size=231']],
    [1024, ['--max-semi-space-size=51', '--max-old-space-size=922']],
  ])('get the heap flags Lambda gives a %i MB function', (memoryMb, flags) => {
    // Act
    const args = lambdaNodeArgs(memoryMb);

    // Assess
    expect(args).toEqual(flags);
  });
});

/** `process.moduleLoadList` of a bare `node` after running `script`. */
function loadedBy(script: string, env: Record<string, string>): string[] {
  return JSON.parse(
    execFileSync(
      process.execPath,
      [
        '-e',
        `${script};require('node:fs').writeSync(1, JSON.stringify(process.moduleLoadList))`,
      ],
      { env },
    ).toString(),
  ) as string[];
}

/**
 * Runs the harness's cold mode on a probe bundle that records which Node
 * modules were loaded when it was required.
 */
async function loadedBeforeBundle(
  setting: 'bare' | 'runtime',
  env: Record<string, string>,
): Promise<string[]> {
  const work = mkdtempSync(path.join(tmpdir(), 'bench-harness-'));
  try {
    const harness = await buildHarness(work);
    const probe = path.join(work, 'probe.cjs');
    const seen = path.join(work, 'seen.json');
    writeFileSync(
      probe,
      `require('node:fs').writeFileSync(${JSON.stringify(seen)}, JSON.stringify(process.moduleLoadList));
exports.handler = async () => ({});`,
    );
    const event = path.join(work, 'event.json');
    writeFileSync(event, '{}');
    execFileSync(
      process.execPath,
      [harness, 'cold', probe, event, 'probe', '0', setting],
      { env, stdio: ['ignore', 'ignore', 'pipe', 'pipe'] },
    );
    return JSON.parse(readFileSync(seen, 'utf8')) as string[];
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Node's own modules in `list` that are not in `base`. */
const nativeBeyond = (list: string[], base: string[]) =>
  list.filter(
    (name) =>
      !base.includes(name) &&
      name.startsWith('NativeModule ') &&
      // Node's `-e` versus file-entry differences
      !/internal\/(modules|main|process)\//.test(name),
  );

describe('bench harness', () => {
  const env = { PATH: process.env.PATH ?? '' };

  it('loads no Node module before the bundle that a bare `node` has not loaded', async () => {
    // Prepare
    const bare = loadedBy('', env);

    // Act
    const before = await loadedBeforeBundle('bare', env);

    // Assess
    expect(before.length).toBeGreaterThan(20);
    expect(nativeBeyond(before, bare)).toEqual([]);
  });

  it("in the runtime setting, loads before the bundle what Lambda's runtime has (node:http) and nothing else", async () => {
    // Prepare
    const withHttp = loadedBy("require('node:http')", env);

    // Act
    const before = await loadedBeforeBundle('runtime', env);

    // Assess
    expect(before).toContain('NativeModule http');
    expect(before).toContain('NativeModule net');
    expect(nativeBeyond(before, withHttp)).toEqual([]);
  });
});
