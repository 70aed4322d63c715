// Design decisions in one candidate turn: each option the turn names (a technology, an
// algorithm, a component) and the stance taken on it. "I pick token bucket, not sliding log"
// chooses one option and rejects the other; "instead of Redis", "rather than Kafka", "I
// considered SSE but…", "Postgres would be too slow", "302, because 301 is cached" (an option
// named only inside the reason) and a question ("should we use Kafka?") are not choices. The
// interviewer's ledger and the grader read stances from here, so they agree on what was held.
import { PhraseMatcher, isNegated, type TextDoc } from './text.js';

export type Stance =
  /** Picked: "I'd use X", "X, because…", "I pick X". */
  | 'chosen'
  /** Named in a plain statement, neither picked explicitly nor set aside. */
  | 'mentioned'
  /** "maybe X", "X could work": tentative. */
  | 'hedged'
  /** Weighed and set aside: "I considered X but", "X vs Y … I pick Y", named in a reason only. */
  | 'considered'
  /** Ruled out: "not X", "instead of X", "rather than X", "X is too slow", "no X". */
  | 'rejected'
  /** Named in a question: not a claim. */
  | 'asked';

export interface OptionMention<K> {
  option: K;
  stance: Stance;
  sentence: number;
  /** Token span of the option's phrase, and its characters in the text. */
  first: number;
  last: number;
  start: number;
  end: number;
  /** The phrase opens its sentence (so a capital there is the sentence's, not the name's). */
  opens: boolean;
  /** The sentence gives a reason ("because", "since", "so that"). */
  reasoned: boolean;
}

/** Stances that mean the candidate holds the option after this turn. */
export function isHeld(stance: Stance): boolean {
  return stance === 'chosen' || stance === 'mentioned' || stance === 'hedged';
}

const CHOOSE_ONE = new Set([
  'use', 'using', 'uses', 'pick', 'picked', 'picking', 'choose', 'chose', 'choosing', 'chosen', 'prefer', 'preferred', 'adopt',
  'want', 'favour', 'favor', 'recommend', 'keep', 'keeping', 'stick', 'stay', 'with', 'on', 'in', 'into', 'via', 'through', 'behind',
  'deploy', 'run', 'store', 'stores', 'storing', 'put', 'back', 'backed', 'add', 'adding', 'build', 'built', 'rely', 'leverage',
  'return', 'returns', 'respond', 'responds', 'send', 'sends', 'issue', 'issues', 'serve', 'serves',
]);
/** Verbs that make the option an alternative weighed, not the pick. */
const CONSIDER = new Set(['considered', 'considering', 'consider', 'evaluated', 'weighed', 'compared', 'comparing', 'vs', 'versus']);
/** Verbs that set the option aside. */
const REJECT = new Set(['remove', 'removing', 'removed', 'scrap', 'scrapped', 'rule', 'ruled', 'ruling', 'exclude', 'excluded', 'forgo', 'discard', 'discarded', 'avoid', 'avoiding', 'skip', 'skipping', 'drop', 'dropped', 'dropping', 'ditch', 'ditched', 'reject', 'rejected', 'against', 'unlike', 'replace', 'replacing', 'replaced', 'abandon', 'abandoned']);
const HEDGES = new Set(['maybe', 'perhaps', 'possibly', 'might', 'could', 'probably']);
const REASON_WORDS = new Set(['because', 'since', 'as', 'given']);
/** After the option in its clause: it is found wanting ("X is too slow", "X won't scale", "X is overkill"). */
const DRAWBACK_AFTER = new Set([
  'not', "isn't", "aren't", "wasn't", 'too', "doesn't", "don't", "won't", "wouldn't", "can't", 'cannot', 'overkill', 'unnecessary', 'unsuitable', 'fails', 'breaks',
  'loses', 'lacks', 'struggles',
]);
/** "X is slower than Y", "X is more expensive": X is found wanting beside something else. */
const WORSE = new Set(['slower', 'worse', 'costlier', 'pricier', 'harder', 'heavier', 'weaker', 'riskier', 'clunkier']);
/** A subject that turns "easier than X" into praise of X: "Nothing is easier to operate than Postgres". */
const NONE_SUBJECT = new Set(['nothing', 'few', 'no', 'none', 'hardly', 'little']);
/** Words that make what follows a comma the rest of a statement about the option, not a detail of the pick. */
const PREDICATE = new Set(['is', 'are', 'was', 'were', 'would', 'will', 'can', 'could', 'should', 'might', 'may', 'has', 'had', 'does', 'did', "won't", "wouldn't", "isn't", "can't"]);
const MORE_NEGATIVE = new Set(['expensive', 'complex', 'complicated', 'costly', 'fragile', 'painful', 'work', 'overhead', 'latency']);
/** "better than Y": Y is the one passed over. */
const BETTER = new Set(['better', 'simpler', 'cheaper', 'faster', 'easier', 'safer', 'lighter', 'smaller']);
/** A conclusion that names the pick: "…, so Postgres.", "hence Kafka". */
const CONCLUDE = new Set(['so', 'hence', 'therefore', 'thus']);
const GERUND_CHANGE = new Set(['moving', 'switching', 'migrating', 'going', 'replacing', 'adding']);
const CONDITIONAL_START = new Set(['if', 'at', 'when', 'once', 'later', 'eventually', 'someday', 'should', 'beyond', 'past']);
const PROBLEM_WORDS = new Set(['problem', 'issue', 'risk', 'trouble', 'downside', 'cost', 'danger', 'drawback']);
const COPULA = new Set(['is', 'are', 'would', 'will', 'be', 'was', 'seems', "it's", "that's", 'gets', 'feels']);

