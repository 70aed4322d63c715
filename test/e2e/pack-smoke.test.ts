// Packaging smoke test: `npm pack` the built package (pretest has built it; --ignore-scripts so
// prepack does not rebuild dist/ under the other tests), install the tarball globally into a
// temporary prefix from the npm cache (offline), and run the installed `sdcoach` from another
// directory: --help, every command's and subcommand's --help, `problems`, and
// `grade --examples --grader evidence`. The tarball must hold no source maps and must ship what
// the README points to.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

let tmp: string;
let prefix: string;
let elsewhere: string;
let home: string;
let files: string[] = [];
let packSize = 0;
let installError: string | null = null;

function npm(args: string[], cwd: string): SpawnSyncReturns<string> {
  // No npm_config_* from the outer `npm test`: they would point the install at this repo.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.toLowerCase().startsWith('npm_')));
  return spawnSync(NPM, args, { cwd, env: { ...env, npm_config_update_notifier: 'false' }, encoding: 'utf8', timeout: 120_000 });
}

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'sdcoach-pack-'));
  prefix = path.join(tmp, 'prefix');
  elsewhere = path.join(tmp, 'elsewhere');
  home = path.join(tmp, 'home');
  await Promise.all([mkdir(prefix), mkdir(elsewhere), mkdir(home)]);

  const pack = npm(['pack', '--ignore-scripts', '--json', '--pack-destination', tmp], ROOT);
  if (pack.status !== 0) throw new Error(`npm pack failed:\n${pack.stderr}`);
  const [info] = JSON.parse(pack.stdout) as { filename: string; size: number; files: { path: string }[] }[];
  files = info!.files.map((f) => f.path);
  packSize = info!.size;
  const tarball = path.join(tmp, path.basename(info!.filename));

  const install = npm(['install', '-g', '--prefix', prefix, '--offline', '--no-audit', '--no-fund', tarball], elsewhere);
  if (install.status !== 0) installError = `${install.stderr}`.trim().split('\n').slice(-5).join('\n');
}, 180_000);

afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

function sdcoach(args: string[]): SpawnSyncReturns<string> {
  const bin = process.platform === 'win32' ? path.join(prefix, 'sdcoach.cmd') : path.join(prefix, 'bin', 'sdcoach');
  return spawnSync(bin, args, {
    cwd: elsewhere,
    env: { PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ''}`, NO_COLOR: '1', SDCOACH_HOME: home },
    encoding: 'utf8',
    timeout: 60_000,
  });
}

/** Command names under "Commands:" in a help text (without `help`). */
function commandsIn(help: string): string[] {
  const section = help.split(/^Commands:\n/m)[1]?.split(/\n\n/)[0] ?? '';
  return section
    .split('\n')
    .map((line) => /^ {2}([a-z][\w-]*)/.exec(line)?.[1])
    .filter((name): name is string => Boolean(name) && name !== 'help');
}

describe('packed tarball', () => {
  it('ships no source maps, and ships what the README points to', () => {
    expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
    for (const f of ['LICENSE', 'README.md', 'package.json', 'bin/sdcoach.js', 'dist/bundle/cli.cjs', 'docs/settings.example.jsonc', 'src/schemas/grade-report.schema.json', 'rubrics/default.yaml', 'sessions/example-url-shortener.jsonl']) {
      expect(files).toContain(f);
    }
    expect(files.filter((f) => f.startsWith('src/') && f.endsWith('.ts'))).toEqual([]);
    console.log(`sdcoach tarball: ${packSize} bytes, ${files.length} files`);
  });
});

describe('installed globally from the tarball, run from another directory', () => {
  // Skipped (with the reason) only when npm cannot install offline: a dependency is not in the
  // npm cache (run `npm ci` first); any other install failure fails the test.
  function installed(ctx: { skip: (note?: string) => void }) {
    if (installError && /ENOTCACHED|offline|cache mode/i.test(installError)) ctx.skip(`npm cannot install the tarball offline (dependencies not in the npm cache):\n${installError}`);
    if (installError) expect.fail(`npm install -g of the tarball failed:\n${installError}`);
  }

  it('--help and every command’s --help exit 0', (ctx) => {
    installed(ctx);
    const top = sdcoach(['--help']);
    expect(top.status, top.stderr).toBe(0);
    const commands = commandsIn(top.stdout);
    expect(commands).toEqual(expect.arrayContaining(['practice', 'grade', 'doctor', 'rubric', 'problems', 'sessions', 'progress', 'config', 'completion']));
    for (const command of commands) {
      const help = sdcoach([command, '--help']);
      expect(help.status, `${command} --help: ${help.stderr}`).toBe(0);
      for (const sub of commandsIn(help.stdout)) {
        const subHelp = sdcoach([command, sub, '--help']);
        expect(subHelp.status, `${command} ${sub} --help: ${subHelp.stderr}`).toBe(0);
      }
    }
  });

  it('installs in at most 60 MB with its dependencies', async (ctx) => {
    installed(ctx);
    const { installedBytes } = await import('../support/dir-size.js');
    const bytes = await installedBytes(path.join(prefix, 'lib', 'node_modules', 'sdcoach'));
    console.log(`sdcoach installed: ${(bytes / 1e6).toFixed(1)} MB`);
    expect(bytes).toBeLessThanOrEqual(60e6);
  });

  it('problems lists the packaged bank', (ctx) => {
    installed(ctx);
    const result = sdcoach(['problems']);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/url-shortener/);
  });

  it('grade --examples grades the shipped example sessions', (ctx) => {
    installed(ctx);
    const result = sdcoach(['grade', '--examples', '--grader', 'evidence']);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/example-url-shortener\.jsonl/);
    expect(result.stderr).toMatch(/graded (\d+) of \1 files/);
  });
});
