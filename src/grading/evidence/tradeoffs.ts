// Tradeoffs: statements that weigh one option against another ("X vs Y", "rather than", "the
// downside is", "at the cost of", "I prefer A because… but…", "alternatively"), each classed as
// volunteered (up front) or only given in the answer to a challenge. Strong statements say
// what is given up, or weigh options with a reason.
//
// Score: none → 1. Only after challenges → 2.0 + 0.3 per statement (two at most) + 0.2 if one
// is strong. Up front: 3.0 / 3.6 / 4.0 / 4.3 for 1 / 2 / 3 / 4+ statements, +0.5 if one is
// strong (+0.2 more for two), +0.2 per defended-only statement (two at most).
import type { Evidence } from '../../schemas/report.js';
import type { Dimension } from '../../schemas/rubric.js';
import { answerTurns, findChallenges } from './challenges.js';
import { result, type EvidenceContext } from './context.js';
import { PhraseMatcher, clampScore, docLowerCase, quoteAround, type TextDoc } from '../../reading/text.js';
import { sentenceFeatures } from '../../reading/vocab.js';
import { catalogueFor, turnDecisions, type TurnDecisions } from '../../reading/ledger.js';
import { comparesOnAQuality } from '../../reading/decisions.js';

/** Patterns that name a cost or weigh two sides. */
const STRONG = [
  // "The tradeoff is…", "tradeoff between…", "we trade off X for Y" (not a bare mention of the word).
  String.raw`\b(?:the|a|one|main|key|big|real|biggest|obvious|classic)\s+trade-?offs?\b`,
  String.raw`\btrade-?offs?\s*(?::|is\b|are\b|here\b|there\b|between\b|of\b|we\b|i\b|would\b|will\b)`,
  String.raw`\btrade(?:s|d|ing)?\s+off\b`,
  String.raw`\bat the (?:cost|expense|price) of\b`,
  String.raw`\bin exchange for\b`,
  String.raw`\b(?:the |one |a )?(?:downside|drawback|catch|cost|price|con|risk)s? (?:is|are|being|here|there)\b`,
  String.raw`\b(?:we |you )?(?:give|gave|giving|lose|losing) up\b`,
  String.raw`\bsacrific\w*`,
  String.raw`\bversus\b`,
  String.raw`\bvs\b`,
  String.raw`\brather than\b`,
  String.raw`\binstead of\b`,
  String.raw`\b(?:pros|benefits?|upsides?) and (?:cons|costs?|downsides?)\b`,
  String.raw`\bon the other hand\b`,
  String.raw`\b(?:cheaper|simpler|faster|slower|easier|harder|safer|riskier|more expensive|more complex|more consistent|less consistent|lower latency|higher latency|more available|more durable|more flexible|less flexible)\b[^.;!?]*\bbut\b`,
  String.raw`\bprefer\w*\b[^.;!?]*\b(?:because|since|over)\b`,
  String.raw`\bworks? (?:well )?for\b[^.;!?]*\bbut\b`,
  String.raw`\b(?:cost|costs|costing) (?:us |more |extra )`,
];
/** Patterns that open an alternative without necessarily weighing it. */
const MEDIUM = [
  String.raw`\balternative(?:ly|s)?\b`,
  String.raw`\banother option\b`,
  String.raw`\bthe other option\b`,
  String.raw`\boption (?:a|b|one|two)\b`,
  String.raw`\bit depends\b`,
  String.raw`\bdepends on\b`,
  String.raw`\bwhereas\b`,
];
/** Patterns that count only when the sentence also gives a reason ("we could use X instead" alone is not weighing anything). */
const WEAK = [String.raw`\binstead\b`, String.raw`\bcould also\b`, String.raw`\beither\b[^.;!?]*\bor\b`, String.raw`\bor we could\b`];
/** Words one of the patterns needs; only sentences with one are run through the regexes. */
const TRIGGERS = [
  'trade*', 'cost*', 'expense', 'price', 'exchange', 'downside*', 'drawback*', 'catch', 'con', 'cons', 'risk*', 'give', 'gave',
  'giving', 'lose', 'losing', 'sacrific*', 'versus', 'vs', 'rather', 'instead', 'pros', 'benefit*', 'upside*', 'other', 'but',
  'prefer*', 'alternative*', 'another', 'option*', 'depend*', 'whereas', 'could', 'either',
];
const triggerMatcher = new PhraseMatcher<number>(TRIGGERS.map((pattern) => ({ key: 0, pattern })));
const STRONG_RE = new RegExp(STRONG.join('|'), 'g');
const MEDIUM_RE = new RegExp(MEDIUM.join('|'), 'g');
const WEAK_RE = new RegExp(WEAK.join('|'), 'g');
// strength 2: strong; 1: an alternative, strong with a reason; 0: counts only with a reason.
const TIERS = [
  [STRONG_RE, 2],
  [MEDIUM_RE, 1],
  [WEAK_RE, 0],
] as const;