const DETERMINERS = new Set(['the', 'a', 'an', 'our', 'its', 'their', 'that', 'this', 'each', 'every']);

const PREFER = new Set(['pick', 'picked', 'choose', 'chose', 'prefer', 'preferred', 'favour', 'favor', 'favouring', 'favoring', 'chosen', 'picking', 'choosing']);

/** A word of `words` in sentence `s` before token `before`. */
function sentenceHas(doc: TextDoc, s: number, words: ReadonlySet<string>, before: number): boolean {
  for (let j = doc.sentences[s]!.tokenStart; j < before; j++) if (words.has(doc.tokens.word(j))) return true;
  return false;
}

function isQuestion(doc: TextDoc, s: number): boolean {
  const sentence = doc.sentences[s]!;
  return doc.text.slice(sentence.start, sentence.end).trimEnd().endsWith('?');
}

/** Index of the first token of the clause that holds token `i` (clause breaks and "but"). */
function clauseStart(doc: TextDoc, i: number): number {
  const t = doc.tokens;
  const s = t.sentence(i);
  let j = i;
  while (j > 0 && t.sentence(j - 1) === s && !t.breakBefore(j)) {
    const w = t.word(j - 1);
    if (w === 'but' || w === 'and' || w === 'so' || w === 'though' || w === 'although' || w === 'whereas' || w === 'while') break;
    j--;
  }
  return j;
}

const TAKE_BACK_SUBJECTS = new Set(['i', 'we', "i'd", "we'd", "i'll", "we'll", "i'm", "we're"]);
const TAKE_BACK_NEGATIONS = new Set(["wouldn't", "won't", "don't", "shouldn't", "can't"]);
const TAKE_BACK_VERBS = new Set(['use', 'pick', 'choose', 'go', 'recommend', 'do', 'want', 'need', 'take', 'bother']);
/** What may follow the refusal and still leave it bare: the option itself, or here and now. */
const TAKE_BACK_TAIL = new Set(['it', 'that', 'this', 'them', 'one', 'here', 'there', 'today']);

/**
 * The option is taken back in the same breath: "We could use Cassandra, but I would not",
 * "Cassandra would work, but I won't use it here", "X is an option, but not here". Only the
 * first "but" in the option's clause or the next one counts, and only a bare refusal: "but I
 * wouldn't pick Postgres" refuses Postgres, "but not for the queue" narrows where X is used.
 */
