// Requirements & scope, from what the candidate establishes before designing: functional
// requirements, non-functional ones with a bound, the scale, the scope and assumptions, and the
// questions asked to get them (src/reading/requirements.ts reads the claims; the question
// reader, shared with the interviewer, maps questions to the problem's fact sheet).
//
// Facets: functional, non_functional, scale, scope, question. A facet is covered by a claim in
// the requirements window (the first fifth of the candidate's words, at least 120; anything
// under a "Requirements." heading counts wherever it is), or by the rubric's signal group of the
// same kind (matched by its name: "functional requirements", "scale questions"…), so a coach's
// patterns still count. Depth per facet (0..1): more than one claim, numbers in it, questions
// that hit the fact sheet and whose answers the candidate used later.
//   score = conceptScore(covered facets / facets, mean depth)     (same curve as concepts)
// In a monologue there is no one to ask: stated assumptions (scale or scope claims) stand for
// the question facet, as the rubric's judge guidance says.
import type { Evidence } from '../../schemas/report.js';
import type { Dimension } from '../../schemas/rubric.js';
import { conceptScore, coverageNote, signalCoverage, type GroupCoverage } from './concepts.js';
import { result, type EvidenceContext } from './context.js';
import { quoteAround, type TextDoc } from '../../reading/text.js';
import { readQuestions, type TurnQuestions } from '../../reading/questions.js';
import { readRequirementClaims, REQUIREMENT_FACETS, type RequirementClaim, type RequirementFacet } from '../../reading/requirements.js';
import { extractQuantities } from '../../reading/numbers.js';

const WINDOW_SHARE = 0.2;
const WINDOW_MIN_WORDS = 120;
const MAX_EVIDENCE = 4;

const FACET_NAMES: Record<RequirementFacet, string> = {
  functional: 'functional requirements',
  non_functional: 'non-functional requirements with a bound (latency, availability, consistency, durability)',
  scale: 'the scale to design for, with numbers',
  scope: 'what is in and out of scope, or what is assumed',
  question: 'clarifying questions about the system',
};

/** Which facet a rubric signal group stands for, from its name; null: a facet of its own. */
function facetOfSignal(name: string): RequirementFacet | null {
  if (/non[- ]?functional/i.test(name)) return 'non_functional';
  if (/functional|feature|use case/i.test(name)) return 'functional';
  if (/scale|volume|traffic|load/i.test(name)) return 'scale';
  if (/scope|assum/i.test(name)) return 'scope';
  if (/clarif|question/i.test(name)) return 'question';
  return null;
}

interface FacetState {
  name: string;
  covered: number;
  depth: number;
  quote: Evidence | null;
}

interface TurnClaims {
  turn: number;
  position: number;
  doc: TextDoc;
  questions: TurnQuestions;
  claims: RequirementClaim[];
  /** Candidate words before each sentence of the turn, from the session's start. */
  offsets: number[];
}

/** Past the requirements window only headings and questions can still count: a cheap test on the raw text. */
const LATE_CANDIDATE = /\?|requirement|functional|\bscope\b|features?\s*:/i;

function claimsOf(ctx: EvidenceContext, window: number): TurnClaims[] {
  return ctx.once('requirementClaims', () => {
    const problem = ctx.input.problem;
    const facts = problem?.facts ?? [];
    const statement = problem ? `${problem.title} ${problem.statement}` : '';
    const out: TurnClaims[] = [];
    let words = 0;
    ctx.candidate.forEach((c, position) => {
      const before = words;
      words += c.words;
      if (before >= window && !LATE_CANDIDATE.test(c.turn.text)) return;
      const questions = readQuestions(c.doc, facts, statement);
      const offsets = c.doc.sentences.map((s) => before + s.tokenStart);
      out.push({ turn: c.turn.index, position, doc: c.doc, questions, claims: readRequirementClaims(c.doc, questions), offsets });
    });
    return out;
  });
}

/** Per turn index, whether the numbers the interviewer gave in reply to it reappear in a later candidate turn. */
function answersUsed(ctx: EvidenceContext): (turn: number) => boolean {
  const memo = new Map<number, boolean>();
  let later: { turn: number; raw: number; unit: string; value: number }[] | null = null;
  return (turn) => {
    const known = memo.get(turn);
    if (known !== undefined) return known;
    let used = false;
    const reply = ctx.turns.find((t) => t.index > turn && t.role === 'interviewer');
    if (reply) {
      const given = extractQuantities(ctx.doc(reply.index)).filter((q) => q.raw >= 2);
      if (given.length > 0) {
        later ??= ctx.candidate.flatMap((c) => extractQuantities(c.doc).map((q) => ({ turn: c.turn.index, raw: q.raw, unit: q.unit, value: q.value })));
        used = later.some(
          (q) =>
            q.turn > reply.index &&
            given.some((g) => Math.abs(g.raw - q.raw) <= 1e-9 * Math.max(1, g.raw) || (g.unit === q.unit && g.unit !== 'none' && Math.abs(g.value - q.value) <= 1e-9 * Math.max(1, g.value))),
        );
      }
    }
    memo.set(turn, used);
    return used;
  };
}

