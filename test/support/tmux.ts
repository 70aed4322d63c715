// Drive the real built CLI in a real terminal: tmux on a private socket per test, keys sent as a
// user types them, the screen read back with capture-pane. Waits poll the screen (or a file),
// never sleep a fixed time.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { BIN } from './run-cli.js';
import { waitFor } from './env.js';

const exec = promisify(execFile);
let counter = 0;

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

export interface TmuxOptions {
  args: string[];
  env: Record<string, string>;
  columns?: number;
  rows?: number;
}

export class TmuxApp {
  readonly socket: string;
  readonly target = 'app';

  private constructor(socket: string) {
    this.socket = socket;
  }

  /** Starts `sdcoach ARGS` in a detached tmux session; the pane stays after it exits. */
  static async start(options: TmuxOptions): Promise<TmuxApp> {
    const socket = `sdcoach-test-${process.pid}-${++counter}`;
    const app = new TmuxApp(socket);
    const env = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      TERM: 'xterm-256color',
      // Ink treats CI=true as non-interactive; the app must see a live terminal here.
      CI: 'false',
      NO_COLOR: '1',
      ...options.env,
    };
    const assignments = Object.entries(env).map(([k, v]) => `${k}=${shellQuote(v)}`).join(' ');
    const command = `exec env -i ${assignments} ${shellQuote(process.execPath)} ${shellQuote(BIN)} ${options.args.map(shellQuote).join(' ')}`;
    await exec('tmux', ['-L', socket, '-f', '/dev/null', 'new-session', '-d', '-s', app.target, '-x', String(options.columns ?? 100), '-y', String(options.rows ?? 30), command]);
    await app.tmux('set-option', '-t', app.target, 'remain-on-exit', 'on');
    return app;
  }

  async tmux(...args: string[]): Promise<string> {
    const { stdout } = await exec('tmux', ['-L', this.socket, ...args]);
    return stdout;
  }

  /** Types text literally (no key names), then optionally presses Enter as a separate key. */
  async type(text: string, options: { enter?: boolean } = {}): Promise<void> {
    await this.tmux('send-keys', '-t', this.target, '-l', text);
    if (options.enter) await this.tmux('send-keys', '-t', this.target, 'Enter');
  }

  /**
   * Pastes text as a terminal does: line breaks become CR, and the paste is bracketed
   * (ESC[200~ … ESC[201~) when the app asked for bracketed paste mode (tmux paste-buffer -p).
   */
  async paste(text: string): Promise<void> {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'sdcoach-paste-'));
    try {
      const file = path.join(dir, 'paste.txt');
      await writeFile(file, text);
      await this.tmux('load-buffer', '-b', 'paste', file);
      await this.tmux('paste-buffer', '-p', '-d', '-b', 'paste', '-t', this.target);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  async keys(...names: string[]): Promise<void> {
    await this.tmux('send-keys', '-t', this.target, ...names);
  }

  /** The visible screen, wrapped lines joined. */
  async screen(): Promise<string> {
    return this.tmux('capture-pane', '-p', '-J', '-t', this.target);
  }

  /** The screen and its scrollback. */
  async history(): Promise<string> {
    return this.tmux('capture-pane', '-p', '-J', '-S', '-', '-t', this.target);
  }

  async waitForScreen(pattern: RegExp, what = String(pattern), timeoutMs = 20_000): Promise<string> {
    let last = '';
    try {
      return await waitFor(
        async () => {
          last = await this.history();
          return pattern.test(last) ? last : null;
        },
        { timeoutMs, intervalMs: 50, what },
      );
    } catch (error) {
      throw new Error(`${(error as Error).message}\n--- screen ---\n${last}`);
    }
  }

  /** The composer is open and no reply is streaming: the status bar's hint says so. */
  async waitForReady(what = 'the composer to be ready', timeoutMs = 20_000): Promise<void> {
    let last = '';
    try {
      await waitFor(
        async () => {
          last = await this.screen();
          const lines = last.split('\n').filter((line) => line.trim());
          // The hint sits at the end of the status bar, just above the composer.
          return lines.slice(-3).some((line) => line.includes('Enter sends'));
        },
        { timeoutMs, intervalMs: 50, what },
      );
    } catch (error) {
      throw new Error(`${(error as Error).message}\n--- screen ---\n${last}`);
    }
  }

  /** The pid of the app (the pane's process: the command was exec'd). */
  async pid(): Promise<number> {
    return Number((await this.tmux('display-message', '-p', '-t', this.target, '#{pane_pid}')).trim());
  }

  async exited(): Promise<boolean> {
    return (await this.tmux('display-message', '-p', '-t', this.target, '#{pane_dead}')).trim() === '1';
  }

  async kill(): Promise<void> {
    await exec('tmux', ['-L', this.socket, 'kill-server']).catch(() => {});
  }
}