function takenBack(doc: TextDoc, last: number, sentenceEnd: number): boolean {
  const t = doc.tokens;
  let j = last + 1;
  let breaks = 0;
  for (; j < sentenceEnd && t.word(j) !== 'but'; j++) {
    // Past the next clause, or into another item of a list: the "but" is about something else.
    if (t.breakBefore(j) && ++breaks > 1) return false;
    if (t.word(j) === 'and' || t.word(j) === 'or') return false;
  }
  if (j >= sentenceEnd) return false;
  if (t.breakBefore(j) && ++breaks > 1) return false;
  j++;
  const at = (k: number) => (k < sentenceEnd ? t.word(k) : '');
  const ends = (k: number) => k >= sentenceEnd || t.breakBefore(k);
  // "but not", "but not here", "but not for this": the negation straight after "but".
  if (at(j) === 'not') {
    if (ends(j + 1)) return true;
    if (at(j + 1) === 'here' && ends(j + 2)) return true;
    return at(j + 1) === 'for' && (at(j + 2) === 'this' || at(j + 2) === 'that') && ends(j + 3);
  }
  if (!TAKE_BACK_SUBJECTS.has(at(j))) return false;
  j++;
  if (at(j) === 'would' || at(j) === 'will' || at(j) === 'do' || at(j) === 'should') {
    if (at(j + 1) !== 'not') return false;
    j += 2;
  } else if (TAKE_BACK_NEGATIONS.has(at(j))) j++;
  else return false;
  // Then at most a verb, the option as a pronoun and "here", before the clause ends.
  if (TAKE_BACK_VERBS.has(at(j)) && !ends(j)) j++;
  for (let k = 0; k < 2 && !ends(j) && TAKE_BACK_TAIL.has(at(j)); k++) j++;
  return ends(j);
}

/** Internal: named inside a reason clause; becomes 'considered' or 'mentioned'. */
const IN_REASON = 'in-reason' as unknown as Stance;

/** A word `is` accepts among the few words before "than" at `than`, within its clause ("easier to scale out than"). */
function comparativeBefore(doc: TextDoc, than: number, sentenceStart: number, is: (word: string) => boolean): boolean {
  for (let j = than - 1; j >= Math.max(sentenceStart, than - 5); j--) {
    if (is(doc.tokens.word(j))) return true;
    if (doc.tokens.breakBefore(j)) break;
  }
  return false;
}

/** "better than", "easier to scale out than" (not "Nothing is easier … than"): the option at `than + 1` is passed over. */
function betterBefore(doc: TextDoc, than: number, sentenceStart: number): boolean {
  return !NONE_SUBJECT.has(doc.tokens.word(sentenceStart)) && comparativeBefore(doc, than, sentenceStart, (w) => BETTER.has(w));
}

const isComparative = (w: string): boolean => BETTER.has(w) || WORSE.has(w) || w === 'more' || w === 'less' || w === 'fewer';

/**
 * After "so X": the sentence ends, or a detail of the pick follows ("so Postgres, sharded by
 * code"), or it says X is kept ("so Cassandra stays", "so Postgres it is", "so Redis wins").
 * "So Redis, which is in memory, would lose data" goes on to say something about Redis: no pick.
 */
function concludes(doc: TextDoc, last: number, sentenceEnd: number): boolean {
  const t = doc.tokens;
  if (last + 1 >= sentenceEnd) return true;
  if (t.breakBefore(last + 1)) {
    for (let k = last + 1; k < sentenceEnd; k++) if (PREDICATE.has(t.word(k))) return false;
    return true;
  }
  const ends = (k: number) => k >= sentenceEnd || t.breakBefore(k);
  const at = (k: number) => (ends(k) ? '' : t.word(k));
  const next = t.word(last + 1);
  if ((next === 'stays' || next === 'wins' || next === 'remains') && ends(last + 2)) return true;
  return next === 'it' && at(last + 2) === 'is' && ends(last + 3);
}

/**
 * The sentence sets options side by side on a quality: "Cassandra is slower than Postgres for
 * our reads", "easier to scale out than Postgres", "more work than". A comparison is its own
 * reason for the pick it leads to.
 */
export function comparesOnAQuality(doc: TextDoc, sentence: number): boolean {
  const { tokenStart, tokenEnd } = doc.sentences[sentence]!;
  for (let j = tokenStart + 1; j < tokenEnd; j++) {
    if (doc.tokens.word(j) === 'than' && comparativeBefore(doc, j, tokenStart, isComparative)) return true;
  }
  return false;
}

