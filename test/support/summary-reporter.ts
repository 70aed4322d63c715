// Ends every run with one plain line, "Tests: N passed, N failed, N skipped", that CI
// tooling can read without knowing vitest's coloured summary.
//
// "failed" counts every failure vitest itself counts, so the line says 0 failed exactly when
// vitest exits 0:
// - failed tests ("Failed Tests" in vitest's error summary);
// - suites and files with errors of their own ("Failed Suites"): a file that could not load,
//   an error thrown in a describe body, a failing beforeAll/afterAll hook (whose tests are
//   then skipped, not failed);
// - unhandled errors and rejections ("Errors"), unless dangerouslyIgnoreUnhandledErrors;
// - and, so the line can never say 0 while vitest fails: a file vitest marks failed without
//   any of the above, an empty run (without passWithNoTests), an interrupted run.
// When anything but failed tests is counted, a note in parentheses says what.
import type { Reporter, TestModule, TestRunEndReason, Vitest } from 'vitest/node';

export interface SummaryCounts {
  passed: number;
  skipped: number;
  failedTests: number;
  /** Suites and files with errors of their own (vitest's "Failed Suites"). */
  failedSuites: number;
  /** Files vitest marks failed although no test, suite or file error explains it. */
  otherFailedFiles: number;
  unhandledErrors: number;
  noTestFiles: boolean;
  interrupted: boolean;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export function countResults(
  testModules: ReadonlyArray<TestModule>,
  unhandledErrors: ReadonlyArray<unknown>,
  reason: TestRunEndReason,
  config: { passWithNoTests?: boolean; dangerouslyIgnoreUnhandledErrors?: boolean } = {},
): SummaryCounts {
  const counts: SummaryCounts = {
    passed: 0,
    skipped: 0,
    failedTests: 0,
    failedSuites: 0,
    otherFailedFiles: 0,
    unhandledErrors: config.dangerouslyIgnoreUnhandledErrors ? 0 : unhandledErrors.length,
    noTestFiles: testModules.length === 0 && !config.passWithNoTests,
    interrupted: reason === 'interrupted',
  };
  for (const module of testModules) {
    let failuresHere = 0;
    for (const suite of [module, ...module.children.allSuites()]) {
      if (suite.errors().length > 0) failuresHere++;
    }
    counts.failedSuites += failuresHere;
    for (const test of module.children.allTests()) {
      const state = test.result().state;
      if (state === 'passed') counts.passed++;
      else if (state === 'failed') {
        counts.failedTests++;
        failuresHere++;
      } else counts.skipped++;
    }
    if (!module.ok() && failuresHere === 0) counts.otherFailedFiles++;
  }
  return counts;
}

export function totalFailed(c: SummaryCounts): number {
  const failed = c.failedTests + c.failedSuites + c.otherFailedFiles + c.unhandledErrors;
  return failed + (failed === 0 && (c.noTestFiles || c.interrupted) ? 1 : 0);
}

export function summaryLine(c: SummaryCounts): string {
  const notes: string[] = [];
  if (c.failedSuites) notes.push(`${plural(c.failedSuites, 'file or suite', 'files or suites')} with errors outside tests`);
  if (c.otherFailedFiles) notes.push(plural(c.otherFailedFiles, 'file marked failed', 'files marked failed'));
  if (c.unhandledErrors) notes.push(plural(c.unhandledErrors, 'unhandled error'));
  if (c.noTestFiles) notes.push('no test files found');
  if (c.interrupted) notes.push('run interrupted');
  if (notes.length && c.failedTests) notes.unshift(plural(c.failedTests, 'failed test'));
  const note = notes.length ? ` (${notes.join(', ')})` : '';
  return `Tests: ${c.passed} passed, ${totalFailed(c)} failed, ${c.skipped} skipped${note}`;
}

export default class SummaryLineReporter implements Reporter {
  private config: { passWithNoTests?: boolean; dangerouslyIgnoreUnhandledErrors?: boolean } = {};

  onInit(vitest: Vitest): void {
    this.config = vitest.config;
  }

  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>, reason: TestRunEndReason): void {
    process.stdout.write(`\n${summaryLine(countResults(testModules, unhandledErrors, reason, this.config))}\n`);
  }
}
