// Does the builtin interviewer listen? 20 seeded 60-turn sessions, each on a problem of its own
// turn (every packaged problem in rotation), played by a scripted candidate who asks, estimates
// (now and then 30x off), picks some options and rejects others, answers probes and defends.
// Measured from the outside, with the script's own ground truth (not the engine's reading):
//   repeated questions     an interviewer question sentence asked twice (closing lines aside)
//   rejected challenged    a pushback on an option the script only ever rejected
//   builds on the turn     the reply names something from the candidate's previous turn: a figure
//                          written in it, a component, an option or technology it named, or (for
//                          a question) a content word of the question
// Used by `npm run bench` and asserted by test/interview/listening.test.ts (deterministic).
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { nextMove } from '../src/interview/engine/index.js';
import type { EngineTurn, InterviewSetup, Move } from '../src/interview/engine/types.js';
import { loadProblem } from '../src/content/problem-loader.js';
import { TECHNOLOGIES } from '../src/reading/vocab.js';
import { AREA_GROUPS } from '../src/interview/engine/areas.js';
import { formatNumber, formatQuantity } from '../src/reading/numbers.js';
import type { LoadedProblem } from '../src/schemas/problem.js';
import { resolvePaths } from '../src/storage/paths.js';
import { seededRandom } from '../src/interview/engine/random.js';
import { interviewSetup } from '../src/interview/engine/setup.js';

const ROOT = path.resolve(import.meta.dirname, '..');

/** Answers about an area, each about one component of the problem (so no two turns are the same). */
const AREA_LINES: readonly ((c: string) => string)[] = [
  (c) => `The ${c} writes to a leader and replicates to two followers in other zones, so losing a node loses no data.`,
  (c) => `Calls to the ${c} retry with exponential backoff and an idempotency key, so a retry never does the work twice.`,
  (c) => `We monitor p99 latency and the error rate of the ${c} against the SLO and page on a fast burn rate.`,
  (c) => `Requests to the ${c} are authenticated with API keys, and abusive clients are rate limited per key at the edge.`,
  (c) => `The ${c} keeps its records keyed by id and partitioned by a hash of the id, with a secondary index on the owner.`,
  (c) => `When the ${c} slows down we shed load and serve stale data rather than queue forever.`,
  (c) => `Personal data in the ${c} is encrypted at rest and deleted within 30 days of a request.`,
  (c) => `Traces carry a request id through the ${c}, so a slow hop shows up in one query.`,
];
const DEFENCES: readonly ((x: string) => string)[] = [
  (x) => `I would keep ${x}, because the access pattern is single-key lookups and the numbers fit; the tradeoff is less flexibility.`,
  (x) => `${x} stays: it fails over in seconds, and what we lose in that window is within what the product accepts.`,
];

export interface ListeningResult {
  sessions: number;
  candidateTurns: number;
  interviewerTurns: number;
  repeatedQuestions: string[];
  rejectedChallenged: string[];
  builtOn: number;
  /** Replies that name nothing from the previous turn, with that turn (for reading). */
  unanchored: { turn: string; reply: string }[];
  closedEarly: number;
  fraction: number;
}

function questionsIn(text: string): string[] {
  return (text.match(/(?:[^.?!\n]|\.(?=\S))+\?/g) ?? []).map((q) => q.trim());
}

const STOP = new Set(['about', 'there', 'their', 'which', 'would', 'should', 'could', 'where', 'these', 'those', 'other', 'being', 'because', 'while']);

