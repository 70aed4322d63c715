import { defineConfig } from 'vitest/config';
import SummaryLineReporter from './test/support/summary-reporter.js';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Child processes and a local HTTP server: generous per-test limit, never a timing assertion.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    reporters: ['default', new SummaryLineReporter()],
    // Every test gets its own SDCOACH_HOME (see test/support/env.ts); never the user's folder.
    env: { SDCOACH_HOME: '/nonexistent/sdcoach-home-set-per-test', NO_COLOR: '1' },
  },
});
