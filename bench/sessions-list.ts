// `sdcoach sessions list` over thousands of recorded sessions: wall time of the built CLI.
// Sessions are realistic files: ~40 turns (about 2,000 words) from the synthetic interview
// generator, an end event and a grade event holding a real evidence-grader report.
// Cold: no session index (the listing reads every file and writes the index); warm: the index
// is current (one readdir + one stat per file). 50,000 sessions only with BENCH_SESSIONS_50K=1
// (or --counts); otherwise the 50,000 figures are extrapolated from 5,000.
// Generated folders are kept under the system temp folder between runs, keyed by their content
// (BENCH_SESSIONS_KEEP=0 removes them after the run).
// Run alone: `npm run build && npx tsx bench/sessions-list.ts [--counts 5000,50000]`.
import { spawnSync } from 'node:child_process';
import { access, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gradeEvidence } from '../src/grading/evidence-grader.js';
import { buildReport } from '../src/grading/report.js';
import { loadRubric } from '../src/content/rubric-loader.js';
import { loadProblem } from '../src/content/problem-loader.js';
import { resolvePaths } from '../src/storage/paths.js';
import { sha256 } from '../src/storage/hash.js';
import { parseTranscript } from '../src/storage/transcript-store.js';
import { fmt, median } from './stats.js';
import { syntheticSessionJsonl } from './synthetic-transcript.js';

const BIN = path.resolve(import.meta.dirname, '..', 'bin', 'sdcoach.js');
const PROBLEMS = ['url-shortener', 'news-feed', 'payments', 'rate-limiter', 'group-chat', 'llm-chat'];

/** A few graded base sessions (the expensive part), reused with a new meta line for every file. */
async function baseSessions(): Promise<{ body: string; meta: Record<string, unknown> }[]> {
  const paths = resolvePaths();
  const rubric = await loadRubric('default', paths);
  const bases = [];
  for (let i = 0; i < PROBLEMS.length; i++) {
    const problemId = PROBLEMS[i]!;
    // ~2,400 words is about 20 interviewer/candidate pairs: 40 turns.
    const text = syntheticSessionJsonl(2400, i + 1, problemId);
    const transcript = parseTranscript(text, null);
    const problem = await loadProblem(problemId, paths).catch(() => null);
    const input = { transcript, rubric, problem };
    const report = buildReport(input, gradeEvidence(input), { file: null, grader: 'evidence', model: null, gradedAt: new Date(0).toISOString() });
    const [metaLine, ...rest] = text.trimEnd().split('\n');
    const body = [...rest, JSON.stringify({ type: 'grade', report })].join('\n') + '\n';
    bases.push({ body, meta: JSON.parse(metaLine!) as Record<string, unknown> });
  }
  return bases;
}

export async function generateSessions(
  dir: string,
  count: number,
  bases?: { body: string; meta: Record<string, unknown> }[],
): Promise<{ bytes: number; turns: number }> {
  await mkdir(dir, { recursive: true });
  bases ??= await baseSessions();
  const start = Date.UTC(2026, 0, 1);
  let bytes = 0;
  const turns = bases[0]!.body.split('\n').filter((l) => l.includes('"type":"turn"')).length;
  const batch: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    const base = bases[i % bases.length]!;
    const started = new Date(start + i * 3_600_000);
    const id = `${started.toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-')}-${i.toString(36).padStart(6, '0')}`;
    const meta = { ...base.meta, id, started: started.toISOString(), problem: PROBLEMS[i % PROBLEMS.length] };
    const content = `${JSON.stringify(meta)}\n${base.body}`;
    bytes += Buffer.byteLength(content);
    batch.push(writeFile(path.join(dir, `${id}.jsonl`), content, { mode: 0o600 }));
    if (batch.length >= 256) await Promise.all(batch.splice(0));
  }
  await Promise.all(batch);
  return { bytes, turns };
}

