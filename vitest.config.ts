import { configDefaults, defineConfig } from 'vitest/config';
import SummaryLineReporter from './test/support/summary-reporter.js';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    // test/fixtures/ holds data and deliberately failing suites that tests run in a child vitest.
    exclude: [...configDefaults.exclude, 'test/fixtures/**'],
    // Child processes and a local HTTP server: generous per-test limit, never a timing assertion.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Most files wait on child processes (the CLI, tmux, npm pack): three at a time keeps two
    // cores busy (measured: 213 s against 280 s with two).
    maxWorkers: 3,
    reporters: ['default', new SummaryLineReporter()],
    // Every test sets its own SDCOACH_HOME (test/support/env.ts). The default is a path below a
    // file, so a test that forgets fails loudly instead of writing anywhere, even as root.
    env: { SDCOACH_HOME: '/dev/null/sdcoach-home-must-be-set-per-test', NO_COLOR: '1' },
  },
});
