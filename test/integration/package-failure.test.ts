import { spawnSync } from 'node:child_process';
import {
  cpSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { packageStack } from '../support/package';
import { ROOT } from '../support/provision';

/**
 * A failed build must end `osls package` (and so `deploy`) with an error
 * exit, not leave it hanging after printing the error, as
 * serverless-esbuild does when it builds through an esbuild context
 * (floydspace/serverless-esbuild#532). Packaged from a copy of the project
 * whose suite.json has a misspelt key.
 */

const PROJECT_FILES = [
  'serverless.yml',
  'package.json',
  'tsconfig.json',
  'infra',
  'functions',
  'shared',
  'config',
];

const copies: string[] = [];
afterAll(() => {
  for (const dir of copies) rmSync(dir, { recursive: true, force: true });
});

/** A copy of the project (node_modules linked) with `settings` as suite.json. */
function projectWith(settings: Record<string, unknown>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'suite-broken-'));
  copies.push(dir);
  for (const file of PROJECT_FILES) {
    cpSync(path.join(ROOT, file), path.join(dir, file), { recursive: true });
  }
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  writeFileSync(
    path.join(dir, 'config/suite.json'),
    JSON.stringify(settings, null, 2),
  );
  return dir;
}

describe('osls package with a build error', () => {
  it('exits with an error naming the bad setting instead of hanging', () => {
    // Prepare
    const shipped = JSON.parse(
      readFileSync(path.join(ROOT, 'config/suite.json'), 'utf8'),
    ) as Record<string, Record<string, unknown>>;
    const dir = projectWith({
      ...shipped,
      policy: { ...shipped.policy, registraton: 'open' },
    });

    // Act
    const result = spawnSync(
      path.join(dir, 'node_modules/.bin/osls'),
      ['package', '--stage', 'ci', '--package', path.join(dir, 'out')],
      {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, SLS_TELEMETRY_DISABLED: '1' },
        timeout: 90_000,
      },
    );

    // Assess
    expect(result.signal).toBeNull();
    expect(result.status).toBe(1);
    expect(`${result.stdout}${result.stderr}`).toContain(
      'suite.json:policy.registraton (unknown key)',
    );
  });
});

describe('osls package with stage parameters the sender cannot use', () => {
  it('refuses to package, naming each one and no phone number', () => {
    // Act: the shipped project, as a user runs `npm run package`
    const package_ = () =>
      packageStack([
        '--stage',
        'ci',
        '--param',
        'smsDryRun=yes',
        '--param',
        'smsSandboxNumbers=+4915112345678,0151 1234 5678',
        '--param',
        'snsRegion=eu-west1',
      ]);

    // Assess
    let message = '';
    try {
      package_();
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain(
      'stage parameters the SMS sender cannot use: smsDryRun "yes" (one of true, false); smsSandboxNumbers entry 2',
    );
    expect(message).toContain('snsRegion "eu-west1"');
    expect(message).not.toMatch(/15112345678|1234 5678/);
  });
});
