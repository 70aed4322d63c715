// bin/sdcoach.js checks the Node version before the bundle loads: on a Node older than
// package.json `engines`, one line on stderr and exit 1 instead of a bare SyntaxError.
// SDCOACH_TEST_NODE_VERSION stands in for process.versions.node (only tests set it).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, runCli } from '../support/run-cli.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

describe('Node version check', () => {
  it.each(['18.20.4', '20.18.3', '16.0.0', '8'])('Node %s: one line, exit 1, nothing loaded', async (version) => {
    const result = await runCli(['--version'], { SDCOACH_HOME: '/dev/null/unused', SDCOACH_TEST_NODE_VERSION: version });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(`sdcoach needs Node 20.19 or newer (this is v${version})\n`);
  });

  it.each(['20.19.0', '20.20.1', '22.1.0', '24.0.0'])('Node %s: runs', async (version) => {
    const result = await runCli(['--version'], { SDCOACH_HOME: '/dev/null/unused', SDCOACH_TEST_NODE_VERSION: version });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it('the launcher checks what package.json engines says', () => {
    const engines = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } }).engines.node;
    const [, major, minor] = /^>=\s*(\d+)\.(\d+)/.exec(engines)!;
    expect(readFileSync(BIN, 'utf8')).toContain(`var MIN_NODE = [${major}, ${minor}];`);
  });
});