export function analyzeRequirements(ctx: EvidenceContext, dimension: Dimension): ReturnType<typeof result> {
  const facets = new Map<string, FacetState>();
  for (const facet of REQUIREMENT_FACETS) facets.set(facet, { name: FACET_NAMES[facet], covered: 0, depth: 0, quote: null });

  // Claims read from what the candidate says.
  const window = Math.max(WINDOW_MIN_WORDS, WINDOW_SHARE * ctx.candidateWords);
  const counts = new Map<RequirementFacet, { n: number; numbers: number; firm: number; best: { t: TurnClaims; claim: RequirementClaim } | null }>();
  let questionsAsked = 0;
  let questionsOnSheet = 0;
  let questionsUsed = 0;
  const answerUsed = answersUsed(ctx);
  for (const t of claimsOf(ctx, window)) {
    const questionTurnCounted = new Set<number>();
    for (const claim of t.claims) {
      const early = t.offsets[claim.sentence]! < window;
      let onSheet = false;
      if (claim.facet === 'question') {
        onSheet = t.questions.parts.some((p) => p.sentence === claim.sentence && p.facts.length > 0 && p.score >= 1);
        if (!early && !onSheet) continue;
        questionsAsked++;
        if (onSheet) questionsOnSheet++;
        if (ctx.mode === 'interview' && !questionTurnCounted.has(t.turn)) {
          questionTurnCounted.add(t.turn);
          if (answerUsed(t.turn)) questionsUsed++;
        }
      } else if (!early && !claim.headed) continue;
      const entry = counts.get(claim.facet) ?? { n: 0, numbers: 0, firm: 0, best: null };
      entry.n++;
      if (!claim.hedged) entry.firm++;
      if (claim.number && !claim.hedged) entry.numbers++;
      const better = entry.best === null || (claim.number && !entry.best.claim.number) || (claim.facet === 'question' && onSheet && entry.best.claim.number === claim.number && entry.n === 1);
      if (better) entry.best = { t, claim };
      counts.set(claim.facet, entry);
    }
  }
  // A monologue has no one to ask: stated assumptions stand for questions.
  if (ctx.mode === 'monologue' && !counts.has('question')) {
    const assumed = counts.get('scope') ?? counts.get('scale');
    if (assumed) counts.set('question', { ...assumed });
  }
  for (const [facet, c] of counts) {
    const state = facets.get(facet)!;
    // Only hedged claims ("maybe millions of requests"): half the credit.
    state.covered = c.firm > 0 ? 1 : 0.5;
    let depth: number;
    switch (facet) {
      case 'question':
        depth = ctx.mode === 'monologue' ? Math.min(1, c.n / 3) : 0.5 * (questionsOnSheet / Math.max(1, questionsAsked)) + 0.5 * Math.min(1, questionsUsed / 2);
        break;
      case 'functional':
      case 'scope':
        depth = c.n >= 3 ? 1 : c.n === 2 ? 0.5 : 0;
        break;
      default:
        depth = (c.numbers > 0 ? 0.5 : 0) + (c.n >= 2 ? 0.5 : 0);
    }
    state.depth = Math.max(state.depth, depth);
    if (c.best) {
      const { t, claim } = c.best;
      state.quote = { quote: quoteAround(t.doc, claim.sentence), turn: t.turn, note: facet === 'question' && claim.facet !== 'question' ? 'an assumption stated (a monologue has no one to ask)' : state.name };
    }
  }

  // The rubric's own signal groups, by the facet their name stands for.
  const signals = signalCoverage(ctx, dimension);
  for (const { name, coverage } of signals) {
    if (!coverage.best) continue;
    const facet = facetOfSignal(name);
    const key = facet ?? `signal:${name}`;
    const state = facets.get(key) ?? { name, covered: 0, depth: 0, quote: null };
    const weight = coverage.listedOnly ? 0.15 : 1;
    state.covered = Math.max(state.covered, weight);
    state.depth = Math.max(state.depth, Math.min(coverage.depth, 2) / 2);
    if (!state.quote) state.quote = evidenceOf(coverage, name);
    facets.set(key, state);
  }
  for (const { name } of signals) {
    const facet = facetOfSignal(name);
    if (facet === null && !facets.has(`signal:${name}`)) facets.set(`signal:${name}`, { name, covered: 0, depth: 0, quote: null });
  }

  const all = [...facets.values()];
  const covered = all.filter((f) => f.covered > 0);
  const coverage = covered.reduce((sum, f) => sum + f.covered, 0) / all.length;
  const depth = covered.length > 0 ? covered.reduce((sum, f) => sum + f.depth, 0) / covered.length : 0;
  const score = conceptScore(coverage, depth);
  const evidence: Evidence[] = [];
  const seen = new Set<string>();
  for (const f of [...covered].sort((a, b) => b.depth - a.depth)) {
    if (!f.quote || evidence.length >= MAX_EVIDENCE) continue;
    const key = `${f.quote.turn}:${f.quote.quote}`;
    if (seen.has(key)) continue;
    seen.add(key);
    evidence.push(f.quote);
  }
  const missing = all.filter((f) => f.covered === 0).map((f) => `no ${f.name}`);
  const notes = [`${covered.length} of ${all.length} requirement facets established`];
  if (ctx.mode === 'interview' && questionsAsked > 0) {
    notes.push(`${questionsAsked} clarifying question${questionsAsked === 1 ? '' : 's'}, ${questionsOnSheet} about facts the problem has, answers used later in ${questionsUsed} turn${questionsUsed === 1 ? '' : 's'}`);
  }
  return result(score, { evidence, missing, notes });
}

function evidenceOf(coverage: GroupCoverage, name: string): Evidence | null {
  const hit = coverage.best;
  if (!hit) return null;
  return { quote: quoteAround(hit.doc, hit.doc.tokens.sentence(hit.first)), turn: hit.turn, note: coverageNote(name, coverage) };
}
