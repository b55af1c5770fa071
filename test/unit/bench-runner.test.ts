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

describe('bench harness', () => {
  it('loads no Node module before the bundle that a bare `node` has not loaded', async () => {
    // Prepare: a bundle that records what was loaded when it was required
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
      const env = { PATH: process.env.PATH ?? '' };
      const bare = JSON.parse(
        execFileSync(
          process.execPath,
          [
            '-e',
            "require('node:fs').writeSync(1, JSON.stringify(process.moduleLoadList))",
          ],
          { env },
        ).toString(),
      ) as string[];

      // Act
      execFileSync(
        process.execPath,
        [harness, 'cold', probe, event, 'probe', '0'],
        { env, stdio: ['ignore', 'ignore', 'pipe', 'pipe'] },
      );

      // Assess: only Node's own `-e` versus file-entry differences remain
      const before = JSON.parse(readFileSync(seen, 'utf8')) as string[];
      const extra = before.filter(
        (name) => !bare.includes(name) && name.startsWith('NativeModule '),
      );
      expect(before.length).toBeGreaterThan(20);
      expect(
        extra.filter(
          (name) => !/internal\/(modules|main|process)\//.test(name),
        ),
      ).toEqual([]);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});
