// The decision ledger: for each design option the candidate has named (a pushback trigger, an
// expected component's synonym, a known technology), what they hold now: chosen, set aside, or
// never decided. Built from the candidate's turns only (what the interviewer says is never the
// candidate's choice), so it is the same whenever the session is re-read: a resumed session
// rebuilds it from the turns in its file. The interviewer challenges only options the candidate
// holds and skips a pushback already answered; the interviewer and the grader both label a
// pushback answer by the option held before and after, so they never disagree.
import { readDecisions, isHeld, type OptionMention, type Stance } from './decisions.js';
import { plainAliases } from './plain-words.js';
import { PhraseMatcher, type TextDoc } from './text.js';
import { TECHNOLOGIES, sentenceFeatures } from './vocab.js';
import { extractQuantities, isMeaningful } from './numbers.js';

/** What the ledger needs of a problem file (structurally: reading imports nothing of the project). */
export interface OptionSource {
  title: string;
  statement: string;
  pushbacks: readonly { trigger: readonly string[]; question: string; expected: string }[];
  components: readonly { name: string; synonyms: readonly string[] }[];
}

/** How a pushback answer went (the transcript schema's labels). */
export type AnswerLabel = 'defended' | 'revised-with-reasons' | 'capitulated';

export interface OptionCatalogue {
  /** Display name per option id (the phrase as the problem file writes it). */
  names: string[];
  /** Option id per normalised name. */
  ids: ReadonlyMap<string, number>;
  /** Family per option id: alternatives for the same job share one. */
  family: number[];
  /** Pushback indices each option triggers. */
  pushbacks: number[][];
  /** The option is an expected component's name ("key-value store"): a common noun, said with "the". */
  common: boolean[];
  /** Options per pushback. */
  triggers: number[][];
  matcher: PhraseMatcher<number>;
  /** Per pushback: content stems of its question and expected answer, minus the problem statement's words. */
  expectedStems: Set<string>[];
}

export interface TurnDecisions {
  mentions: OptionMention<number>[];
  /** Distinct content stems of the turn (for "already answered"). */
  stems: Set<string>;
  /** The turn states a number or gives a reason somewhere. */
  substantive: boolean;
  /** Says it changes something: "I'd change it", "switch to", "replace it with". */
  changes: boolean;
}

const CHANGE = /\b(?:i['’]?d|i would|let['’]?s|we['’]?ll|i['’]?ll|we should|i will) (?:just )?(?:rather )?(?:change|switch|replace|move|swap|go with|use)\b|\bwe can use\b[^.!?]*\bthen\b|\buse [^.!?]{1,30} instead\b|\bchange (?:it|that|this)\b|\bswitch(?:ing)? (?:over )?to\b|\breplace (?:it|that|this|them) with\b|\bmove (?:it|them) to\b/i;

export interface LedgerEntry {
  option: number;
  stance: Exclude<Stance, 'asked'>;
  /** Candidate-turn ordinal (1-based) of the stance. */
  turn: number;
  /** The turn since which the option has been held without a break (0 when it is not held). */
  since: number;
  /** The turn of the mention before this one (0 when none). */
  previous: number;
  reasoned: boolean;
}

const STOP = new Set([
  'that', 'this', 'with', 'from', 'have', 'will', 'would', 'what', 'when', 'which', 'there', 'their', 'they', 'them', 'then', 'than',
  'into', 'your', 'about', 'does', 'just', 'only', 'also', 'each', 'every', 'more', 'most', 'much', 'many', 'some', 'here', 'were',
  'been', 'being', 'because', 'since', 'while', 'where', 'should', 'could', 'over', 'under', 'like', 'make', 'makes', 'made', 'need',
  'needs', 'want', 'doesn', "doesn't", "don't", "isn't", "won't", "that's", "it's", 'whats', "what's", 'sure', 'okay', 'yeah',
]);

export function stemOf(word: string): string {
  let w = word.toLowerCase();
  if (w.length > 5 && w.endsWith('ing')) w = w.slice(0, -3);
  else if (w.length > 4 && w.endsWith('ed')) w = w.slice(0, -2);
  else if (w.length > 4 && w.endsWith('es') && !w.endsWith('ses')) w = w.slice(0, -2);
  else if (w.length > 3 && w.endsWith('s') && !w.endsWith('ss')) w = w.slice(0, -1);
  return w;
}

