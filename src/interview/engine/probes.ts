// Everything the interviewer can say besides fact answers, built once per setup: probes per
// area group, the problem's deep dives and pushbacks, scale questions, follow-ups, time checks,
// the wrap-up and closing lines. Each line has a fixed text, so what was already said can be
// read back from the transcript's interviewer turns (a resumed session only has the texts) and
// is never said again.
import type { LoadedProblem } from '../../schemas/problem.js';
import type { Phase } from '../../schemas/transcript.js';
import { formatNumber } from '../../reading/numbers.js';
import { seededRandom } from './random.js';
import { AREA_GROUPS, AREA_LABEL, type AreaId } from './areas.js';
import { minutesText, phaseBoundariesMs } from './phases.js';
import type { InterviewSetup, MoveKind } from './types.js';

/** What a question is about, for scoring by phase. */
export type Category =
  | 'requirements'
  /** "You haven't asked about regions": a fact sheet topic the candidate never asked about. */
  | 'unasked-fact'
  | 'flow'
  | 'scale'
  | 'deep-dive'
  | AreaId
  /** Not chosen by score: follow-ups, time checks, pushbacks, closings, assumption lines. */
  | 'other';

export type TimeCheckId = 'behind-clarify' | 'behind-design' | 'ten-left' | 'five-left';

export interface PoolEntry {
  id: string;
  kind: MoveKind;
  category: Category;
  text: string;
  topic: string;
  /** The phase the interview is in once this is asked (only for lines that move it on). */
  phase?: Phase;
  /** AREA_GROUPS index for area probes. */
  group?: number;
  /** Fact index for unasked-fact nudges. */
  fact?: number;
  /** Pushback index for pushbacks and the follow-up to a capitulation. */
  pushback?: number;
  timeCheck?: { id: TimeCheckId; atMs: number };
  /** The line asks for the wrap-up summary. */
  asksWrapUp?: boolean;
  /** Seeded tie-break in [0, 1): different seeds order equal-priority questions differently. */
  jitter: number;
}

export interface Pool {
  entries: PoolEntry[];
  /** Indices into `entries` by role. */
  scored: number[];
  vagueFollowUps: number[];
  capitulationFollowUp: Map<number, number>;
  pushbackEntry: Map<number, number>;
  timeChecks: number[];
  wrapUp: number;
  closes: number[];
  assumes: number[];
  metas: number[];
}

const REQUIREMENTS = [
  "Before you draw anything: what's in scope for v1, and what are you explicitly leaving out?",
  'What do you need to know from me before you size this?',
];
const FLOWS = [
  'Walk me through one write, end to end, component by component.',
  'Now one read: follow the request from the client to the data and back. Where does it spend its time?',
];
const SCALE = [
  'One key gets a hundred times the traffic of the rest. Where does it land, and what do you do about it?',
  'Your data grows 10x. What changes in how you partition it, and how do you move what is already there?',
  'You add a third region. What has to change?',
  "What's the most expensive part of this design at scale, and how would you cut that cost?",
];
const VAGUE_FOLLOW_UPS = [
  'How exactly? Walk me through it step by step.',
  'Be concrete: which component does that, and with what data?',
  "That's still abstract. What actually happens, in order?",
  'Give me a mechanism or a number, not a direction. How does it work?',
];
const ASSUMES = [
  "I don't have a number for that. Make an assumption, state it, and move on.",
  'Not specified. Make a reasonable assumption, say it out loud, keep going.',
  'Unknown. Assume a value, state it, and carry on.',
  "That's not on my sheet. Make an assumption and state it.",
];
const METAS = ["Your call. You're driving.", "Up to you. Keep going.", "Don't ask me, decide. Then tell me why."];
const WRAP_UP = "That's what I wanted to cover. Summarise the design in a few sentences: the main tradeoff, and the first thing you'd change.";
const CLOSES = ["That's time. Thanks. Type /end to see your score card.", "We're done here. /end shows the score card."];
/** The last closing line; the only one that may be said more than once. */
export const FINAL_CLOSE = 'Nothing more from me. /end when you are ready.';