export interface TradeoffStatement {
  turn: number;
  doc: TextDoc;
  sentence: number;
  phrase: string;
  strong: boolean;
  /** Said in the answer to a challenge rather than volunteered. */
  afterChallenge: boolean;
}

/** Every tradeoff statement in the candidate turns, one per sentence. */
export function findTradeoffs(ctx: EvidenceContext): TradeoffStatement[] {
  return ctx.once('tradeoffs', () => {
    const answers = answerTurns(ctx);
    const out: TradeoffStatement[] = [];
    // The same sentence said again earns nothing more.
    const said = new Set<string>();
    const problem = ctx.input.problem;
    for (const { turn, doc } of ctx.candidate) {
      const decisions = turnDecisions(problem, doc);
      // A comparison made as claims: two or more options for one job weighed in the turn, and
      // one picked or ruled out with a reason or a number ("fixed window bursts at the
      // boundary, sliding log stores every timestamp… I pick token bucket, not sliding log,
      // because it is two numbers per key"), whatever words it uses.
      const comparison = comparisonIn(ctx, doc, decisions);
      if (comparison !== null && !said.has(sentenceKey(doc, comparison))) {
        said.add(sentenceKey(doc, comparison));
        out.push({ turn: turn.index, doc, sentence: comparison, phrase: 'compares options and picks one with a reason', strong: true, afterChallenge: answers.has(turn.index) });
      }
      // Sentences with a trigger word, marked by index (visited in order below).
      let candidates: Uint8Array | null = null;
      triggerMatcher.match(doc, (_key, first) => {
        (candidates ??= new Uint8Array(doc.sentences.length))[doc.tokens.sentence(first)] = 1;
      });
      if (candidates === null) continue;
      const marked: Uint8Array = candidates;
      const features = sentenceFeatures(doc);
      // The turn lower-cased once when its slices equal lower-cased sentences; "’" → "'" keeps the length.
      let turnLower = docLowerCase(doc);
      if (turnLower !== null && turnLower.includes('’')) turnLower = turnLower.replace(/’/g, "'");
      for (let sentence = 0; sentence < marked.length; sentence++) {
        if (marked[sentence] !== 1) continue;
        const { start, end } = doc.sentences[sentence]!;
        const lower = turnLower !== null ? turnLower.slice(start, end) : doc.text.slice(start, end).toLowerCase().replace(/’/g, "'");
        const reason = features.reason[sentence] === 1;
        let found: TradeoffStatement | null = null;
        for (const [re, strength] of TIERS) {
          if (found?.strong) break;
          if (strength === 0 && (!reason || found)) continue;
          re.lastIndex = 0;
          const m = re.exec(lower);
          if (!m) continue;
          const strong = strength === 2 || (strength === 1 && reason);
          if (!found) found = { turn: turn.index, doc, sentence, phrase: m[0], strong, afterChallenge: answers.has(turn.index) };
          else if (strong) {
            found.strong = true;
            found.phrase = m[0];
          }
        }
        if (!found) continue;
        // "I don't want to choose between 301 and 302", "we won't need to weigh…": a refusal, not a tradeoff.
        const at = lower.indexOf(found.phrase);
        if (NEGATED_CLAIM.test(at > 0 ? lower.slice(0, at) : lower)) continue;
        // A tradeoff is about a choice: an empty "the tradeoff is consistency versus
        // availability" that names no option, figure, reason or design action earns nothing.
        // An answer to a challenge is about the challenged choice.
        if (!found.afterChallenge && !substantive(doc, sentence, features, decisions, found.phrase)) continue;
        const key = sentenceKey(doc, sentence);
        if (said.has(key)) continue;
        said.add(key);
        out.push(found);
      }
    }
    return out;
  });
}