function has(text: string, term: string): boolean {
  const escaped = term.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?:^|[^a-z0-9])${escaped}(?:$|[^a-z0-9])`).test(text.toLowerCase());
}

/** What a reply can pick up from a candidate turn. */
function termsOf(problem: LoadedProblem, turn: string): string[] {
  const terms = new Set<string>();
  // Figures as written, with a magnitude or byte suffix ("4k", "2.6 PB", "35,000").
  for (const m of turn.match(/\d[\d,.]*(?:\s?(?:[kmbt]|[kmgtp]b)\b)?/gi) ?? []) {
    const figure = m.replace(/[.,]$/, '');
    if (/\d{2,}|\d[.,]\d|[a-z]/i.test(figure) || Number(figure) > 1) terms.add(figure);
  }
  const vocabulary = [
    ...problem.components.flatMap((c) => [c.name, ...c.synonyms]),
    ...problem.pushbacks.flatMap((p) => p.trigger),
    ...TECHNOLOGIES.filter((t) => !t.endsWith('*')),
  ];
  for (const v of vocabulary) if (has(turn, v)) terms.add(v);
  // Area words as written ("replicates", "idempotency key", "p99").
  for (const group of AREA_GROUPS) {
    for (const pattern of group.patterns) {
      const prefix = pattern.endsWith('*');
      const word = pattern.replace(/\*$/, '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      const m = new RegExp(`\\b${word}${prefix ? '[a-z]*' : ''}\\b`, 'i').exec(turn);
      if (m) terms.add(m[0]);
    }
  }
  if (turn.trim().endsWith('?')) {
    for (const w of turn.toLowerCase().match(/[a-z]{5,}/g) ?? []) if (!STOP.has(w)) terms.add(w.replace(/s$/, ''));
  }
  return [...terms];
}

/**
 * A scripted candidate for `problem`: asks first, then estimates (a quarter of them 30x off),
 * picks the options of half the pushbacks and rejects the others' (ground truth for "rejected
 * challenged"), talks through components and areas, and defends whatever is challenged.
 */
function candidate(problem: LoadedProblem, seed: number) {
  const random = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const order = problem.pushbacks.map((_, i) => i).sort(() => random() - 0.5);
  const half = Math.ceil(order.length / 2);
  const chosen = new Set(order.slice(0, half));
  const rejected = new Set(order.slice(half));
  // Components named in passing must not name a rejected option ("message queue" is both in news-feed).
  const rejectedTriggers = [...rejected].flatMap((p) => problem.pushbacks[p]!.trigger);
  const components = problem.components.filter((c) => !rejectedTriggers.some((t) => has(c.name, t)));
  const component = () => pick(components.length > 0 ? components : problem.components).name;
  const used = new Set<string>();
  const fresh = (make: () => string): string => {
    for (let k = 0; k < 20; k++) {
      const line = make();
      if (!used.has(line)) {
        used.add(line);
        return line;
      }
    }
    const line = `${make()} (${used.size})`;
    used.add(line);
    return line;
  };
  const next = (i: number, last: Move | null): string => {
    if (last?.kind === 'pushback' && last.pushback) return fresh(() => pick(DEFENCES)(last.pushback!.topic));
    if (i < 4) return fresh(() => `What about ${pick(problem.facts).topic}?`);
    const r = random();
    if (r < 0.15 && problem.reference_estimates.length > 0) {
      return fresh(() => {
        const refs = problem.reference_estimates.filter((e) => !rejectedTriggers.some((t) => has(e.label, t)));
        const ref = pick(refs.length > 0 ? refs : problem.reference_estimates);
        const value = random() < 0.25 ? ref.value * 30 : ref.value;
        // As a candidate says it: "about 5 GB/s for network bandwidth…", "about 3.5k per second for messages…".
        const figure = ref.unit === 'count' ? formatNumber(value) : ref.unit === 'per_second' ? `${formatNumber(value)} per second` : ref.unit === 'per_day' ? `${formatNumber(value)} a day` : formatQuantity(value, ref.unit);
        return `I estimate about ${figure} for ${ref.label.replace(/\s*\([^)]*\)|,\s*average$/g, '')}.`;
      });
    }
    if (r < 0.3) return fresh(() => `I'd use ${pick(problem.pushbacks[pick([...chosen])]!.trigger)} for the ${component()}, because it fits the access pattern at this scale.`);
    if (r < 0.42) {
      const forms = [(x: string) => `I'd avoid ${x} here, it adds cost we do not need.`, (x: string) => `We do not need ${x} for this.`, (x: string) => `I considered ${x} but the simpler path wins.`];
      return fresh(() => pick(forms)(pick(problem.pushbacks[pick([...rejected])]!.trigger)));
    }
    if (r < 0.55) return fresh(() => `The ${component()} handles that part, and it scales out horizontally behind the ${component()}.`);
    return fresh(() => pick(AREA_LINES)(component()));
  };
  return { next, rejected, chosen };
}

