import { format } from 'node:util';
import { afterAll, afterEach, beforeEach, expect } from 'vitest';
import {
  clearTrackedSecrets,
  findPersonalDataShapes,
  findTrackedSecrets,
} from './secrets';

export { findTrackedSecrets, trackSecret } from './secrets';

/**
 * Suite-wide log capture (a vitest setup file for every test).
 *
 * Every line written to stdout/stderr during a test (Powertools Logger and
 * console alike) is kept instead of printed. Secrets a test handled (codes,
 * temporary passwords, TOTP secrets, ciphertexts, answers, phone numbers,
 * email addresses) are registered with {@link trackSecret}; after each test
 * the captured lines are searched for them and the test fails if one shows,
 * as it does for any email address or phone number in the clear. What is
 * written outside the tests (at import, in hooks) is checked when the file
 * is done. `loadEvent()` registers an event's sensitive fields by itself.
 */

const lines: string[] = [];
const originalStdout = process.stdout.write.bind(process.stdout);
const originalStderr = process.stderr.write.bind(process.stderr);

function capture(chunk: unknown): boolean {
  lines.push(typeof chunk === 'string' ? chunk : String(chunk));
  return true;
}

/** All lines captured during the current test. */
export function capturedLogs(): string[] {
  return [...lines];
}

/** Captured lines parsed as JSON where possible (Powertools lines). */
export function capturedLogRecords(): Array<Record<string, unknown>> {
  const records: Array<Record<string, unknown>> = [];
  for (const chunk of lines) {
    for (const line of chunk.split('\n')) {
      if (!line.trim().startsWith('{')) continue;
      try {
        records.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        // not a JSON line
      }
    }
  }
  return records;
}

// Vitest gives each test file its own console, which never reaches
// process.stdout: its methods are captured too.
const CONSOLE_METHODS = [
  'log',
  'info',
  'warn',
  'error',
  'debug',
  'trace',
] as const;
const originalConsole = Object.fromEntries(
  CONSOLE_METHODS.map((name) => [name, console[name]]),
) as Record<(typeof CONSOLE_METHODS)[number], (...args: unknown[]) => void>;

function captureConsole(): void {
  for (const name of CONSOLE_METHODS) {
    console[name] = (...args: unknown[]) => {
      capture(`${format(...args)}\n`);
    };
  }
}

function restoreConsole(): void {
  for (const name of CONSOLE_METHODS) console[name] = originalConsole[name];
}

function startCapture(): void {
  process.stdout.write = capture as typeof process.stdout.write;
  process.stderr.write = capture as typeof process.stderr.write;
  captureConsole();
}

function stopCapture(): void {
  process.stdout.write = originalStdout;
  process.stderr.write = originalStderr;
  restoreConsole();
}

/** Fails with what `text` shows that it must not. */
function expectNothingLeaked(text: string, where: string): void {
  const leaked = findTrackedSecrets(text);
  expect(
    leaked.map((secret) => `${secret.slice(0, 2)}…(${secret.length} chars)`),
    `a secret this file handled appeared in a log line (${where})`,
  ).toEqual([]);
  expect(
    findPersonalDataShapes(text),
    `a log line shows personal data in the clear (${where})`,
  ).toEqual([]);
}

/**
 * What was written outside any test: at import (a bundle's cold start), in
 * beforeAll/afterAll hooks, or by a timer after its test ended. Checked
 * once the file is done.
 */
const outside: string[] = [];

// Secrets are kept for the whole file: one registered at import, in
// beforeAll, or by an earlier test, must not show in a later test's logs
// either. Capture starts now, before the test file is imported, so its
// cold starts are checked too.
clearTrackedSecrets();
startCapture();

beforeEach(() => {
  outside.push(...lines);
  lines.length = 0;
});

/** How the file's tests went: a file with no passing test had trouble. */
let sawPass = false;
let sawFailure = false;

afterEach((context) => {
  const state = context.task.result?.state;
  sawPass ||= state === 'pass';
  sawFailure ||= state === 'fail';
  const text = lines.join('\n');
  if (
    process.env.SHOW_TEST_LOGS === '1' ||
    context.task.result?.state === 'fail'
  ) {
    originalStderr(lines.join(''));
  }
  lines.length = 0;
  expectNothingLeaked(text, 'during the test');
});

afterAll(async () => {
  // Lets timers a test left running write their lines first.
  await new Promise((resolve) => setTimeout(resolve, 0));
  stopCapture();
  outside.push(...lines);
  lines.length = 0;
  const text = outside.join('');
  outside.length = 0;
  // A cold start or a local stack that failed in a hook says why here.
  if (process.env.SHOW_TEST_LOGS === '1' || sawFailure || !sawPass)
    originalStderr(text);
  expectNothingLeaked(text, 'outside any test: at import or in a hook');
});