function wallMs(args: string[], env: NodeJS.ProcessEnv): number {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, [BIN, ...args], { stdio: ['ignore', 'ignore', 'pipe'], env });
  if (result.status !== 0) throw new Error(`sdcoach ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** A generated folder of `count` sessions, reused between runs while the generator's output is the same. */
async function sessionsFolder(count: number): Promise<{ dir: string; bytes: number; turns: number; reused: boolean }> {
  const bases = await baseSessions();
  const key = sha256(JSON.stringify(bases)).slice(0, 12);
  const dir = path.join(os.tmpdir(), 'sdcoach-bench-sessions', `${count}-${key}`);
  const marker = path.join(dir, '.complete.json');
  const done = await access(marker).then(() => true, () => false);
  if (done) {
    const { bytes, turns } = JSON.parse(await readFile(marker, 'utf8')) as { bytes: number; turns: number };
    return { dir, bytes, turns, reused: true };
  }
  await rm(dir, { recursive: true, force: true });
  const { bytes, turns } = await generateSessions(dir, count, bases);
  await writeFile(marker, JSON.stringify({ bytes, turns }));
  return { dir, bytes, turns, reused: false };
}

export interface SessionsListResult {
  sessions: number;
  megabytes: number;
  turnsPerSession: number;
  /** No index: every file read, the index written. */
  coldMs: number;
  /** A current index: no session file read. */
  warmMs: number;
  warmJsonMs: number;
  baselineMs: number;
  indexKB: number;
}

export async function benchSessionsList(counts?: number[], runs = 5) {
  counts ??= process.env.BENCH_SESSIONS_50K === '1' ? [5000, 50_000] : [5000];
  const results: SessionsListResult[] = [];
  for (const count of counts) {
    const home = await mkdtemp(path.join(os.tmpdir(), 'sdcoach-bench-sessions-home-'));
    const folder = await sessionsFolder(count);
    try {
      const env = { PATH: process.env.PATH ?? '', HOME: home, SDCOACH_HOME: home, SDCOACH_SESSIONS_DIR: folder.dir, NO_COLOR: '1' };
      const indexDir = path.join(home, 'cache', 'session-index');
      const dropIndex = () => rm(indexDir, { recursive: true, force: true });
      // Warm the page cache and build the index (twice: files younger than 2 s are not indexed).
      wallMs(['sessions', 'list'], env);
      wallMs(['sessions', 'list'], env);
      const indexFiles = await readdir(indexDir);
      const { size: indexBytes } = await stat(path.join(indexDir, indexFiles[0]!));
      const cold: number[] = [];
      const warm: number[] = [];
      const json: number[] = [];
      const baseline: number[] = [];
      for (let i = 0; i < runs; i++) {
        baseline.push(wallMs(['--version'], env));
        warm.push(wallMs(['sessions', 'list'], env));
        json.push(wallMs(['sessions', 'list', '--json'], env));
        await dropIndex();
        cold.push(wallMs(['sessions', 'list'], env));
      }
      results.push({
        sessions: count,
        megabytes: Math.round(folder.bytes / 1e6),
        turnsPerSession: folder.turns,
        coldMs: median(cold),
        warmMs: median(warm),
        warmJsonMs: median(json),
        baselineMs: median(baseline),
        indexKB: Math.round(indexBytes / 1024),
      });
    } finally {
      await rm(home, { recursive: true, force: true });
      if (process.env.BENCH_SESSIONS_KEEP === '0') await rm(folder.dir, { recursive: true, force: true });
    }
  }
  const lines = results.map(
    (r) =>
      `sessions list over ${r.sessions.toLocaleString('en')} sessions (${r.megabytes} MB, ${r.turnsPerSession} turns + grade each): ` +
      `warm (index current) ${fmt(r.warmMs)}, --json ${fmt(r.warmJsonMs)}; cold (no index, builds it) ${fmt(r.coldMs)}; ` +
      `sdcoach --version ${fmt(r.baselineMs)}; index ${r.indexKB.toLocaleString('en')} KB; target ≤ 1000 ms, median of ${runs}`,
  );
  if (!results.some((r) => r.sessions >= 50_000)) {
    const r = results[0]!;
    const at = (ms: number) => fmt(r.baselineMs + ((ms - r.baselineMs) / r.sessions) * 50_000);
    lines.push(
      `  50,000 sessions (linear from 5,000 above --version: an upper bound, fixed costs counted per session; BENCH_SESSIONS_50K=1 measures it): warm ≈ ${at(r.warmMs)}, cold ≈ ${at(r.coldMs)}`,
    );
  }
  return { results, lines };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const flag = process.argv.indexOf('--counts');
  const counts = flag > 0 ? process.argv[flag + 1]!.split(',').map(Number) : undefined;
  const { lines } = await benchSessionsList(counts);
  for (const line of lines) console.log(line);
}
