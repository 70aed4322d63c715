// `sdcoach sessions list` over thousands of recorded sessions: wall time of the built CLI.
// Sessions are realistic files: ~40 turns (about 2,000 words) from the synthetic interview
// generator, an end event and a grade event holding a real evidence-grader report.
// Run alone: `npx tsx bench/sessions-list.ts [--counts 5000,50000]`.
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gradeEvidence } from '../src/grading/evidence-grader.js';
import { buildReport } from '../src/grading/report.js';
import { loadRubric } from '../src/grading/rubric-loader.js';
import { loadProblem } from '../src/interview/problem-loader.js';
import { resolvePaths } from '../src/storage/paths.js';
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

export async function generateSessions(dir: string, count: number): Promise<{ bytes: number; turns: number }> {
  await mkdir(dir, { recursive: true });
  const bases = await baseSessions();
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

export async function benchSessionsList(counts = [5000], runs = 5) {
  const results: { sessions: number; megabytes: number; turnsPerSession: number; listMs: number; jsonMs: number; baselineMs: number }[] = [];
  for (const count of counts) {
    const home = await mkdtemp(path.join(os.tmpdir(), 'sdcoach-bench-sessions-'));
    try {
      const { bytes, turns } = await generateSessions(path.join(home, 'sessions'), count);
      const env = { PATH: process.env.PATH ?? '', HOME: home, SDCOACH_HOME: home, NO_COLOR: '1' };
      wallMs(['sessions', 'list'], env); // warm the file cache (and build the index, if any)
      const list: number[] = [];
      const json: number[] = [];
      const baseline: number[] = [];
      for (let i = 0; i < runs; i++) {
        baseline.push(wallMs(['--version'], env));
        list.push(wallMs(['sessions', 'list'], env));
        json.push(wallMs(['sessions', 'list', '--json'], env));
      }
      results.push({
        sessions: count,
        megabytes: Math.round(bytes / 1e6),
        turnsPerSession: turns,
        listMs: median(list),
        jsonMs: median(json),
        baselineMs: median(baseline),
      });
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  }
  const lines = results.map(
    (r) =>
      `sessions list over ${r.sessions.toLocaleString('en')} sessions (${r.megabytes} MB, ${r.turnsPerSession} turns + grade each): ${fmt(r.listMs)} (--json ${fmt(r.jsonMs)}; sdcoach --version ${fmt(r.baselineMs)}) target ≤ 1000 ms, median of ${runs}`,
  );
  if (results.length === 1) {
    const r = results[0]!;
    const perSession = (r.listMs - r.baselineMs) / r.sessions;
    lines.push(`  scaling estimate: ${(perSession * 1000).toFixed(1)} µs per session above startup → 50,000 sessions ≈ ${fmt(r.baselineMs + perSession * 50_000)}`);
  }
  return { results, lines };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const flag = process.argv.indexOf('--counts');
  const counts = flag > 0 ? process.argv[flag + 1]!.split(',').map(Number) : [5000];
  const { lines } = await benchSessionsList(counts);
  for (const line of lines) console.log(line);
}
