// What makes the interviewer follow the argument: a short acknowledgement of what the candidate
// just committed to (an option, a figure that checks out), and questions built on it (its
// component, its numbers, its failure mode). Generated from the candidate's own words, so they
// never run out and each is asked once (its text names what it is about).
import { isHeld } from '../../reading/decisions.js';
import { analyzeText } from '../../reading/text.js';
import type { InterviewHistory } from './history.js';
import type { EstimateReading } from './estimate-check.js';
import type { InterviewSetup } from './types.js';

/** Something concrete from the candidate's latest turn, as they wrote it. */
export interface Anchor {
  kind: 'option' | 'figure';
  /** As written in the turn ("token bucket", "Redis", "35,000 per second"). */
  text: string;
  /** Chosen in this turn (not only named). */
  chosen: boolean;
  /** New in this turn: not held before it (figures are always new). */
  fresh: boolean;
}

function hash(text: string, seed: number): number {
  let h = (0x811c9dc5 ^ seed) | 0;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

function capitalise(text: string): string {
  return text.length > 0 ? text[0]!.toUpperCase() + text.slice(1) : text;
}

/** The options the latest turn holds (chosen first) and its figures that check out, as written. */
export function anchorsOf(history: InterviewHistory, estimates: EstimateReading): Anchor[] {
  const last = history.last;
  if (!last) return [];
  const doc = analyzeText(history.lastText);
  const anchors: Anchor[] = [];
  const seen = new Set<string>();
  const mentions = [...last.decisions.mentions].sort((a, b) => Number(b.stance === 'chosen') - Number(a.stance === 'chosen'));
  const catalogue = history.ledger.catalogue;
  for (const m of mentions) {
    if (!isHeld(m.stance)) continue;
    let text = history.lastText.slice(doc.tokens.start(m.first), doc.tokens.end(m.last));
    // "Token bucket" opening a sentence is "token bucket"; "SSE" and "Redis" keep their capitals.
    if (/^[A-Z][a-z]/.test(text) && catalogue.names[m.option]![0] !== catalogue.names[m.option]![0]!.toUpperCase()) text = text[0]!.toLowerCase() + text.slice(1);
    if (catalogue.common[m.option]) text = `the ${text}`;
    const key = text.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    const entry = history.ledger.entries.get(m.option);
    anchors.push({ kind: 'option', text, chosen: m.stance === 'chosen', fresh: entry !== undefined && entry.since === history.candidateTurns });
  }
  for (const figure of [...estimates.right].reverse()) anchors.push({ kind: 'figure', text: figure, chosen: false, fresh: true });
  return anchors;
}

const CHOSEN_ACKS = ['{X}, fine.', 'OK, {x}.', '{X} it is.', 'Noted: {x}.'];
const FIGURE_ACKS = ['{X}, OK.', 'So {x}.', '{X}, noted.'];
const MENTION_ACKS = ['{X}, noted.', 'OK, {x}.'];

/** A short acknowledgement of the latest turn's main commitment, or '' when it committed to nothing. */
export function acknowledgement(setup: InterviewSetup, history: InterviewHistory, anchors: Anchor[], previous: string): string {
  if (history.repeated) return history.repeated === 1 ? 'You said that already.' : 'Same answer as before.';
  // Only what is new in this turn: an option held since earlier is not news.
  const fresh = anchors.filter((a) => a.fresh);
  const anchor = fresh.find((a) => a.chosen) ?? fresh.find((a) => a.kind === 'figure') ?? fresh[0];
  if (!anchor) return '';
  const lines = anchor.chosen ? CHOSEN_ACKS : anchor.kind === 'figure' ? FIGURE_ACKS : MENTION_ACKS;
  const start = hash(anchor.text, setup.seed + history.candidateTurns) % lines.length;
  for (let k = 0; k < lines.length; k++) {
    const line = lines[(start + k) % lines.length]!.replace('{X}', capitalise(anchor.text)).replace('{x}', anchor.text);
    // Never the same opening twice in a row.
    if (!previous.startsWith(line.slice(0, 6))) return line;
  }
  return '';
}

/** Questions about one option the candidate holds: how it works, how it fails, what it costs. */
const OPTION_QUESTIONS: readonly ((x: string) => string)[] = [
  (x) => `If ${x} becomes slow or unreachable for a minute, what happens to the requests in flight?`,
  (x) => `What exactly does ${x} hold here, and how is it keyed?`,
  (x) => `What does ${x} cost you that the alternative would not?`,
  (x) => `Where does ${x} saturate first at ten times today's load?`,
  (x) => `How would you know ${x} is misbehaving before users tell you?`,
];
/** Questions about a figure the candidate stated. */
const FIGURE_QUESTIONS: readonly ((x: string) => string)[] = [
  (x) => `What breaks first at ten times your ${x}?`,
  (x) => `How many machines does ${x} take, and how much headroom do you keep?`,
];

/** Questions a senior bar adds: failure domains, regions, cost, ownership, rollout. */
export const SENIOR_QUESTIONS: readonly string[] = [
  'What is your failure domain? If one cell or zone is lost, what fraction of users notices?',
  'Two regions lose connectivity for ten minutes. What does each side do, and what do you reconcile afterwards?',
  'Roughly what does this cost per month at peak, and what is the biggest line item?',
  'Which teams own which parts of this, and where does that boundary make changes slow?',
  'How do you roll out a change to this safely across regions? What is the blast radius of a bad config?',
  'What would you cut from v1 to ship in six weeks, and what does that cost you later?',
];

/** Failure scenarios and operations questions, asked when nothing more specific is left. */
export const SCENARIO_QUESTIONS: readonly string[] = [
  'A bad deploy reaches half the fleet. How do you notice, and how fast can you roll back?',
  'A downstream dependency starts failing one request in five. What does your system do?',
  'Traffic doubles within five minutes because of a launch. What scales by itself, and what does not?',
  'Clocks drift by two seconds between nodes. What in this design cares?',
  'Your primary data store loses a disk. How long until you are back, and what data is gone?',
  'A whole availability zone goes dark for ten minutes. Walk me through what users see.',
  'Which single component, if it failed right now, would hurt most? How do you make it hurt less?',
  'Where is your design most likely to be wrong? What would you measure first to find out?',
  'What would you monitor in the first week after launch, and what would make you roll back?',
  'If you had to cut the infrastructure bill in half, what would you change first?',
  'What is the slowest step on the main request path, and what is its latency budget?',
  'Where could two requests race each other in this design, and what resolves it?',
];

/** Questions about the problem's expected components, for when the candidate's own run out. */
export function componentQuestions(setup: InterviewSetup): string[] {
  const out: string[] = [];
  for (let k = 0; k < OPTION_QUESTIONS.length; k++) {
    for (const component of setup.problem.components) out.push(OPTION_QUESTIONS[k]!(`the ${component.name}`));
  }
  return out;
}

/** Questions built on the latest turn's anchors, most specific first (option questions rotate by turn). */
export function anchoredQuestions(setup: InterviewSetup, history: InterviewHistory, anchors: Anchor[]): string[] {
  const out: string[] = [];
  const rotate = hash(history.lastText, setup.seed) % OPTION_QUESTIONS.length;
  for (const anchor of anchors) {
    if (anchor.kind === 'option') {
      for (let k = 0; k < OPTION_QUESTIONS.length; k++) out.push(OPTION_QUESTIONS[(rotate + k) % OPTION_QUESTIONS.length]!(anchor.text));
    } else {
      for (const q of FIGURE_QUESTIONS) out.push(q(anchor.text));
    }
  }
  return out;
}