function sentenceKey(doc: TextDoc, sentence: number): string {
  const { start, end } = doc.sentences[sentence]!;
  return doc.text.slice(start, end).toLowerCase().replace(/\s+/g, ' ').trim();
}

/** Acting on the design: a sentence with one of these makes a claim about it. */
const DESIGN_ACTION = /\b(?:hybrid|shard\w*|partition\w*|replicat\w*|cach\w*|queue\w*|batch\w*|index\w*|denormali[sz]\w*|precomput\w*|stor(?:e|es|ed|ing)|rout\w*|split\w*|fan(?:s|ned)? out|push\w*|pull\w*|poll\w*|stream\w*|lock\w*|retr(?:y|ies|ied)|evict\w*|compress\w*|dedup\w*|encrypt\w*|scal(?:e|es|ed|ing) out)\b/;
const NEGATED_CLAIM = /\b(?:don'?t|do not|won'?t|will not|not going to|no need to|never|not want to|doesn'?t|does not)\b/;
const CAUSAL = /\b(?:because|since|so that|which means|that means|to avoid|to prevent|otherwise|therefore|due to|given that)\b/;
/** Phrases that weigh two sides by themselves ("simpler but harder to scale"). */
const SELF_WEIGHING = /\bbut\b|\bprefer/;

function substantive(doc: TextDoc, sentence: number, features: ReturnType<typeof sentenceFeatures>, decisions: TurnDecisions, phrase: string): boolean {
  if (features.number[sentence] || features.tech[sentence]) return true;
  if (SELF_WEIGHING.test(phrase)) return true;
  // The choice may be named just before ("We fan out on write for most authors… The tradeoff is…").
  if (decisions.mentions.some((m) => m.stance !== 'asked' && m.sentence >= sentence - 2 && m.sentence <= sentence + 1)) return true;
  const { start, end } = doc.sentences[sentence]!;
  // (The reason flag is not enough: it counts the word "tradeoff" itself.)
  const text = doc.text.slice(start, end).toLowerCase();
  if (DESIGN_ACTION.test(text) || CAUSAL.test(text)) return true;
  const before = doc.sentences[Math.max(0, sentence - 2)]!;
  return sentence > 0 && DESIGN_ACTION.test(doc.text.slice(before.start, start).toLowerCase());
}

/** The sentence of a reasoned pick among two or more options of one family named in the turn, or null. */
function comparisonIn(ctx: EvidenceContext, doc: TextDoc, decisions: TurnDecisions): number | null {
  const mentions = decisions.mentions.filter((m) => m.stance !== 'asked');
  if (mentions.length < 2) return null;
  const catalogue = catalogueFor(ctx.input.problem);
  const features = sentenceFeatures(doc);
  for (const pick of mentions) {
    if (pick.stance !== 'chosen' && pick.stance !== 'rejected') continue;
    const family = catalogue.family[pick.option]!;
    const options = new Set(mentions.filter((m) => catalogue.family[m.option] === family).map((m) => m.option));
    if (options.size < 2) continue;
    const sentence = doc.sentences[pick.sentence]!;
    const before = doc.text.slice(sentence.start, doc.tokens.start(pick.first)).toLowerCase().replace(/’/g, "'");
    if (NEGATED_CLAIM.test(before)) continue;
    // A comparison on a quality ("slower than Postgres for our reads, so Postgres") is its reason.
    if (pick.reasoned || features.number[pick.sentence] || features.reason[pick.sentence]) return pick.sentence;
    // Two options of the job in this sentence, set side by side on a quality.
    const here = new Set(mentions.filter((m) => m.sentence === pick.sentence && catalogue.family[m.option] === family).map((m) => m.option));
    if (here.size >= 2 && comparesOnAQuality(doc, pick.sentence)) return pick.sentence;
  }
  return null;
}

const UP_FRONT_BASE = [3.0, 3.6, 4.0, 4.3];

/** The documented score from counts: up-front, up-front strong, challenge-only, challenge-only strong. */
export function tradeoffScore(upFront: number, upFrontStrong: number, defended: number, defendedStrong: number): number {
  if (upFront === 0 && defended === 0) return 1;
  if (upFront === 0) return clampScore(2 + 0.3 * Math.min(defended, 2) + (defendedStrong > 0 ? 0.2 : 0));
  let score = UP_FRONT_BASE[Math.min(upFront, 4) - 1]!;
  if (upFrontStrong >= 1) score += 0.5;
  if (upFrontStrong >= 2) score += 0.2;
  score += 0.2 * Math.min(defended, 2);
  return clampScore(score);
}

export function analyzeTradeoffs(ctx: EvidenceContext, _dimension: Dimension): ReturnType<typeof result> {
  const statements = findTradeoffs(ctx);
  const upFront = statements.filter((s) => !s.afterChallenge);
  const defended = statements.filter((s) => s.afterChallenge);
  const upStrong = upFront.filter((s) => s.strong).length;
  const defStrong = defended.filter((s) => s.strong).length;
  const score = tradeoffScore(upFront.length, upStrong, defended.length, defStrong);

  const challenges = findChallenges(ctx);
  const challengeFor = (turn: number) => challenges.find((c) => c.answerTurn === turn);
  const ordered = [
    ...upFront.filter((s) => s.strong),
    ...upFront.filter((s) => !s.strong),
    ...defended.filter((s) => s.strong),
    ...defended.filter((s) => !s.strong),
  ];
  const evidence: Evidence[] = ordered.slice(0, 4).map((s) => {
    const sentence = s.doc.sentences[s.sentence]!;
    const at = (docLowerCase(s.doc) ?? s.doc.text.toLowerCase()).indexOf(s.phrase, sentence.start);
    const challenge = s.afterChallenge ? challengeFor(s.turn) : undefined;
    const kind = s.strong ? 'tradeoff' : 'alternative';
    return {
      quote: quoteAround(s.doc, s.sentence, at >= 0 ? at : sentence.start, at >= 0 ? at + s.phrase.length : sentence.end),
      turn: s.turn,
      note: s.afterChallenge
        ? `${kind} given only when challenged${challenge ? ` on ${challenge.topic} (turn ${challenge.turn})` : ''} ("${s.phrase}")`
        : `${kind} volunteered up front ("${s.phrase}")`,
    };
  });

  const missing: string[] = [];
  if (statements.length === 0) missing.push('no tradeoffs stated: say what each choice costs ("X rather than Y because…", "at the cost of…")');
  else {
    if (upFront.length === 0) missing.push('no tradeoff volunteered before being challenged');
    if (upStrong + defStrong === 0) missing.push('no tradeoff says what is given up ("the downside is…", "at the cost of…")');
    if (statements.length === 1) missing.push('only one tradeoff discussed: weigh alternatives for storage, caching or consistency too');
  }
  const notes = [`${upFront.length} tradeoff${upFront.length === 1 ? '' : 's'} up front (${upStrong} strong), ${defended.length} only after a challenge`];
  return result(score, { evidence, missing, notes });
}
