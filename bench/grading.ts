// Grading benchmarks: evidence-grader throughput on 6,000-word transcripts, peak memory of a
// 10,000-file batch, and LLM batch throughput against the local server at a fixed latency.
import { spawn } from 'node:child_process';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runBatch } from '../src/grading/batch.js';
import { gradeEvidence } from '../src/grading/evidence-grader.js';
import type { Vocabulary } from '../src/reading/vocabulary.js';
import { gradeFile } from '../src/grading/grade-file.js';
import { buildReport } from '../src/grading/report.js';
import { loadRubric } from '../src/content/rubric-loader.js';
import { loadProblem } from '../src/content/problem-loader.js';
import { createOpenAIProvider } from '../src/llm/openai-provider.js';
import { resolvePaths } from '../src/storage/paths.js';
import { parseTranscript } from '../src/storage/transcript-store.js';
import { median } from './stats.js';
import { syntheticSessionJsonl } from './synthetic-transcript.js';

const ROOT = path.resolve(import.meta.dirname, '..');

/** Runs per second in steady state: a warm-up (JIT) round, then the median of five 1 s rounds. */
function timeLoop(fn: () => void): number {
  const round = (ms: number) => {
    const start = performance.now();
    let runs = 0;
    while (performance.now() - start < ms) {
      fn();
      runs++;
    }
    return runs / ((performance.now() - start) / 1000);
  };
  round(1000);
  return median(Array.from({ length: 5 }, () => round(1000)));
}

/** The shipped code (dist/, built by tsc, as `sdcoach grade` runs it), not tsx's transform of src/. */
async function shipped() {
  const dist = (file: string) => import(path.join(ROOT, 'dist', file));
  return {
    gradeEvidence: (await dist('grading/evidence-grader.js')).gradeEvidence as typeof gradeEvidence,
    buildReport: (await dist('grading/report.js')).buildReport as typeof buildReport,
    loadRubric: (await dist('content/rubric-loader.js')).loadRubric as typeof loadRubric,
    loadProblem: (await dist('content/problem-loader.js')).loadProblem as typeof loadProblem,
    parseTranscript: (await dist('storage/transcript-store.js')).parseTranscript as typeof parseTranscript,
    Vocabulary: (await dist('reading/vocabulary.js')).Vocabulary as typeof Vocabulary,
  };
}

export async function benchEvidenceThroughput() {
  const { gradeEvidence, buildReport, loadRubric, loadProblem, parseTranscript, Vocabulary } = await shipped();
  // One vocabulary for the run, as `sdcoach grade` keeps one per thread.
  const vocabulary = new Vocabulary();
  const paths = resolvePaths();
  const rubric = await loadRubric('default', paths);
  const problem = await loadProblem('url-shortener', paths).catch(() => null);
  const texts = Array.from({ length: 8 }, (_, i) => syntheticSessionJsonl(6000, i + 1));
  const words = texts[0]!.split(/\s+/).length;
  let i = 0;
  const parseOnly = timeLoop(() => parseTranscript(texts[i++ % texts.length]!, null));
  i = 0;
  const graded = timeLoop(() => {
    const transcript = parseTranscript(texts[i++ % texts.length]!, null);
    const input = { transcript, rubric, problem };
    buildReport(input, gradeEvidence(input, { vocabulary }), { file: null, grader: 'evidence', model: null, gradedAt: '' });
  });
  return {
    transcriptsPerSecond: graded,
    parseOnlyPerSecond: parseOnly,
    line: `evidence grader: ${graded.toFixed(0)} transcripts/s of ~6,000 words, parse + grade + report, warm median (target ≥ 300); parsing alone ${parseOnly.toFixed(0)}/s, so grading costs ${(parseOnly / graded).toFixed(1)}× a parse (${words} tokens per file)`,
  };
}

function childMaxRss(script: string): Promise<{ maxRssMb: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, NO_COLOR: '1' },
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', () => {
      const match = stderr.match(/MAXRSS (\d+)/);
      if (!match) return reject(new Error(`no MAXRSS from child: ${stderr.slice(-500)}`));
      resolve({ maxRssMb: Number(match[1]) / 1024, stderr });
    });
  });
}

