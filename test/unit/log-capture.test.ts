import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/provision';

/**
 * The suite-wide log check also covers what is written outside the tests
 * (a bundle's cold start at import, hooks): each fixture runs as a test
 * file of its own under the same setup file, in a child vitest.
 */

function runFixture(name: string) {
  const result = spawnSync(
    process.execPath,
    [
      path.join(ROOT, 'node_modules/vitest/vitest.mjs'),
      'run',
      '--config',
      'test/fixtures/leak-check/vitest.config.mts',
      name,
    ],
    { cwd: ROOT, encoding: 'utf8', env: { ...process.env, CI: 'true' } },
  );
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('the log check, in and outside the tests', () => {
  it.each([
    ['an address at import', 'leaks-at-import'],
    ['a phone number in an afterAll hook', 'leaks-in-hook'],
  ])('fails a file that logs %s', (_what, fixture) => {
    // Act
    const run = runFixture(fixture);

    // Assess
    expect(run.status).toBe(1);
    expect(run.output).toContain('outside any test');
  });

  it.each([
    ['a tracked secret', 'leaks-in-test'],
    ['an address nobody registered', 'leaks-shape-in-test'],
  ])('fails a test that logs %s while it runs', (_what, fixture) => {
    // Act
    const run = runFixture(fixture);

    // Assess
    expect(run.status).toBe(1);
    expect(run.output).toContain('during the test');
  });

  it('shows what a file wrote outside its tests when a hook failed', () => {
    // Act
    const run = runFixture('fails-in-hook');

    // Assess
    expect(run.status).toBe(1);
    expect(run.output).toContain('DIAGNOSTIC: the stack did not start');
  });

  it('passes what the redactor writes', () => {
    // Act
    const run = runFixture('masked');

    // Assess
    expect(run.status).toBe(0);
  });
});
