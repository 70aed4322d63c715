import { spawn } from 'node:child_process';
import path from 'node:path';

export const BIN = path.resolve(import.meta.dirname, '..', '..', 'bin', 'sdcoach.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Run the built CLI as a user would (async, so an in-process fake server keeps answering).
 * The environment is minimal and explicit: no inherited OPENAI_* can leak into a test.
 */
export function runCli(
  args: string[],
  env: Record<string, string>,
  options: { input?: string; killAfterMs?: number } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', NO_COLOR: '1', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    // A child that never exits must not outlive the test or fail it with a bare timeout:
    // kill it and say so, with whatever it printed.
    const limit = options.killAfterMs ?? 20_000;
    const watchdog = setTimeout(() => {
      stderr += `\n[runCli: sdcoach ${args.join(' ')} still running after ${limit} ms; killed]\n`;
      child.kill('SIGKILL');
    }, limit);
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(watchdog);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}
