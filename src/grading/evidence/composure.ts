// Composure under pushback (interviews only): each challenge's answer is labelled
//   defended              keeps the position and gives reasons (because/since, a tradeoff, numbers)
//   revised-with-reasons  changes the position and says why ("good point, because…, so I'd switch")
//   capitulated           changes the position with no reasoning ("you're right, let's switch", "um, okay")
// A label recorded by the interviewer engine is kept, but the row still gets a reason.
// Score: mean of per-answer values (defended with reasons 5, defended without 3.5, revised 4.5,
// capitulated 1.5); an interview with no pushback scores 3 with a note; monologue → null.
import type { Evidence, PushbackRow } from '../../schemas/report.js';
import type { Dimension } from '../../schemas/rubric.js';
import type { PushbackLabel } from '../../schemas/transcript.js';
import { findChallenges, type Challenge } from './challenges.js';
import { DecisionLedger, catalogueFor, labelFromDecisions, optionNamed, turnDecisions } from '../../reading/ledger.js';
import { result, type EvidenceContext } from './context.js';
import { extractQuantities, isMeaningful } from '../../reading/numbers.js';
import { clampScore, quoteAround, type TextDoc } from '../../reading/text.js';
import { readAnswer, type AnswerReading } from '../../reading/answers.js';
import { sentenceFeatures } from '../../reading/vocab.js';


function reasonText(reading: AnswerReading, topic: string): string {
  switch (reading.label) {
    case 'defended':
      return reading.reasons.length > 0
        ? `keeps ${topic} and backs it with ${reading.reasons.join(', ')}`
        : `keeps ${topic} but gives no reason (no because, tradeoff or numbers)`;
    case 'revised-with-reasons':
      return `changes position on ${topic} ("${reading.givesWay[0] ?? 'revises'}") and says why: ${reading.reasons.join(', ')}`;
    case 'capitulated':
      return `gives way on ${topic} (${reading.givesWay.map((g) => `"${g}"`).join(', ') || 'no defence'}) without a reason`;
  }
}

const VALUE: Record<PushbackLabel, number> = { defended: 5, 'revised-with-reasons': 4.5, capitulated: 1.5 };

interface PushbackAnalysis {
  rows: PushbackRow[];
  evidence: Evidence[];
  values: number[];
  missing: string[];
}

/** The pushback table, computed once per run (the grader reports it whatever the rubric). */
/**
 * What the candidate held on the challenged option before the challenge: the option (a recorded
 * pushback topic, else an option the challenge names that the candidate had taken a position
 * on), whether they had rejected it, and the topic to report ("token bucket", or "not sliding
 * log" when the challenge argued for an option the candidate had ruled out).
 */
function heldPositions(ctx: EvidenceContext): Map<Challenge, { option: number; rejected: boolean; topic: string } | null> {
  return ctx.once('heldPositions', () => {
    const out = new Map<Challenge, { option: number; rejected: boolean; topic: string } | null>();
    // One ledger walked forward; each challenge reads it as it stood just before the challenge.
    const ledger = new DecisionLedger(catalogueFor(ctx.input.problem), { trackAnswered: false });
    const challenges = [...findChallenges(ctx)].sort((a, b) => a.turn - b.turn);
    let next = 0;
    for (const challenge of challenges) {
      for (; next < ctx.candidate.length && ctx.candidate[next]!.turn.index < challenge.turn; next++) {
        const c = ctx.candidate[next]!;
        ledger.add(turnDecisions(ctx.input.problem, c.doc));
      }
      out.set(challenge, heldPosition(ctx, challenge, ledger));
    }
    return out;
  });
}

function heldPosition(ctx: EvidenceContext, challenge: Challenge, ledger: DecisionLedger): { option: number; rejected: boolean; topic: string } | null {
  const problem = ctx.input.problem;
  const catalogue = ledger.catalogue;
  let option = challenge.topic === '' ? -1 : optionNamed(catalogue, challenge.topic);
  if (option < 0 || !ledger.entries.has(option)) {
    // The options the challenge names that the candidate took a position on, held ones first.
    const named = turnDecisions(problem, ctx.doc(challenge.turn)).mentions.map((m) => m.option).filter((o) => ledger.entries.has(o));
    option = named.find((o) => ledger.holds(o)) ?? named[0] ?? -1;
  }
  if (option < 0) return null;
  if (ledger.holds(option)) return { option, rejected: false, topic: catalogue.names[option]! };
  const pick = ledger.familyPick(catalogue.family[option]!);
  return { option, rejected: true, topic: pick !== null ? `${catalogue.names[pick]!} (not ${catalogue.names[option]!})` : `not ${catalogue.names[option]!}` };
}

