// `sdcoach --help` wall time against `node -e 0`, interleaved in the same process tree.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fmt, median } from './stats.js';

const bin = path.resolve(import.meta.dirname, '..', 'bin', 'sdcoach.js');

function wallMs(args: string[]): number {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { stdio: 'ignore', env: { ...process.env, NO_COLOR: '1' } });
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} exited ${result.status}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

export function benchCliStartup(runs = 15) {
  wallMs(['-e', '0']);
  wallMs([bin, '--help']); // warm the file cache
  const baseline: number[] = [];
  const help: number[] = [];
  for (let i = 0; i < runs; i++) {
    baseline.push(wallMs(['-e', '0']));
    help.push(wallMs([bin, '--help']));
  }
  const base = median(baseline);
  const cli = median(help);
  return { runs, baselineMs: base, helpMs: cli, ratio: cli / base, line: `--help ${fmt(cli)} vs node -e 0 ${fmt(base)}: ${(cli / base).toFixed(2)}× (target ≤ 1.5×, median of ${runs})` };
}