/** FNV-1a of the text, seeded: stable jitter and rotation per seed. */
export function hash(text: string, seed: number): number {
  let h = (0x811c9dc5 ^ seed) | 0;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** "cassandra" → "Cassandra"; phrases and numbers as written. */
export function displayTopic(trigger: string): string {
  return /^[a-z]/.test(trigger) ? trigger[0]!.toUpperCase() + trigger.slice(1) : trigger;
}

/** The pushback's topic: its first trigger, as the grader's challenge topics are trigger words. */
export function pushbackTopic(problem: LoadedProblem, index: number): string {
  return problem.pushbacks[index]!.trigger[0]!;
}

/** "What breaks first at 10x", with the problem's biggest rate when it has one. */
function tenXQuestion(problem: LoadedProblem): string {
  const rates = problem.reference_estimates.filter((e) => e.unit === 'per_second').sort((a, b) => b.value - a.value);
  const top = rates[0];
  if (!top) return 'Traffic grows 10x. What breaks first?';
  // "redirects per second (average)" / "tokens per second, average" → the quantity alone.
  const label = top.label.replace(/\s*(?:\([^)]*\)|,\s*(?:average|avg|mean|peak)\b.*)\s*$/, '');
  return `Say traffic grows 10x, to about ${formatNumber(top.value * 10)} ${label}. What breaks first?`;
}

function timeCheckTexts(minutes: number): Record<TimeCheckId, { atMs: number; text: string; phase: Phase; asksWrapUp?: boolean }> {
  const bounds = phaseBoundariesMs(minutes);
  const total = minutes * 60_000;
  const tenLeft = Math.max(1, Math.round((10 * minutes) / 45));
  const fiveLeft = Math.max(1, Math.round((5 * minutes) / 45));
  const inAt = (ms: number) => minutesText(Math.round(ms / 60_000));
  return {
    'behind-clarify': {
      atMs: bounds[2]!,
      text: `${inAt(bounds[2]!)} in and we're still on requirements. Give me the numbers, then a first sketch.`,
      phase: 'estimate',
    },
    'behind-design': {
      atMs: bounds[3]!,
      text: `${inAt(bounds[3]!)} in and there's no design on the table yet. Sketch the components and the main request path now.`,
      phase: 'high-level',
    },
    'ten-left': {
      atMs: total - tenLeft * 60_000,
      text: `${minutesText(tenLeft)} left. Pick one component and go deep on it: how it scales and how it fails.`,
      phase: 'deep-dive',
    },
    'five-left': {
      atMs: total - fiveLeft * 60_000,
      text: `${minutesText(fiveLeft)} left. Wrap up: summarise the design, the main tradeoff, and what you'd build next.`,
      phase: 'wrap-up',
      asksWrapUp: true,
    },
  };
}