export function analyzePushbacks(ctx: EvidenceContext): PushbackAnalysis {
  return ctx.once('pushbacks', () => {
    const rows: PushbackRow[] = [];
    const evidence: Evidence[] = [];
    const values: number[] = [];
    const missing: string[] = [];
    for (const challenge of findChallenges(ctx)) {
      const challengeText = ctx.turns[challenge.turn]?.text ?? '';
      if (challenge.answerTurn === null) {
        rows.push({
          turn: challenge.turn,
          topic: challenge.topic,
          challenge: challengeText,
          answer: null,
          label: challenge.recordedLabel,
          reason: challenge.recordedLabel ? `recorded as ${challenge.recordedLabel}; no answer in the transcript` : 'no answer in the transcript',
        });
        continue;
      }
      const doc = ctx.doc(challenge.answerTurn);
      const reading = readAnswer(doc);
      // The option the challenge is about, as the candidate held it; the answer is labelled by
      // whether it keeps that position (the interviewer's ledger does the same), not by words.
      const held = heldPositions(ctx).get(challenge) ?? null;
      if (held) {
        const catalogue = catalogueFor(ctx.input.problem);
        const decisions = turnDecisions(ctx.input.problem, doc);
        const byDecisions = labelFromDecisions(catalogue, held.option, decisions, reading.reasons.length > 0, doc.tokens.length, { rejected: held.rejected });
        if (byDecisions) {
          reading.label = byDecisions;
          if (byDecisions === 'defended') reading.stance = 'keeps';
        }
      }
      const topic = held?.topic ?? challenge.topic;
      let label = reading.label;
      let reason = reasonText(reading, topic);
      if (challenge.recordedLabel) {
        label = challenge.recordedLabel;
        reason =
          challenge.recordedLabel === reading.label
            ? `recorded as ${label}: ${reason}`
            : `recorded as ${label} by the interviewer; the evidence grader reads it as ${reading.label}: ${reason}`;
      }
      let value = VALUE[label];
      if (label === 'defended' && reading.reasons.length === 0) value = 3.5;
      values.push(value);
      rows.push({ turn: challenge.turn, topic: topic, challenge: challengeText, answer: ctx.turns[challenge.answerTurn]!.text, label, reason });
      const sentence = doc.sentences[reading.keySentence] ?? doc.sentences[0];
      if (sentence) {
        evidence.push({
          quote: quoteAround(doc, reading.keySentence, sentence.start, sentence.end),
          turn: challenge.answerTurn,
          note: `${label} on ${topic}: ${reasonText(reading, topic)}`,
        });
      }
      if (label === 'capitulated') missing.push(`gave way on ${topic} without a reason: defend it with numbers or a tradeoff, or say what changed your mind`);
      else if (label === 'defended' && reading.reasons.length === 0) missing.push(`kept ${topic} without saying why`);
    }
    return { rows, evidence, values, missing };
  });
}

export function analyzeComposure(ctx: EvidenceContext, _dimension: Dimension): ReturnType<typeof result> {
  if (ctx.mode === 'monologue') return result(null, { notes: ['composure applies to interviews only: a monologue has no pushback'] });
  const { rows, evidence, values, missing } = analyzePushbacks(ctx);
  if (rows.length === 0) return result(3, { notes: ['no pushback in this interview, so composure was not observed (neutral 3)'] });
  if (values.length === 0) return result(3, { notes: ['pushback without a candidate answer, so composure was not observed (neutral 3)'] });
  const score = clampScore(values.reduce((a, b) => a + b, 0) / values.length);
  const counts = new Map<string, number>();
  for (const row of rows) if (row.label) counts.set(row.label, (counts.get(row.label) ?? 0) + 1);
  const summary = [...counts].map(([label, n]) => `${n} ${label}`).join(', ');
  return result(score, { evidence: evidence.slice(0, 4), missing, notes: [`${rows.length} pushback${rows.length === 1 ? '' : 's'}: ${summary}`] });
}