export async function measureListening(sessions = 20): Promise<ListeningResult> {
  const paths = resolvePaths({ SDCOACH_HOME: '/dev/null/listening' });
  const dir = path.join(ROOT, 'prompts/problems');
  const files = (await readdir(dir)).filter((f) => f.endsWith('.md')).sort();
  const problems = await Promise.all(files.map((f) => loadProblem(path.join(dir, f), paths)));
  const result: ListeningResult = {
    sessions,
    candidateTurns: 0,
    interviewerTurns: 0,
    repeatedQuestions: [],
    rejectedChallenged: [],
    builtOn: 0,
    unanchored: [],
    closedEarly: 0,
    fraction: 0,
  };
  for (let s = 0; s < sessions; s++) {
    const problem = problems[s % problems.length]!;
    const seed = 1000 + s;
    const level = (['L4', 'L5', 'L6'] as const)[s % 3]!;
    const setup: InterviewSetup = interviewSetup({ problem, mode: 'interview', minutes: 45, level, seed });
    const { next, rejected, chosen } = candidate(problem, seed);
    const turns: EngineTurn[] = [];
    const open = nextMove(setup, turns, 0);
    turns.push({ role: 'interviewer', text: open.text, elapsedMs: 0 });
    const seen = new Set<string>();
    let last: Move | null = null;
    for (let i = 0; i < 60; i++) {
      const line = next(i, last);
      const at = (i + 1) * 40_000;
      turns.push({ role: 'candidate', text: line, elapsedMs: at });
      const move: Move = nextMove(setup, turns, at);
      last = move;
      turns.push({ role: 'interviewer', text: move.text, elapsedMs: at });
      result.candidateTurns++;
      result.interviewerTurns++;
      if (move.kind !== 'close') {
        for (const q of questionsIn(move.text)) {
          if (seen.has(q)) result.repeatedQuestions.push(`${problem.id}#${seed}: ${q}`);
          seen.add(q);
        }
      } else if (at < setup.minutes * 60_000) result.closedEarly++;
      const pushback = problem.pushbacks.findIndex((p) => move.text.includes(p.question));
      if (pushback >= 0 && rejected.has(pushback) && !chosen.has(pushback)) result.rejectedChallenged.push(`${problem.id}#${seed}: ${move.text}`);
      // A clarifying question is built on by answering it: the fact the script asked about is in the reply.
      const asked = problem.facts.find((f) => line === `What about ${f.topic}?`);
      const answered = asked !== undefined && (move.text.includes(asked.answer) || move.text.includes(`As I said: ${asked.answer.split(/(?<=[.!?])\s/)[0]}`));
      const terms = termsOf(problem, line);
      if (answered || terms.some((t) => has(move.text, t))) result.builtOn++;
      else result.unanchored.push({ turn: line, reply: move.text });
    }
  }
  result.fraction = result.builtOn / result.interviewerTurns;
  return result;
}

export async function benchListening() {
  const r = await measureListening();
  const line =
    `interviewer listening: ${r.sessions} seeded sessions × 60 turns: ${r.repeatedQuestions.length} repeated questions, ` +
    `${r.rejectedChallenged.length} challenges of rejected options, ${(r.fraction * 100).toFixed(1)}% of replies build on the previous turn ` +
    `(target ≥ 90%), ${r.closedEarly} closings before time`;
  return { ...r, unanchored: r.unanchored.length, line };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await measureListening();
  console.log((await benchListening()).line);
  if (process.argv.includes('--verbose')) for (const u of r.unanchored) console.log(`- ${u.turn}\n  → ${u.reply}`);
}
