// Requirement claims in a candidate turn: what the candidate establishes about the problem
// before designing it, read from what each sentence says rather than from a heading word.
//   functional      "Users create a short link…", "Creators can see click counts", or any
//                   sentence under a "Requirements." / "Functional:" heading
//   non_functional  a quality (latency, availability, durability, consistency, ordering…)
//                   with a bound or a modal: "Redirects should be fast, under 100 ms."
//   scale           a number of users, requests, messages, bytes… or a read/write ratio
//   scope           what is in or out, what is assumed: "Payouts are out of scope."
//   question        a question to the interviewer about the system (not "Should I go on?")
// Negated claims ("I don't think we need to know the latency target") establish nothing.
// The grader decides which sentences are early enough to count as requirements work; this
// reader only says what each sentence claims.
import { PhraseMatcher, isNegated, isRefusal, type TextDoc } from './text.js';
import { NUMBER_WORDS, sentenceFeatures } from './vocab.js';
import type { TurnQuestions } from './questions.js';

export const REQUIREMENT_FACETS = ['functional', 'non_functional', 'scale', 'scope', 'question'] as const;
export type RequirementFacet = (typeof REQUIREMENT_FACETS)[number];

export interface RequirementClaim {
  facet: RequirementFacet;
  sentence: number;
  /** Tokens to quote: the sentence's first and last. */
  first: number;
  last: number;
  /** The claim carries a number (a bound, a volume, a ratio). */
  number: boolean;
  /** Under a requirements heading ("Requirements.", "Functional:"), wherever it is in the session. */
  headed: boolean;
  /** "Maybe millions of requests", "I guess it should be fast": said without commitment. */
  hedged: boolean;
}

type Cue = 'nfr' | 'nfr-weak' | 'scale' | 'scope' | 'constraint' | 'heading' | 'design-heading';

const CUES: Record<Cue, readonly string[]> = {
  nfr: [
    'latency', 'latencies', 'p99', 'p95', 'p50', 'p999', 'percentile', 'response time', 'availability',
    'available', 'uptime', 'downtime', 'nines', 'durable', 'durability', 'lose', 'lost', 'data loss', 'strongly consistent',
    'eventually consistent', 'be consistent', 'stay consistent', 'consistent reads', 'consistency', 'stale', 'staleness', 'fresh', 'freshness', 'in order', 'ordering', 'ordered', 'duplicate*', 'twice',
    'exactly once', 'at least once', 'at most once', 'real time', 'real-time', 'guarantee*', 'residency', 'gdpr',
    'compliance', 'accurate', 'accuracy', 'exact', 'how exact', 'slo', 'slos', 'sla', 'slas',
  ],
  /** A quality without a measure: "it has to be fast" is a wish until it has a number. */
  'nfr-weak': ['fast', 'quickly', 'quick', 'delay', 'lag', 'ms', 'millisecond*', 'responsive', 'instant*', 'snappy'],
  scale: [
    'users', 'dau', 'mau', 'daily active', 'monthly active', 'requests', 'qps', 'rps', 'tps', 'per second', 'a second',
    'per day', 'a day', 'a month', 'per month', 'traffic', 'volume', 'read to write', 'read-to-write', 'read heavy',
    'read-heavy', 'write heavy', 'write-heavy', 'reads per write', 'read write ratio', 'how many', 'how much', 'scale',
    'peak', 'growth', 'messages', 'links', 'urls', 'payments', 'orders', 'events', 'keys', 'pages', 'devices', 'connections',
    'members', 'posts', 'photos', 'videos', 'objects', 'items', 'documents', 'writes', 'reads', 'redirects', 'clicks',
    'customers', 'merchants', 'tenants', 'buyers', 'sellers',
  ],
  scope: [
    'out of scope', 'in scope', 'not in scope', 'scope', 'focus on', 'skip', 'leave out', 'set aside', 'v1', 'mvp',
    'for now', 'nice to have', 'non-goal*', 'not a goal', 'assume', 'assuming', 'assumption*', "let's say", 'i will say',
    'out of the scope', 'later phase', 'separately', 'won’t cover', "won't cover", 'not going to cover', 'not cover',
  ],
  constraint: [
    'must', 'should', 'need to', 'needs to', 'has to', 'have to', 'never', 'always', 'within', 'under', 'below', 'at most',
    'at least', 'no more than', 'less than', 'target', 'budget', 'required', 'acceptable',
    'fine', 'ok', 'okay', 'can lag', 'tolerate', 'tolerable',
  ],
  heading: ['requirements', 'requirement', 'functional', 'functionally', 'features', 'feature set', 'use cases', 'core features', 'must haves', 'must-haves', 'scope'],
  'design-heading': [
    'non-functional', 'nonfunctional', 'numbers', 'estimates', 'estimation', 'api', 'architecture', 'design', 'data model',
    'storage', 'scale', 'capacity', 'deep dive', 'high level', 'high-level', 'failure', 'failures', 'monitoring', 'security',
  ],
};

