// CLI start-up wall time: `sdcoach --help`, `--version` and `problems` against `node -e 0` and
// against a peer CLI (prettier --version, a devDependency: one well-known package, no
// dependencies of its own), all interleaved in the same run so a busy machine slows each alike.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fmt, median } from './stats.js';

const bin = path.resolve(import.meta.dirname, '..', 'bin', 'sdcoach.js');

function peerBin(name: string): string {
  const manifestPath = createRequire(import.meta.url).resolve(`${name}/package.json`);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { bin: string | Record<string, string> };
  const relative = typeof manifest.bin === 'string' ? manifest.bin : manifest.bin[name]!;
  return path.join(path.dirname(manifestPath), relative);
}

const PEER = { name: 'prettier', version: (JSON.parse(readFileSync(createRequire(import.meta.url).resolve('prettier/package.json'), 'utf8')) as { version: string }).version };

function wallMs(args: string[], env: NodeJS.ProcessEnv): number {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { stdio: 'ignore', env });
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} exited ${result.status}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

export const STARTUP_TARGET = 1.1;
const FIRST_RUN = 'sdcoach problems (first run)';

export function benchCliStartup(runs = 15) {
  // An SDCOACH_HOME with no problems of its own: `problems` lists the packaged bank, as on a fresh
  // install; after the warm-up run its listing index exists (a warm run), the first-run case has none.
  const home = mkdtempSync(path.join(os.tmpdir(), 'sdcoach-bench-startup-'));
  const env = { ...process.env, NO_COLOR: '1', SDCOACH_HOME: home };
  const cases: Record<string, string[]> = {
    'node -e 0': ['-e', '0'],
    'sdcoach --help': [bin, '--help'],
    'sdcoach --version': [bin, '--version'],
    'sdcoach problems': [bin, 'problems'],
    // A new SDCOACH_HOME each time: no listing index yet (the packaged rows come from the build).
    [FIRST_RUN]: [bin, 'problems'],
    [`${PEER.name} --version`]: [peerBin(PEER.name), '--version'],
  };
  const envFor = (name: string): { env: NodeJS.ProcessEnv; done: () => void } => {
    if (name !== FIRST_RUN) return { env, done: () => {} };
    const fresh = mkdtempSync(path.join(os.tmpdir(), 'sdcoach-bench-first-'));
    return { env: { ...env, SDCOACH_HOME: fresh }, done: () => rmSync(fresh, { recursive: true, force: true }) };
  };
  const sample = (name: string, args: string[]): number => {
    const { env: caseEnv, done } = envFor(name);
    try {
      return wallMs(args, caseEnv);
    } finally {
      done();
    }
  };
  const samples: Record<string, number[]> = Object.fromEntries(Object.keys(cases).map((name) => [name, []]));
  try {
    for (const [name, args] of Object.entries(cases)) sample(name, args); // warm the file cache
    for (let i = 0; i < runs; i++) for (const [name, args] of Object.entries(cases)) samples[name]!.push(sample(name, args));
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
  const medians = Object.fromEntries(Object.entries(samples).map(([name, values]) => [name, median(values)]));
  const base = medians['node -e 0']!;
  const peer = medians[`${PEER.name} --version`]!;
  const rows = Object.entries(medians)
    .filter(([name]) => name !== 'node -e 0')
    .map(([name, ms]) => ({ name, ms, vsNode: ms / base, vsPeer: ms / peer }));
  const lines = [
    `start-up, median of ${runs} (target ≤ ${STARTUP_TARGET}× node -e 0 for --help, --version, problems); node -e 0 ${fmt(base)}, ${PEER.name}@${PEER.version} --version ${fmt(peer)}`,
    ...rows.map(
      (row) =>
        `  ${row.name.padEnd(28)} ${fmt(row.ms).padStart(9)}  ${row.vsNode.toFixed(2)}× node -e 0  ${row.vsPeer.toFixed(2)}× ${PEER.name} --version`,
    ),
  ];
  return {
    runs,
    baselineMs: base,
    peer: { ...PEER, versionMs: peer },
    // Kept for readers of `npm run bench -- --json` from before: --help alone.
    helpMs: medians['sdcoach --help']!,
    ratio: medians['sdcoach --help']! / base,
    results: rows,
    lines,
  };
}
