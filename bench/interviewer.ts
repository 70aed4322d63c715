// Time for the builtin interviewer to choose its next move at turn 100 of a session (50
// candidate turns, 50 interviewer turns), the way the provider calls it: over the whole history.
//   warm: the session as it runs. Earlier turns were analysed on earlier calls (memoised by
//         text); the newest candidate turn is new every run.
//   cold: no turn seen before (every text made new), so the whole history is analysed: a
//         resumed session's first move.
//   first: a problem object never seen before, so its phrase matcher and question pool are
//         built too (once per process and problem).
// Baseline in the same run: analyzeText over the same candidate text, the tokenising the engine
// cannot avoid on a cold call.
import path from 'node:path';
import { analyzeText } from '../src/reading/text.js';
import { nextMove } from '../src/interview/engine/index.js';
import type { EngineTurn, InterviewSetup } from '../src/interview/engine/types.js';
import { loadProblem } from '../src/content/problem-loader.js';
import { resolvePaths } from '../src/storage/paths.js';
import { fmt, median } from './stats.js';
import { Vocabulary } from '../src/reading/vocabulary.js';
import { interviewSetup } from '../src/interview/engine/setup.js';

const vocabulary = new Vocabulary();

const ROOT = path.resolve(import.meta.dirname, '..');

const LINES = [
  'How many daily users do we expect, and what is the read/write ratio?',
  'About 100 million writes a day is roughly 1,200 writes per second; reads are 100x that, so about 116k per second.',
  'Five years at 500 bytes a record is about 90 TB before replication, 275 TB with three replicas.',
  'The load balancer sends requests to stateless API servers, which read the key-value store through a Redis cache.',
  'The links table is keyed by code and partitioned by a hash of the code, with a secondary index on the creator.',
  'Each write goes to a leader and is replicated to two followers in other zones, so losing a node loses no data.',
  'Clients retry with exponential backoff and an idempotency key, so a retry never creates a second link.',
  'I would keep Cassandra because these are single-key lookups at 116k reads per second; the tradeoff is no ad-hoc queries.',
  'Codes come from id ranges leased from a counter service, a million at a time, so the coordinator is rarely on the path.',
  'We monitor p99 redirect latency and the error rate against the SLO and page on a fast burn rate.',
  'Hot links are served from the CDN edge with a short TTL, and the cache coalesces misses for the same key.',
  'Click events go to Kafka and are aggregated per link per country every minute, off the redirect path.',
];

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export async function benchInterviewer(runs = 400) {
  const problem = await loadProblem(path.join(ROOT, 'prompts/problems/url-shortener.md'), resolvePaths());
  const setup: InterviewSetup = interviewSetup({ problem, mode: 'interview', minutes: 45, level: 'L5', seed: 1 });
  // A 99-turn history played by the engine itself: 50 interviewer turns, 49 candidate turns.
  const history: EngineTurn[] = [];
  history.push({ role: 'interviewer', text: nextMove(setup, history, 0).text, elapsedMs: 0 });
  for (let i = 0; i < 49; i++) {
    const at = (i + 1) * 50_000;
    history.push({ role: 'candidate', text: `${LINES[i % LINES.length]!} (${i})`, elapsedMs: at });
    history.push({ role: 'interviewer', text: nextMove(setup, history, at).text, elapsedMs: at });
  }
  const nowMs = 50 * 50_000;
  const turnsWith = (run: number): EngineTurn[] => [...history, { role: 'candidate', text: `${LINES[run % LINES.length]!} [run ${run}]`, elapsedMs: nowMs }];

  const time = (fn: () => void) => {
    const start = performance.now();
    fn();
    return performance.now() - start;
  };
  const warm: number[] = [];
  const cold: number[] = [];
  const first: number[] = [];
  const tokenise: number[] = [];
  /** The history with every text new to the memo (interviewer lines still contain their questions). */
  const unseen = (run: number): EngineTurn[] => turnsWith(run).map((t) => ({ ...t, text: `${t.text} ~${run}` }));
  // Warm-up (JIT), not measured.
  for (let run = 0; run < 50; run++) nextMove(setup, turnsWith(-run - 1), nowMs);
  for (let run = 0; run < runs; run++) {
    const turns = turnsWith(run);
    warm.push(time(() => nextMove(setup, turns, nowMs)));
    const coldTurns = unseen(run);
    cold.push(time(() => nextMove(setup, coldTurns, nowMs)));
    tokenise.push(time(() => unseen(runs + run).forEach((t) => t.role === 'candidate' && analyzeText(t.text, vocabulary))));
    if (run % 8 === 0) {
      // A fresh problem object: nothing compiled or memoised for it.
      const fresh: InterviewSetup = { ...setup, problem: structuredClone(problem) };
      const freshTurns = unseen(2 * runs + run);
      first.push(time(() => nextMove(fresh, freshTurns, nowMs)));
    }
  }
  const result = {
    runs,
    turns: history.length + 1,
    warmMedianMs: median(warm),
    warmP95Ms: percentile(warm, 95),
    coldMedianMs: median(cold),
    coldP95Ms: percentile(cold, 95),
    firstMedianMs: median(first),
    tokeniseMedianMs: median(tokenise),
  };
  return {
    ...result,
    line:
      `interviewer next move at turn ${result.turns}: warm median ${fmt(result.warmMedianMs)}, p95 ${fmt(result.warmP95Ms)} (target ≤ 5 ms median); ` +
      `cold (whole history analysed) median ${fmt(result.coldMedianMs)}, p95 ${fmt(result.coldP95Ms)}, of which tokenising the candidate turns ${fmt(result.tokeniseMedianMs)}; ` +
      `first call for a problem (matcher and pool built) median ${fmt(result.firstMedianMs)} (${runs} runs)`,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) console.log((await benchInterviewer()).line);