function stanceOf(doc: TextDoc, first: number, last: number): Stance {
  const t = doc.tokens;
  const s = t.sentence(first);
  if (isQuestion(doc, s)) return 'asked';
  if (isNegated(doc, first, last)) return 'rejected';
  const sentenceStart = doc.sentences[s]!.tokenStart;
  // "Moving to Cassandra or DynamoDB would give up…": a change talked about, not made.
  if (GERUND_CHANGE.has(t.word(sentenceStart)) && first - sentenceStart <= 5) return 'considered';
  const w1 = first - 1 >= sentenceStart ? t.word(first - 1) : '';
  const w2 = first - 2 >= sentenceStart ? t.word(first - 2) : '';
  // "X, not Y" / "instead of Y" / "rather than Y" / "better than Y" / "over Y" after a pick.
  if (w1 === 'not' || (w2 === 'instead' && w1 === 'of') || (w2 === 'rather' && w1 === 'than') || w1 === 'unlike' || (w1 === 'than' && betterBefore(doc, first - 1, sentenceStart)))
    return 'rejected';
  // "…, so Postgres.": the conclusion names the pick (the option ends its clause).
  if (CONCLUDE.has(w1) && concludes(doc, last, doc.sentences[s]!.tokenEnd)) return 'chosen';
  // "I pick X over Y", "prefer X to Y": Y is the one passed over ("over HTTP" is not).
  if (w1 === 'over' || (w1 === 'to' && sentenceHas(doc, s, PREFER, first))) {
    if (sentenceHas(doc, s, PREFER, first)) return 'rejected';
  }
  // "I just said MongoDB off the top of my head": naming what was said, taking it back.
  if (w1 === 'said' || (w1 === 'mentioned' && w2 !== 'the')) return 'considered';
  // "I was going to say Cassandra, but…", "I wanted to say Kafka": a first thought, set aside.
  // ("I'm going to say Postgres" is a pick: only the past tense sets one aside.)
  if (w1 === 'say' && w2 === 'to' && first - 3 >= sentenceStart) {
    const w3 = t.word(first - 3);
    const w4 = first - 4 >= sentenceStart ? t.word(first - 4) : '';
    if (w3 === 'wanted' || ((w3 === 'going' || w3 === 'about') && (w4 === 'was' || w4 === 'were'))) return 'considered';
  }
  if (w1 === 'vs' || w1 === 'versus' || (w2 === 'compared' && (w1 === 'to' || w1 === 'with'))) return 'considered';
  // "a cache in front of the database", "behind the load balancer": a landmark for where the
  // thing being placed goes, not a pick of the landmark.
  {
    let k = first - 1;
    if (k >= sentenceStart && DETERMINERS.has(t.word(k))) k--;
    const before = k >= sentenceStart ? t.word(k) : '';
    const before2 = k - 1 >= sentenceStart ? t.word(k - 1) : '';
    if (before === 'behind' || (before === 'of' && (before2 === 'front' || before2 === 'top'))) return 'mentioned';
  }
  // "DynamoDB or Cassandra": both still on the table.
  if (w1 === 'or') return 'hedged';
  // Inside a reason ("302, because 301 is cached"): resolved by readDecisions, which knows
  // whether a rival was picked before the reason.
  for (let j = sentenceStart; j < first; j++) {
    if (REASON_WORDS.has(t.word(j)) && (t.word(j) !== 'as' || t.breakBefore(j))) return IN_REASON;
  }
  const start = clauseStart(doc, first);
  // "At 100x I'd look at Spanner", "If traffic grows, we could add Kafka": a conditional, not a pick.
  const conditional = CONDITIONAL_START.has(t.word(sentenceStart));
  let chosen = false;
  let hedged = conditional;
  for (let j = Math.max(start, first - 6); j < first; j++) {
    const w = t.word(j);
    if (REJECT.has(w)) return 'rejected';
    // "the problem with X", "the risk of X": criticism, not a pick.
    if ((w === 'with' || w === 'of') && PROBLEM_WORDS.has(t.word(j - 1))) return 'considered';
    if (CONSIDER.has(w) || (w === 'thought' && t.word(j + 1) === 'about') || ((w === 'looked' || w === 'look') && t.word(j + 1) === 'at')) return 'considered';
    if (HEDGES.has(w)) hedged = true;
    if (CHOOSE_ONE.has(w) || w === "i'd" || w === "we'd" || w === "i'll" || w === "we'll" || w === 'go' || w === 'going' || w === 'opt') chosen = true;
  }
  // Found wanting right after: "Postgres would be too slow", "SSE doesn't fit".
  const sentenceEnd = doc.sentences[s]!.tokenEnd;
  for (let j = last + 1; j < Math.min(sentenceEnd, last + 5); j++) {
    if (t.breakBefore(j)) break;
    const w = t.word(j);
    // "harder to beat" is praise.
    if (DRAWBACK_AFTER.has(w) || (WORSE.has(w) && !(t.word(j + 1) === 'to' && t.word(j + 2) === 'beat'))) return 'considered';
    // "X is more expensive / more work": "more" and what it brings.
    if (w === 'more' && j + 1 < sentenceEnd && MORE_NEGATIVE.has(t.word(j + 1))) return 'considered';
    if (!COPULA.has(w) && w !== 'just' && w !== 'simply' && w !== 'here' && w !== 'also') break;
  }
  // "We could use X, but I would not": weighed and set aside in the same breath.
  if (takenBack(doc, last, sentenceEnd)) return 'considered';
  if (hedged && (!chosen || conditional)) return 'hedged';
  if (chosen) return 'chosen';
  // The option alone opens the sentence: the pick itself ("Token bucket." / "302, because…").
  if (first === sentenceStart) {
    const next = last + 1 < sentenceEnd ? t.word(last + 1) : '';
    if (next === '' || t.breakBefore(last + 1) || next === 'because' || next === 'since' || next === 'it' || next === 'then') return 'chosen';
  }
  return 'mentioned';
}

