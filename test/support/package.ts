import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT } from './provision';

export const CFN_LINT_HINT =
  "cfn-lint was not found on PATH. It comes with the machine image's Python; install it with: pip install cfn-lint";

export interface PackagedStack {
  dir: string;
  template: Record<string, any>;
}

/**
 * Runs the real `osls package` offline into a temporary folder.
 *
 * @param args - extra CLI arguments, e.g. `['--stage', 'prod', '--param', 'mode=existing']`
 */
export function packageStack(args: string[] = []): PackagedStack {
  const dir = mkdtempSync(path.join(tmpdir(), 'suite-package-'));
  const result = spawnSync(
    path.join(ROOT, 'node_modules/.bin/osls'),
    ['package', '--package', dir, ...args],
    {
      cwd: ROOT,
      encoding: 'utf8',
      env: {
        ...process.env,
        SLS_TELEMETRY_DISABLED: '1',
        AWS_ENDPOINT_URL: '',
      },
      timeout: 180_000,
    },
  );
  if (result.status !== 0) {
    throw new Error(`osls package failed:\n${result.stdout}\n${result.stderr}`);
  }
  const template = JSON.parse(
    readFileSync(
      path.join(dir, 'cloudformation-template-update-stack.json'),
      'utf8',
    ),
  ) as Record<string, any>;
  return { dir, template };
}

/**
 * Runs cfn-lint on a packaged template. W3005 (redundant DependsOn) is what
 * the Serverless Framework always emits, so it is ignored.
 *
 * @returns cfn-lint's exit status and output
 */
export function cfnLint(stack: PackagedStack): {
  status: number;
  output: string;
} {
  const which = spawnSync('sh', ['-c', 'command -v cfn-lint'], {
    encoding: 'utf8',
  });
  if (which.status !== 0) throw new Error(CFN_LINT_HINT);
  const result = spawnSync(
    'cfn-lint',
    [
      '--ignore-checks',
      'W3005',
      '--',
      path.join(stack.dir, 'cloudformation-template-update-stack.json'),
    ],
    { encoding: 'utf8', timeout: 120_000 },
  );
  return {
    status: result.status ?? -1,
    output: `${result.stdout}${result.stderr}`,
  };
}
