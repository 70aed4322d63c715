/**
 * The closing summary line ("Tests: N passed, N failed, N skipped", test/support/summary-reporter.ts)
 * must count every failure vitest counts: a file that fails to load, a failing hook, an unhandled
 * rejection. Proof: deliberately failing suites (test/fixtures/summary-reporter/, excluded from
 * `npm test`) are run in child vitest processes with their own config and the same reporter; the
 * last line must agree with vitest's own summary and exit code.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const repoRoot = path.resolve(import.meta.dirname, '..');
const VITEST_BIN = path.join(repoRoot, 'node_modules', 'vitest', 'vitest.mjs');
const FIXTURE_CONFIG = path.join(repoRoot, 'test', 'fixtures', 'summary-reporter', 'vitest.config.ts');
const LINE = /^Tests: (\d+) passed, (\d+) failed, (\d+) skipped(?: \((.+)\))?$/;

interface ChildRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** The last non-empty line of stdout. */
  lastLine: string;
  ours: { passed: number; failed: number; skipped: number; note: string | undefined };
  /** What vitest itself printed: its summary block and the banners of its error report. */
  vitest: { passed: number; skipped: number; failedTests: number; failedSuites: number; errors: number; failedFiles: number };
}

function runFixtureVitest(args: string[]): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    // A minimal environment: nothing of the parent vitest (VITEST, VITEST_WORKER_ID, …) leaks in.
    const child = spawn(process.execPath, [VITEST_BIN, 'run', '--config', FIXTURE_CONFIG, ...args], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', NO_COLOR: '1', CI: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    const watchdog = setTimeout(() => {
      stderr += '\n[child vitest still running after 25 s; killed]\n';
      child.kill('SIGKILL');
    }, 25_000);
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(watchdog);
      const lastLine = stdout.trimEnd().split('\n').at(-1) ?? '';
      const m = LINE.exec(lastLine);
      const num = (re: RegExp, text: string) => Number(re.exec(text)?.[1] ?? 0);
      const testsRow = /^\s*Tests\s{2,}(.*)$/m.exec(stdout)?.[1] ?? '';
      const filesRow = /^\s*Test Files\s{2,}(.*)$/m.exec(stdout)?.[1] ?? '';
      resolve({
        code,
        stdout,
        stderr,
        lastLine,
        ours: { passed: Number(m?.[1] ?? NaN), failed: Number(m?.[2] ?? NaN), skipped: Number(m?.[3] ?? NaN), note: m?.[4] },
        vitest: {
          passed: num(/(\d+) passed/, testsRow),
          skipped: num(/(\d+) skipped/, testsRow),
          failedTests: num(/Failed Tests (\d+)/, stderr),
          failedSuites: num(/Failed Suites (\d+)/, stderr),
          errors: num(/^\s*Errors\s+(\d+) errors?/m, stdout),
          failedFiles: num(/(\d+) failed/, filesRow),
        },
      });
    });
  });
}

const runs: Record<string, ChildRun> = {};
const cases: Record<string, string[]> = {
  all: [],
  'import-error': ['import-error'],
  'unhandled-rejection': ['unhandled-rejection'],
  'hook-error': ['hook-error'],
  passing: ['passing'],
  'no test files': ['no-such-fixture'],
  'no test files, passWithNoTests': ['no-such-fixture', '--passWithNoTests'],
  'unhandled rejection, dangerouslyIgnoreUnhandledErrors': ['unhandled-rejection', '--dangerouslyIgnoreUnhandledErrors'],
};

beforeAll(async () => {
  // Each child takes about a second; run them side by side.
  const results = await Promise.all(Object.values(cases).map((args) => runFixtureVitest(args)));
  Object.keys(cases).forEach((name, i) => (runs[name] = results[i]!));
}, 60_000);

/** The run as a string that says everything when an assertion fails. */
const show = (run: ChildRun) => `exit ${run.code}; last line: ${run.lastLine}\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`;

/** The last line agrees with vitest: the same passed and skipped, every failure vitest reports, failed > 0 exactly when it exits non-zero. */
function expectAgreement(run: ChildRun) {
  expect(run.lastLine, show(run)).toMatch(LINE);
  expect(run.ours.passed, show(run)).toBe(run.vitest.passed);
  expect(run.ours.skipped, show(run)).toBe(run.vitest.skipped);
  expect(run.ours.failed > 0, show(run)).toBe(run.code !== 0);
}

describe('the summary line of a child vitest over deliberately failing fixture suites', () => {
  it('all fixtures: a non-zero failed count equal to vitest\'s failed tests + failed suites + errors, and exit 1', () => {
    const run = runs.all!;
    expect(run.code, show(run)).toBe(1);
    expectAgreement(run);
    expect(run.vitest, show(run)).toEqual({ passed: 2, skipped: 3, failedTests: 0, failedSuites: 2, errors: 1, failedFiles: 2 });
    expect(run.ours.failed).toBe(run.vitest.failedTests + run.vitest.failedSuites + run.vitest.errors);
    expect(run.lastLine).toBe('Tests: 2 passed, 3 failed, 3 skipped (2 files or suites with errors outside tests, 1 unhandled error)');
  });

  it.each([
    ['import-error', 'Tests: 0 passed, 1 failed, 0 skipped (1 file or suite with errors outside tests)'],
    ['hook-error', 'Tests: 0 passed, 1 failed, 2 skipped (1 file or suite with errors outside tests)'],
    ['unhandled-rejection', 'Tests: 1 passed, 1 failed, 0 skipped (1 unhandled error)'],
  ])('%s alone: exit 1 and a failed count of 1 on the last line', (name, line) => {
    const run = runs[name]!;
    expect(run.code, show(run)).toBe(1);
    expectAgreement(run);
    expect(run.lastLine).toBe(line);
  });

  it('a passing file alone: exit 0 and 0 failed', () => {
    const run = runs.passing!;
    expect(run.code, show(run)).toBe(0);
    expectAgreement(run);
    expect(run.lastLine).toBe('Tests: 1 passed, 0 failed, 1 skipped');
  });

  it('no test files: vitest exits 1 and the line says why; with --passWithNoTests both pass', () => {
    const none = runs['no test files']!;
    expect(none.code, show(none)).toBe(1);
    expect(none.lastLine).toBe('Tests: 0 passed, 1 failed, 0 skipped (no test files found)');
    const allowed = runs['no test files, passWithNoTests']!;
    expect(allowed.code, show(allowed)).toBe(0);
    expect(allowed.lastLine).toBe('Tests: 0 passed, 0 failed, 0 skipped');
  });

  it('unhandled errors do not count when vitest is told to ignore them (and then exits 0)', () => {
    const run = runs['unhandled rejection, dangerouslyIgnoreUnhandledErrors']!;
    expect(run.code, show(run)).toBe(0);
    expectAgreement(run);
    expect(run.lastLine).toBe('Tests: 1 passed, 0 failed, 0 skipped');
  });
});
