// Grading at scale: `grade --jobs 2` vs `--jobs 1` over 2,000 transcripts of ~6,000 words (the
// built CLI, as a user runs it; peak RSS from /usr/bin/time), and a 10,000-request Batch API
// round trip (submit, wait, collect) against the local fake, timing what is spent outside it.
// BENCH_SCALE_FILES / BENCH_SCALE_WORDS / BENCH_BATCH_REQUESTS shrink the runs for a quick look.
import { spawn } from 'node:child_process';
import { link, mkdtemp, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startFakeOpenAI } from '../test/support/fake-openai.js';
import { syntheticSessionJsonl } from './synthetic-transcript.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const BIN = path.join(ROOT, 'bin', 'sdcoach.js');

interface Run {
  ms: number;
  peakRssMb: number;
  code: number | null;
  stderr: string;
}

/** The built CLI under /usr/bin/time (for the peak RSS of the whole process, worker threads included). */
function runCli(args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn('/usr/bin/time', ['-f', 'maxrss-kb %M', process.execPath, BIN, ...args], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', NO_COLOR: '1', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const rss = /maxrss-kb (\d+)/.exec(stderr);
      resolve({ ms: performance.now() - started, peakRssMb: rss ? Number(rss[1]) / 1024 : NaN, code, stderr });
    });
  });
}

async function writeTranscripts(dir: string, count: number, words: number): Promise<void> {
  await mkdir(dir, { recursive: true });
  // A few base texts made unique sentence by sentence (a tag word in each): real transcripts do
  // not repeat each other, and the grader memoises per sentence, so copies would measure a warm
  // memo in one thread against cold ones in each worker.
  const texts = Array.from({ length: 16 }, (_, i) => syntheticSessionJsonl(words, i + 1));
  const unique = (text: string, file: number) => {
    let n = 0;
    return text.replace(/([.?!])( |\\n|")/g, (_all, stop: string, after: string) => ` ref${file}x${n++}${stop}${after}`);
  };
  for (let i = 0; i < count; i += 100) {
    await Promise.all(
      Array.from({ length: Math.min(100, count - i) }, (_, j) =>
        writeFile(path.join(dir, `t${String(i + j).padStart(5, '0')}.jsonl`), unique(texts[(i + j) % texts.length]!, i + j).replace('"seed":', `"benchIndex":${i + j},"seed":`)),
      ),
    );
  }
}

export async function benchJobs() {
  const files = Number(process.env.BENCH_SCALE_FILES ?? 2000);
  const words = Number(process.env.BENCH_SCALE_WORDS ?? 6000);
  const work = await mkdtemp(path.join(os.tmpdir(), 'sdcoach-bench-jobs-'));
  try {
    const dir = path.join(work, 'transcripts');
    await writeTranscripts(dir, files, words);
    const env = { SDCOACH_HOME: path.join(work, 'home') };
    const args = (jobs: number) => ['grade', dir, '--grader', 'evidence', '--no-cache', '--format', 'jsonl', '--out', '/dev/null', '--jobs', String(jobs)];
    // Warm the file cache once, then one run each, in the same process state.
    await runCli(args(2), env);
    const one = await runCli(args(1), env);
    const two = await runCli(args(2), env);
    for (const run of [one, two]) if (run.code !== 0) throw new Error(`grade failed (${run.code}): ${run.stderr.slice(-500)}`);
    const ratio = one.ms / two.ms;
    // The machine's own ceiling for this work: two separate --jobs 1 processes, each on half the
    // files, alone and then side by side. Nothing is shared between them but the hardware (and
    // each process's V8 background threads), so their speed-up bounds what any pool can reach.
    const halves = [path.join(work, 'half-a'), path.join(work, 'half-b')];
    const names = (await readdir(dir)).sort();
    for (const [h, half] of halves.entries()) {
      await mkdir(half);
      await Promise.all(names.filter((_, i) => i % 2 === h).map((name) => link(path.join(dir, name), path.join(half, name))));
    }
    const halfArgs = (half: string) => ['grade', half, '--grader', 'evidence', '--no-cache', '--format', 'jsonl', '--out', '/dev/null', '--jobs', '1'];
    const alone = [await runCli(halfArgs(halves[0]!), env), await runCli(halfArgs(halves[1]!), env)];
    const together = await Promise.all(halves.map((half) => runCli(halfArgs(half), env)));
    const ceiling = (alone[0]!.ms + alone[1]!.ms) / Math.max(...together.map((run) => run.ms));
    return {
      line:
        `grade --jobs 2 vs --jobs 1: ${files} transcripts of ~${words.toLocaleString('en-US')} words: ${(one.ms / 1000).toFixed(1)} s vs ${(two.ms / 1000).toFixed(1)} s = ${ratio.toFixed(2)}× (target ≥ 1.7× on 2 cores; ${os.availableParallelism()} here; ` +
        `two independent processes on the halves reach ${ceiling.toFixed(2)}× on this machine, the pool ${((ratio / ceiling) * 100).toFixed(0)} % of that); ` +
        `peak RSS ${one.peakRssMb.toFixed(0)} MB (--jobs 1), ${two.peakRssMb.toFixed(0)} MB (--jobs 2)`,
      ceiling,
      files,
      words,
      jobs1Ms: one.ms,
      jobs2Ms: two.ms,
      ratio,
      peakRssJobs1Mb: one.peakRssMb,
      peakRssJobs2Mb: two.peakRssMb,
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

export async function benchBatchApiRoundTrip() {
  const requests = Number(process.env.BENCH_BATCH_REQUESTS ?? 10_000);
  const work = await mkdtemp(path.join(os.tmpdir(), 'sdcoach-bench-batch-'));
  const fake = await startFakeOpenAI();
  try {
    const dir = path.join(work, 'transcripts');
    await writeTranscripts(dir, requests, 300);
    fake.batch.pollsToFinish = 1;
    const env = { SDCOACH_HOME: path.join(work, 'home'), OPENAI_BASE_URL: fake.url, SDCOACH_BATCH_POLL_MS: '0' };
    const run = await runCli(['grade', dir, '--batch-api', '--wait', '--format', 'jsonl'], env);
    if (run.code !== 0) throw new Error(`batch round trip failed (${run.code}): ${run.stderr.slice(-500)}`);
    const serverMs = fake.serverMs();
    const outsideMs = run.ms - serverMs;
    return {
      line: `batch API round trip: ${requests.toLocaleString('en-US')} requests (~300-word transcripts) submitted, waited for and collected in ${(run.ms / 1000).toFixed(1)} s, of which ${(outsideMs / 1000).toFixed(1)} s outside the fake server (target ≤ 10 s); peak RSS ${run.peakRssMb.toFixed(0)} MB`,
      requests,
      totalMs: run.ms,
      serverMs,
      outsideMs,
      peakRssMb: run.peakRssMb,
    };
  } finally {
    await fake.close();
    await rm(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  console.log((await benchJobs()).line);
  console.log((await benchBatchApiRoundTrip()).line);
}