const scaleMatcher = new PhraseMatcher<Cue>(CUES.scale.map((pattern) => ({ key: 'scale' as const, pattern })));
/** How many words before a counted thing its number may stand ("100 million new short links"). */
const SCALE_REACH = 4;
const HEADING_SPAN = 6;
function isNumberToken(word: string): boolean {
  const c = word.charCodeAt(0);
  return (c >= 48 && c <= 57) || NUMBER_WORDS.has(word);
}

const matcher = new PhraseMatcher<Cue>(
  (Object.entries(CUES) as [Cue, readonly string[]][]).flatMap(([key, patterns]) => patterns.map((pattern) => ({ key, pattern }))),
);

/** Who uses the system: a sentence that opens with one says what they can do. */
const ACTORS = new Set([
  'users', 'user', 'a user', 'creators', 'creator', 'clients', 'client', 'buyers', 'buyer', 'sellers', 'seller', 'customers',
  'customer', 'anyone', 'people', 'members', 'member', 'senders', 'sender', 'recipients', 'callers', 'caller', 'admins',
  'merchants', 'merchant', 'drivers', 'riders', 'viewers', 'readers', 'followers', 'subscribers', 'developers', 'teams',
  'tenants', 'operators', 'owners', 'authors', 'visitors', 'players', 'shoppers', 'advertisers', 'publishers', 'consumers',
  'producers', 'everyone',
]);
/**
 * A sentence that waves requirements away ("I don't think we need to know the latency target",
 * "None of that is needed", "There's no need for…"): nothing in it is established. A negative
 * requirement ("a buyer must never be charged twice") is not a dismissal.
 */