export function contentStems(text: string, into: Set<string> = new Set()): Set<string> {
  for (const raw of text.toLowerCase().match(/[a-z][a-z0-9'-]+|\d+(?:\.\d+)?/g) ?? []) {
    if (raw.length < 4 && !/^\d/.test(raw)) continue;
    if (STOP.has(raw)) continue;
    into.add(stemOf(raw));
  }
  return into;
}

function normalise(phrase: string): string {
  return phrase.trim().toLowerCase().replace(/[\s-]+/g, ' ');
}

const NAMED_TECH = new Set(TECHNOLOGIES.filter((t) => !t.endsWith('*')).map(normalise));

/** A known technology by name ("Cassandra", "Kafka"): a proper noun, capitalised wherever it stands. */
export function isNamedTechnology(phrase: string): boolean {
  return NAMED_TECH.has(normalise(phrase));
}

/** A named option (a known technology or a pushback's own option), not a generic noun such as "state machine". */
function isNamedOption(phrase: string, triggers: ReadonlySet<string>): boolean {
  const key = normalise(phrase);
  return triggers.has(key) || NAMED_TECH.has(key);
}

/** Options that do the same job, whatever the problem: choosing one is choosing against the others. */
const BUILTIN_FAMILIES: readonly (readonly string[])[] = [
  ['token bucket', 'leaky bucket', 'sliding window', 'fixed window', 'sliding log', 'gcra'],
  ['postgres', 'postgresql', 'mysql', 'mariadb', 'cassandra', 'dynamodb', 'mongodb', 'cockroachdb', 'spanner', 'scylla', 'hbase', 'bigtable'],
  ['kafka', 'rabbitmq', 'sqs', 'pulsar', 'kinesis', 'nats'],
  ['redis', 'memcached'],
  ['websocket', 'websockets', 'sse', 'server-sent events', 'long polling', 'polling'],
  ['uuid', 'snowflake id', 'auto-increment'],
  ['301', '302'],
  ['fan-out on write', 'fan-out on read'],
  ['write-through', 'write-back', 'write-around'],
];

const catalogues = new WeakMap<OptionSource, OptionCatalogue>();
/** For a transcript of no known problem: technologies only. */
const NO_PROBLEM: OptionSource = { title: '', statement: '', pushbacks: [], components: [] };

/** The options of a problem, compiled once. */
export function catalogueFor(source: OptionSource | null): OptionCatalogue {
  const problem = source ?? NO_PROBLEM;
  let c = catalogues.get(problem);
  if (c) return c;
  const names: string[] = [];
  const ids = new Map<string, number>();
  const parent: number[] = [];
  const find = (x: number): number => (parent[x] === x ? x : (parent[x] = find(parent[x]!)));
  const union = (a: number, b: number) => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent[rb] = ra;
  };
  const idOf = (phrase: string): number => {
    // "fixed window" and "fixed-window" are one option.
    const key = normalise(phrase);
    let id = ids.get(key);
    if (id === undefined) {
      id = names.length;
      names.push(phrase.trim());
      parent.push(id);
      ids.set(key, id);
    }
    return id;
  };
  const commonNames = new Set<number>();
  const triggerPhrases = new Set(problem.pushbacks.flatMap((p) => p.trigger.map((t) => normalise(t))));
  const triggers: number[][] = problem.pushbacks.map((p) => {
    const list = p.trigger.map(idOf);
    for (const id of list.slice(1)) union(list[0]!, id);
    return list;
  });
  for (const component of problem.components) {
    // Synonyms of one component are alternatives for one job. The component's own name is an
    // option of its own family: "Redis as the cache" picks Redis without setting the cache aside.
    // Only named alternatives (a technology, or an option a pushback names) share the family:
    // a generic synonym such as "database" or "queue" is a category, not a rival pick.
    const list = component.synonyms.filter((syn) => isNamedOption(syn, triggerPhrases)).map(idOf);
    for (const id of list.slice(1)) union(list[0]!, id);
    for (const syn of component.synonyms) if (!isNamedOption(syn, triggerPhrases)) idOf(syn);
    commonNames.add(idOf(component.name));
  }
  for (const tech of TECHNOLOGIES) if (!tech.endsWith('*')) idOf(tech);
  // Well-known rivals for one job, for transcripts of any problem.
  for (const family of BUILTIN_FAMILIES) {
    const list = family.map(idOf);
    for (const id of list.slice(1)) union(list[0]!, id);
  }
  const pushbacks: number[][] = names.map(() => []);
  triggers.forEach((list, p) => list.forEach((id) => pushbacks[id]!.push(p)));
  const matcher = new PhraseMatcher<number>();
  names.forEach((name, id) => {
    matcher.add(id, name);
    // "Temporary forwarding" is 302: plain words name the same option.
    for (const alias of plainAliases(name)) matcher.add(id, alias);
  });
  const statementStems = contentStems(`${problem.title} ${problem.statement}`);
  const expectedStems = problem.pushbacks.map((p) => {
    const stems = contentStems(`${p.question} ${p.expected}`);
    for (const s of statementStems) stems.delete(s);
    for (const t of p.trigger) for (const s of contentStems(t)) stems.delete(s);
    return stems;
  });
  const common = names.map((_, i) => commonNames.has(i));
  c = { names, ids, family: names.map((_, i) => find(i)), pushbacks, common, triggers, matcher, expectedStems };
  catalogues.set(problem, c);
  return c;
}

/** The decisions in one candidate turn (memoised by text, in the document's vocabulary). */
export function turnDecisions(problem: OptionSource | null, doc: TextDoc): TurnDecisions {
  const c = catalogueFor(problem);
  const text = doc.text;
  const cache = doc.vocabulary.memo(c, doc.generation, () => new Map<string, TurnDecisions>());
  let d = cache.get(text);
  if (d) return d;
  const mentions = readDecisions(doc, c.matcher, (k) => c.family[k]!);
  const features = sentenceFeatures(doc);
  const substantive = features.reason.some((v) => v === 1) || extractQuantities(doc).some(isMeaningful);
  // The stems are read only when a family is discussed: made on first use.
  let stems: Set<string> | null = null;
  d = {
    mentions,
    get stems() {
      return (stems ??= contentStems(text));
    },
    substantive,
    changes: CHANGE.test(text),
  };
  if (cache.size >= 4096) cache.clear();
  cache.set(text, d);
  return d;
}

/** What the candidate holds, option by option, after each turn. */
export class DecisionLedger {
  readonly entries = new Map<number, LedgerEntry>();
  /** Stems the candidate has said, per family, from the turn the family was first named on. */
  private readonly familyStems = new Map<number, Set<string>>();
  /** Pushbacks whose challenge the candidate answered before it was asked. */
  readonly answered = new Set<number>();
  turns = 0;

  /** `trackAnswered: false` skips the "answered in advance" bookkeeping (the grader does not need it). */
  constructor(
    readonly catalogue: OptionCatalogue,
    private readonly options: { trackAnswered: boolean } = { trackAnswered: true },
  ) {}

  /** Adds one candidate turn. Returns the options whose stance this turn set. */
  add(decisions: TurnDecisions): LedgerEntry[] {
    const c = this.catalogue;
    const turn = ++this.turns;
    const changed: LedgerEntry[] = [];
    const families = new Set<number>();
    for (const m of decisions.mentions) {
      if (m.stance === 'asked') continue;
      families.add(c.family[m.option]!);
      const before = this.entries.get(m.option);
      // Naming a rejected option again in passing does not take it back; only a new pick does.
      if (before && !isHeld(before.stance) && m.stance !== 'chosen') continue;
      // Weighing a held option again ("I considered that…") keeps it, unless a rival is picked now.
      if (before && isHeld(before.stance) && m.stance === 'considered') {
        const rivalPicked = decisions.mentions.some((o) => o.stance === 'chosen' && o.option !== m.option && c.family[o.option] === c.family[m.option]);
        if (!rivalPicked) continue;
      }
      const since = isHeld(m.stance) ? (before && isHeld(before.stance) ? before.since : turn) : 0;
      const previous = before ? (before.turn === turn ? before.previous : before.turn) : 0;
      const entry: LedgerEntry = { option: m.option, stance: m.stance, turn, reasoned: m.reasoned, since, previous };
      this.entries.set(m.option, entry);
      changed.push(entry);
      if (m.stance === 'chosen') {
        // A new pick supersedes the family's earlier picks.
        for (const [other, e] of this.entries) {
          if (other !== m.option && c.family[other] === c.family[m.option] && isHeld(e.stance) && e.turn < turn) {
            this.entries.set(other, { ...e, stance: 'considered', turn, since: 0 });
          }
        }
      }
    }
    if (!this.options.trackAnswered) return changed;
    for (const f of families) {
      const stems = this.familyStems.get(f) ?? new Set<string>();
      for (const s of decisions.stems) stems.add(s);
      this.familyStems.set(f, stems);
    }
    // A challenge answered in advance: the family was decided with a reason against a named
    // alternative, or the turns about it already cover what the challenge expects.
    for (const f of families) {
      c.triggers.forEach((list, p) => {
        if (this.answered.has(p) || !list.some((id) => c.family[id] === f)) return;
        const picks = decisions.mentions.filter((m) => c.family[m.option] === f && (m.stance === 'chosen' || m.stance === 'mentioned') && m.reasoned);
        const alternatives = decisions.mentions.filter((m) => c.family[m.option] === f && (m.stance === 'considered' || m.stance === 'rejected'));
        const expected = c.expectedStems[p]!;
        const covers = overlap(expected, this.familyStems.get(f)!) >= Math.max(4, 0.3 * expected.size) && decisions.substantive;
        // A challenge that is itself the comparison ("301 or 302, and why?") is answered by a
        // reasoned pick between its own options; one aimed at the pick needs its substance.
        const compared = picks.some((m) => list.includes(m.option)) && alternatives.some((m) => list.includes(m.option));
        if (compared || (covers && this.holdsAny(list))) this.answered.add(p);
      });
    }
    return changed;
  }

  holds(option: number): boolean {
    const e = this.entries.get(option);
    return e !== undefined && isHeld(e.stance);
  }

  holdsAny(options: readonly number[]): boolean {
    return options.some((o) => this.holds(o));
  }

  /** The option of pushback `p` the candidate holds (the most recent), or null. */
  heldTrigger(p: number): number | null {
    let best: LedgerEntry | null = null;
    for (const id of this.catalogue.triggers[p] ?? []) {
      const e = this.entries.get(id);
      if (e && isHeld(e.stance) && (!best || e.turn > best.turn)) best = e;
    }
    return best?.option ?? null;
  }

  /** The option the family `f` has chosen most recently, or null. */
  familyPick(f: number): number | null {
    let best: LedgerEntry | null = null;
    for (const e of this.entries.values()) {
      if (this.catalogue.family[e.option] === f && e.stance === 'chosen' && (!best || e.turn >= best.turn)) best = e;
    }
    return best?.option ?? null;
  }
}

function overlap(a: Set<string>, b: Set<string>): number {
  let n = 0;
  for (const s of a) if (b.has(s)) n++;
  return n;
}

/**
 * A pushback answer labelled from the decisions it holds: keeping the challenged option is a
 * defence (whatever words like "instead" it uses for other things); dropping it or picking
 * another member of its family is a revision, with reasons or not. Null when the answer takes
 * no position on the option (the caller falls back to reading its wording).
 */
export function labelFromDecisions(
  catalogue: OptionCatalogue,
  challenged: number,
  answer: TurnDecisions,
  reasonsGiven: boolean,
  words: number,
  options: { rejected: boolean } = { rejected: false },
): AnswerLabel | null {
  if (options.rejected) {
    // The challenge argued for an option the candidate had ruled out: picking it now is the
    // change; naming it any other way keeps the position.
    const named = answer.mentions.filter((m) => m.option === challenged);
    if (named.some((m) => m.stance === 'chosen')) return reasonsGiven && words >= 10 ? 'revised-with-reasons' : 'capitulated';
    return named.length > 0 ? 'defended' : null;
  }
  const f = catalogue.family[challenged]!;
  let keeps = false;
  let drops = false;
  for (const m of answer.mentions) {
    if (m.stance === 'asked') continue;
    if (m.option === challenged) {
      if (isHeld(m.stance)) keeps = true;
      else drops = true;
    } else if (catalogue.family[m.option] === f && m.stance === 'chosen') drops = true;
  }
  // "I'd change it: …", "switch to …", "replace it with …" with the challenged option not kept.
  if (!keeps && answer.changes && answer.mentions.some((m) => isHeld(m.stance) && m.option !== challenged)) drops = true;
  if (drops && !keeps) return reasonsGiven && words >= 10 ? 'revised-with-reasons' : 'capitulated';
  if (keeps && !drops) return 'defended';
  return null;
}

/** The option of that name ("Token bucket", "fixed-window"), or -1. */
export function optionNamed(catalogue: OptionCatalogue, name: string): number {
  return catalogue.ids.get(normalise(name)) ?? -1;
}

/** Reasons, a tradeoff or numbers in an answer: what makes a revision reasoned. */
export function answerHasReasons(doc: TextDoc): boolean {
  const features = sentenceFeatures(doc);
  return features.reason.some((v) => v === 1) || extractQuantities(doc).some(isMeaningful);
}