function buildPool(setup: Pick<InterviewSetup, 'problem' | 'minutes' | 'seed'>): Pool {
  const { problem, seed } = setup;
  const entries: PoolEntry[] = [];
  const add = (entry: Omit<PoolEntry, 'jitter'>): number => {
    entries.push({ ...entry, jitter: seededRandom(hash(entry.id, seed))() });
    return entries.length - 1;
  };
  const scored: number[] = [];
  REQUIREMENTS.forEach((text, i) => scored.push(add({ id: `req-${i}`, kind: 'probe', category: 'requirements', text, topic: 'requirements' })));
  problem.facts.forEach((fact, f) =>
    scored.push(
      add({
        id: `unasked-${f}`,
        kind: 'probe',
        category: 'unasked-fact',
        text: `You haven't asked about ${fact.topic}: does it change your design?`,
        topic: 'requirements',
        fact: f,
      }),
    ),
  );
  FLOWS.forEach((text, i) => scored.push(add({ id: `flow-${i}`, kind: 'probe', category: 'flow', text, topic: 'request flow', phase: 'high-level' })));
  AREA_GROUPS.forEach((group, g) =>
    scored.push(
      add({
        id: `area-${group.id}`,
        kind: 'probe',
        category: group.area,
        text: group.question,
        topic: AREA_LABEL[group.area],
        group: g,
        ...(group.area === 'estimation' ? { phase: 'estimate' as const } : group.area === 'data-model' ? { phase: 'high-level' as const } : {}),
      }),
    ),
  );
  problem.deep_dives.forEach((dive, i) =>
    scored.push(add({ id: `dive-${i}`, kind: 'deep-dive', category: 'deep-dive', text: dive.prompt, topic: dive.topic, phase: 'deep-dive' })),
  );
  [tenXQuestion(problem), ...SCALE].forEach((text, i) =>
    scored.push(add({ id: `scale-${i}`, kind: 'scale', category: 'scale', text, topic: 'scale', phase: 'deep-dive' })),
  );
  const vagueFollowUps = VAGUE_FOLLOW_UPS.map((text, i) => add({ id: `vague-${i}`, kind: 'follow-up', category: 'other', text, topic: 'specifics' }));
  const pushbackEntry = new Map<number, number>();
  const capitulationFollowUp = new Map<number, number>();
  problem.pushbacks.forEach((pushback, p) => {
    const topic = pushbackTopic(problem, p);
    pushbackEntry.set(p, add({ id: `pushback-${p}`, kind: 'pushback', category: 'other', text: pushback.question, topic, pushback: p }));
    capitulationFollowUp.set(
      p,
      add({
        id: `capitulated-${p}`,
        kind: 'follow-up',
        category: 'other',
        // The topic in the question itself, so no two of these ask the same sentence.
        text: `You dropped ${displayTopic(topic)} the moment I pushed. What do you give up without ${displayTopic(topic)}, and what replaces it?`,
        topic,
        pushback: p,
      }),
    );
  });
  const checks = timeCheckTexts(setup.minutes);
  const timeChecks = (Object.keys(checks) as TimeCheckId[]).map((id) =>
    add({
      id: `time-${id}`,
      kind: 'time-check',
      category: 'other',
      text: checks[id].text,
      topic: 'time',
      phase: checks[id].phase,
      timeCheck: { id, atMs: checks[id].atMs },
      ...(checks[id].asksWrapUp ? { asksWrapUp: true } : {}),
    }),
  );
  const wrapUp = add({ id: 'wrap-up', kind: 'wrap-up', category: 'other', text: WRAP_UP, topic: 'wrap-up', phase: 'wrap-up', asksWrapUp: true });
  const closes = [...CLOSES, FINAL_CLOSE].map((text, i) => add({ id: `close-${i}`, kind: 'close', category: 'other', text, topic: 'close', phase: 'wrap-up' }));
  const assumes = ASSUMES.map((text, i) => add({ id: `assume-${i}`, kind: 'assume', category: 'other', text, topic: 'assumption' }));
  const metas = METAS.map((text, i) => add({ id: `meta-${i}`, kind: 'assume', category: 'other', text, topic: 'your call' }));
  return { entries, scored, vagueFollowUps, capitulationFollowUp, pushbackEntry, timeChecks, wrapUp, closes, assumes, metas };
}

const pools = new WeakMap<LoadedProblem, Map<string, Pool>>();

/** The pool for a setup (memoised per problem object, minutes and seed). */
export function poolFor(setup: Pick<InterviewSetup, 'problem' | 'minutes' | 'seed'>): Pool {
  let byKey = pools.get(setup.problem);
  if (!byKey) pools.set(setup.problem, (byKey = new Map()));
  const key = `${setup.minutes}|${setup.seed}`;
  let pool = byKey.get(key);
  if (!pool) byKey.set(key, (pool = buildPool(setup)));
  return pool;
}