const DISMISSAL_START = /^(?:(?:so|and|but|also|ok|okay|well|now|honestly|frankly),?\s+)*(?:(?:i|we)\s+(?:really\s+)?(?:don't|do not|won't|will not|am not|'m not|are not|'re not|didn't|did not|wouldn't|would not)\b|i'm not\b|we're not\b|there's no\b|there is no\b|no\b|none\b|not\b|nothing\b)/;
const DISMISSAL_ANY = /\b(?:none of (?:that|this|it|these|those)|(?:isn't|aren't|is not|are not|not) (?:needed|necessary|required|a concern|relevant|important)|doesn't matter|don't matter|does not matter|no need)\b/;

export function isDismissal(doc: TextDoc, sentence: number): boolean {
  const { start, end } = doc.sentences[sentence]!;
  const text = doc.text.slice(start, end).toLowerCase().replace(/’/g, "'");
  return DISMISSAL_START.test(text) || DISMISSAL_ANY.test(text) || isRefusal(doc, sentence);
}
/** What an actor does in a functional requirement: a modal or a capability verb within a few words. */
const CAPABILITY = new Set([
  'can', 'could', 'should', 'must', 'need', 'needs', 'want', 'wants', 'will', 'may', 'able', 'get', 'gets', 'see', 'sees',
  'receive', 'receives', 'create', 'creates', 'send', 'sends', 'post', 'posts', 'pay', 'pays', 'upload', 'uploads', 'follow',
  'follows', 'view', 'views', 'read', 'reads', 'share', 'shares', 'search', 'searches', 'open', 'opens', 'submit', 'submits',
  'click', 'clicks', 'join', 'joins', 'buy', 'buys', 'sell', 'sells', 'book', 'books', 'watch', 'watches', 'edit', 'edits',
  'delete', 'deletes', 'choose', 'chooses', 'call', 'calls', 'subscribe', 'subscribes', 'register', 'registers', 'sign',
  'signs', 'log', 'logs', 'download', 'downloads', 'publish', 'publishes', 'expect', 'expects', 'shorten', 'shortens',
]);
const ACTOR_REACH = 5;
const OPENERS = new Set(['so', 'and', 'first', 'firstly', 'then', 'also', 'ok', 'okay', 'well', 'now', 'second', 'third', 'finally', 'plus']);
const ARITHMETIC = /\b(?:divided by|times|multiplied by|estimat\w*|that's about|which is about|gives)\b|[×÷=≈]/i;
const OPERATIONS = /\b(?:alert(?:s|ing)?|page[sd]?|paging|dashboards?|monitor(?:s|ing)?|on-call|on call)\b/i;
const HEDGE = /\b(?:maybe|probably|perhaps|i guess|not sure|i think|might|possibly|i suppose)\b/;
const PROPOSAL = /^(?:(?:so|and|then|ok|okay),?\s+)*(?:maybe|perhaps|what if|how about|could we just|can we just|or)\b/;
/** A heading is short: "Requirements." "Functional requirements:" "Scope." */
const MAX_HEADING_TOKENS = 4;

/** The index of the first token that is not an opener ("So, first, users…"). */
function firstContent(doc: TextDoc, sentence: number): number {
  const { tokenStart, tokenEnd } = doc.sentences[sentence]!;
  let i = tokenStart;
  while (i < tokenEnd - 1 && OPENERS.has(doc.tokens.word(i))) i++;
  return i;
}

/**
 * The requirement claims of one candidate turn. `questions` is the question reader's view of
 * the same doc (question sentences earn the question facet and the topics they ask about).
 */
export function readRequirementClaims(doc: TextDoc, questions: TurnQuestions): RequirementClaim[] {
  const n = doc.sentences.length;
  if (n === 0) return [];
  // Cue hits per sentence: bit per cue kind, un-negated only (a negated cue is remembered apart).
  const cues = new Uint8Array(n);
  const negated = new Uint8Array(n);
  const headingAt = new Int8Array(n).fill(-1);
  const BIT: Record<Cue, number> = { nfr: 1, scale: 2, scope: 4, constraint: 8, heading: 16, 'design-heading': 32, 'nfr-weak': 64 };
  matcher.match(doc, (cue, first, last) => {
    const s = doc.tokens.sentence(first);
    const start = firstContent(doc, s);
    if (cue === 'heading' || cue === 'design-heading') {
      // Only at the start of a short sentence or before a colon: "Requirements." "Functional: …"
      const { tokenEnd } = doc.sentences[s]!;
      const colon = doc.text.slice(doc.tokens.end(last), doc.tokens.end(last) + 2).trimStart().startsWith(':');
      const short = tokenEnd - start <= MAX_HEADING_TOKENS;
      if (first === start && (short || colon)) {
        cues[s]! |= BIT[cue];
        if (headingAt[s] === -1) headingAt[s] = cue === 'heading' ? (short ? 1 : 2) : 0;
      }
      return;
    }
    // "Must never be charged twice" is a requirement: negation is checked for the other cues only
    // (a sentence that waves requirements away is caught whole, below).
    if (cue !== 'constraint' && cue !== 'nfr' && cue !== 'nfr-weak' && isNegated(doc, first, last)) {
      negated[s] = 1;
      return;
    }
    cues[s]! |= BIT[cue];
  });
  const features = sentenceFeatures(doc);
  const claims: RequirementClaim[] = [];
  let underHeading = false;
  let sinceHeading = 0;
  // Scale needs a number next to what is counted ("100 million new links", "2M requests a second"), not "POST /links … 302".
  const scaleNumber = new Uint8Array(n);
  scaleMatcher.match(doc, (_cue, first, last) => {
    const s = doc.tokens.sentence(first);
    const { tokenStart, tokenEnd } = doc.sentences[s]!;
    for (let i = Math.max(tokenStart, first - SCALE_REACH); i <= Math.min(tokenEnd - 1, last + 1); i++) {
      if (i >= first && i <= last) continue;
      if (isNumberToken(doc.tokens.word(i))) scaleNumber[s] = 1;
    }
  });
  for (let s = 0; s < n; s++) {
    const { tokenStart, tokenEnd } = doc.sentences[s]!;
    const first = tokenStart;
    const last = Math.max(tokenStart, tokenEnd - 1);
    const number = features.number[s] === 1;
    const isQuestion = questions.question[s] === 1;
    // Headings open (or close) a requirements section within the turn.
    if (headingAt[s] === 0) underHeading = false;
    if (headingAt[s] === 1) {
      underHeading = true;
      sinceHeading = 0;
      continue; // "Requirements." alone says nothing.
    }
    // A heading's section ends at a paragraph break or after a few sentences.
    if (underHeading && (++sinceHeading > HEADING_SPAN || /\n\s*\n/.test(doc.text.slice(doc.sentences[s - 1]?.end ?? 0, doc.sentences[s]!.start)))) underHeading = false;
    const headed = underHeading || headingAt[s] === 2;
    // Which facets the sentence would claim, before the (costlier) dismissal and hedge checks.
    const facets: RequirementFacet[] = [];
    if (isQuestion) {
      if (questions.meta[s]) continue;
      // A question about the system: it asks about the fact sheet or names a requirement.
      const onSheet = questions.parts.some((p) => p.sentence === s && p.facts.length > 0 && p.score >= 1);
      if (!onSheet && !(cues[s]! & (1 | 2 | 4))) continue;
      // "Maybe we divide the limit by 500?" proposes a design; it asks nothing.
      if (PROPOSAL.test(doc.text.slice(doc.sentences[s]!.start, doc.sentences[s]!.end).toLowerCase())) continue;
      facets.push('question');
      if (cues[s]! & 1) facets.push('non_functional');
      if (cues[s]! & 2) facets.push('scale');
    } else {
      if (negated[s] && !number) continue;
      const start = firstContent(doc, s);
      const actorAt = ACTORS.has(doc.tokens.word(start)) ? start : doc.tokens.word(start) === 'a' && ACTORS.has(doc.tokens.word(start + 1)) ? start + 1 : -1;
      let actor = false;
      if (actorAt >= 0 && tokenEnd - start >= 4) {
        for (let i = actorAt + 1; i < Math.min(tokenEnd, actorAt + 1 + ACTOR_REACH) && !actor; i++) actor = CAPABILITY.has(doc.tokens.word(i));
      }
      const designTalk = features.tech[s] === 1;
      if (headingAt[s] === 2 || (underHeading && !designTalk && !(cues[s]! & (1 | 2)) && tokenEnd - start >= 3) || actor) facets.push('functional');
      if ((cues[s]! & 1 && (number || cues[s]! & 8)) || (cues[s]! & 64 && number)) facets.push('non_functional');
      // "100M a day divided by 86,400 is 1,160 a second" works the scale out: estimation, not a requirement.
      if (cues[s]! & 2 && scaleNumber[s] && !ARITHMETIC.test(doc.text.slice(doc.sentences[s]!.start, doc.sentences[s]!.end))) facets.push('scale');
      if (cues[s]! & 4) facets.push('scope');
    }
    if (facets.length === 0) continue;
    if (negated[s] && !(cues[s]! & (1 | 2 | 4))) continue;
    // "We alert on p99 latency above 50 ms" is operations, not a requirement.
    if (!isQuestion && OPERATIONS.test(doc.text.slice(doc.sentences[s]!.start, doc.sentences[s]!.end))) continue;
    if (isDismissal(doc, s)) continue;
    const hedged = HEDGE.test(doc.text.slice(doc.sentences[s]!.start, doc.sentences[s]!.end).toLowerCase().replace(/’/g, "'"));
    for (const facet of facets) claims.push({ facet, sentence: s, first, last, number, headed, hedged });
  }
  return claims;
}