/**
 * The options `matcher` finds in `doc`, each with its stance. `family(k)` groups alternatives
 * (token bucket, sliding log and fixed window are one family): once the turn chooses one member
 * of a family, the others it named are read as considered and set aside. A phrase inside a
 * longer matched phrase is dropped ("window" inside "sliding window").
 */
export function readDecisions<K>(doc: TextDoc, matcher: PhraseMatcher<K>, family: (k: K) => number): OptionMention<K>[] {
  const hits: { key: K; first: number; last: number }[] = [];
  matcher.match(doc, (key, first, last) => hits.push({ key, first, last }));
  const inside = hits.filter((h) => !hits.some((o) => o !== h && o.first <= h.first && o.last >= h.last && o.last - o.first > h.last - h.first));
  // Overlapping phrases are one mention ("sliding window counter" = "sliding window" + "window counter"): the first wins.
  const kept: typeof hits = [];
  for (const h of inside) {
    const prev = kept[kept.length - 1];
    if (prev && h.first <= prev.last && h.first > prev.first) prev.last = Math.max(prev.last, h.last);
    else if (!prev || h.first !== prev.first || h.last !== prev.last) kept.push({ ...h });
  }
  const reasonedSentence = new Map<number, boolean>();
  const reasoned = (s: number): boolean => {
    let r = reasonedSentence.get(s);
    if (r === undefined) {
      r = false;
      const { tokenStart, tokenEnd } = doc.sentences[s]!;
      for (let j = tokenStart; j < tokenEnd; j++) {
        const w = doc.tokens.word(j);
        if (w === 'because' || w === 'since' || (w === 'so' && doc.tokens.word(j + 1) === 'that') || w === 'otherwise' || w === 'means') r = true;
      }
      reasonedSentence.set(s, r);
    }
    return r;
  };
  const mentions: OptionMention<K>[] = kept.map((h) => {
    const sentence = doc.tokens.sentence(h.first);
    return {
      option: h.key,
      stance: stanceOf(doc, h.first, h.last),
      sentence,
      first: h.first,
      last: h.last,
      start: doc.tokens.start(h.first),
      end: doc.tokens.end(h.last),
      opens: doc.sentences[sentence]!.tokenStart === h.first,
      reasoned: reasoned(sentence),
    };
  });
  // Named inside a reason: an alternative when a rival of its family comes before it in the
  // sentence ("302, because 301 is cached"), else just named ("because people say Kafka…").
  for (const m of mentions) {
    if (m.stance !== IN_REASON) continue;
    const rival = mentions.some((o) => o !== m && o.sentence === m.sentence && o.first < m.first && o.option !== m.option && family(o.option) === family(m.option));
    m.stance = rival ? 'considered' : 'mentioned';
  }
  // One explicit pick in a family makes the other members named in the turn alternatives.
  const picked = new Map<number, OptionMention<K>>();
  for (const m of mentions) if (m.stance === 'chosen') picked.set(family(m.option), m);
  for (const m of mentions) {
    const f = family(m.option);
    const pick = picked.get(f);
    // "such as DynamoDB or Cassandra": the alternative offered beside the pick stays open.
    if (pick !== undefined && m.stance === 'hedged' && m.sentence === pick.sentence) continue;
    if (pick !== undefined && pick.option !== m.option && (m.stance === 'mentioned' || m.stance === 'hedged' || m.stance === 'chosen')) {
      // The last pick in the turn wins; earlier "chosen" members were weighed on the way there.
      m.stance = 'considered';
    }
  }
  return mentions;
}