export async function benchBatchMemory(fileCount = 10_000) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'sdcoach-bench-'));
  const home = path.join(dir, 'home');
  const files = path.join(dir, 'files');
  await mkdir(files);
  for (let i = 0; i < fileCount; i++) {
    await writeFile(path.join(files, `s${String(i).padStart(5, '0')}.jsonl`), syntheticSessionJsonl(1500, i + 1));
  }
  const report = `process.stderr.write('MAXRSS ' + process.resourceUsage().maxRSS + '\\n')`;
  const baseline = await childMaxRss(report);
  const start = performance.now();
  const run = await childMaxRss(
    `process.env.SDCOACH_HOME = ${JSON.stringify(home)};
     const { runGrade } = await import('./dist/commands/grade/action.js');
     const code = await runGrade([${JSON.stringify(files)}], { rubric: 'default', grader: 'evidence', problem: null, concurrency: 4, samples: 1, format: 'jsonl', out: null, cache: false, providerFlags: {} });
     if (code !== 0) process.stderr.write('EXIT ' + code + '\\n');
     ${report}`,
  );
  const seconds = (performance.now() - start) / 1000;
  await rm(dir, { recursive: true, force: true });
  return {
    files: fileCount,
    peakRssMb: run.maxRssMb,
    baselineRssMb: baseline.maxRssMb,
    seconds,
    line: `batch of ${fileCount} files (~1,500 words): peak RSS ${run.maxRssMb.toFixed(0)} MB (target ≤ 300 MB; node -e 0: ${baseline.maxRssMb.toFixed(0)} MB, ${(run.maxRssMb / baseline.maxRssMb).toFixed(1)}×), ${(fileCount / seconds).toFixed(0)} files/s end to end`,
  };
}

/** The fake server in its own process, as a real endpoint would be: its CPU is not ours. */
async function startServerProcess(latencyMs: number): Promise<{ url: string; stop: () => void }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(ROOT, 'test', 'support', 'fake-openai-main.ts'), '--models', 'judge', '--latency', String(latencyMs)],
    { stdio: ['ignore', 'pipe', 'ignore'] },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let buffer = '';
    child.stdout.on('data', (d) => {
      buffer += d;
      const line = buffer.split('\n')[0];
      if (buffer.includes('\n') && line) resolve(line.trim());
    });
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`fake server exited ${code}`)));
  });
  return { url, stop: () => child.kill('SIGTERM') };
}

export async function benchLlmBatch(count = 96, concurrency = 8, latencyMs = 200) {
  const server = await startServerProcess(latencyMs);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'sdcoach-bench-llm-'));
  const files: string[] = [];
  for (let i = 0; i < count; i++) {
    const file = path.join(dir, `t${i}.jsonl`);
    await writeFile(file, syntheticSessionJsonl(800, 1000 + i));
    files.push(file);
  }
  const rubric = await loadRubric('default', resolvePaths());
  const provider = await createOpenAIProvider({ baseURL: server.url, apiKey: 'bench', model: 'judge' });
  const batch = (list: string[]) =>
    runBatch({
      files: list,
      concurrency,
      work: (file) =>
        gradeFile(file, { rubric, grader: 'llm', provider, findProblem: async () => null, cache: null, now: () => new Date() }),
    });
  // Steady state, as in a long batch: connections open and code warm before the clock starts.
  await batch(files.slice(0, concurrency * 2));
  const start = performance.now();
  const results = await batch(files);
  const seconds = (performance.now() - start) / 1000;
  const failed = results.filter((r) => r.error);

  // Baseline in the same run: the bare openai client sending requests of the same size.
  const { default: OpenAI } = await import('openai');
  const bare = new OpenAI({ apiKey: 'bench', baseURL: server.url, maxRetries: 0 });
  const content = 'word '.repeat(5000);
  const bareOne = async () => {
    const stream = await bare.chat.completions.create({ model: 'judge', stream: true, messages: [{ role: 'user', content }] });
    for await (const _ of stream) void _;
  };
  let next = 0;
  const bareRun = () => Promise.all(Array.from({ length: concurrency }, async () => {
    while (next++ < count) await bareOne();
  }));
  next = count - concurrency * 2;
  await bareRun();
  next = 0;
  const bareStart = performance.now();
  await bareRun();
  const bareRate = count / ((performance.now() - bareStart) / 1000);
  server.stop();
  await rm(dir, { recursive: true, force: true });
  const ideal = concurrency / (latencyMs / 1000);
  const achieved = count / seconds;
  return {
    fraction: achieved / ideal,
    bareFraction: bareRate / ideal,
    line: `llm batch: ${achieved.toFixed(1)} transcripts/s at concurrency ${concurrency} and ${latencyMs} ms latency = ${(achieved / ideal).toFixed(2)} of ideal ${ideal.toFixed(0)}/s (target ≥ 0.9); bare openai client ${(bareRate / ideal).toFixed(2)} of ideal, so grading keeps ${(achieved / bareRate).toFixed(2)} of it (${count} transcripts, ${failed.length} failed${failed[0] ? `: ${failed[0].error}` : ''})`,
  };
}

// Run directly (`npx tsx bench/grading.ts`, after `npm run build`) for the evidence-grader
// throughput alone, without the slower batch and LLM benchmarks.
if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  console.log((await benchEvidenceThroughput()).line);
}
