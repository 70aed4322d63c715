// The judge's engine: samples, structured output with a plain-JSON fallback, one repair round,
// and the checks (quotes, dimension ids, modes) applied to every answer. llm-judge.ts wires it
// to the evidence grader; this module does not import the evidence grader, so it can be tested
// on its own. The facts (and, when given, the evidence grader's dimension results) are computed
// first and sent to the model in an EVIDENCE data block; a dimension the judge skips, or scores
// only with quotes that are not the candidate's, gets the evidence grader's result instead.
import { estimateMessageTokens } from '../../llm/tokens.js';
import {
  AbortedError,
  ProviderError,
  StreamInterruptedError,
  collect,
  type ChatMessage,
  type Provider,
  type StreamRequest,
} from '../../llm/provider.js';
import type { Evidence, Flag } from '../../schemas/report.js';
import type { Dimension } from '../../schemas/rubric.js';
import { loadJudgePrompt, type JudgePrompt } from './judge-prompt.js';
import { parseJudgeReply } from './parse.js';
import { appliesTo, buildJudgeMessages, randomNonce } from './prompt.js';
import { QuoteMatcher, evidenceKey } from './quotes.js';
import { judgeResponseFormat, type JudgeAnswer } from './schema.js';
import { turnsOf } from '../turns.js';
import type { Analysis, DimensionResult, GradeInput } from '../types.js';
import type { EvidenceBlockLimits } from './evidence-block.js';
import { SdcoachError } from '../../errors.js';

/**
 * What the evidence grader verified: time, pushbacks, estimates and flags, and (from the full
 * evidence grader) its per-dimension results, shown to the judge and used where it gives none.
 */
export type JudgeFacts = Pick<Analysis, 'time' | 'pushbacks' | 'estimates' | 'flags'> & {
  dimensions?: Analysis['dimensions'];
};

/** Which grader produced a dimension's result. */
export type DimensionGrader = 'evidence' | 'llm';

export interface JudgeOptions {
  /** Judge the transcript N times; each dimension reports the median score and the spread. Default 1. */
  samples?: number;
  signal?: AbortSignal;
  /** Delimiter nonce per request; random by default (inject a fixed one in tests). */
  nonce?: () => string;
  /** false: never ask for structured output (plain JSON + repair). Default true: try it, fall back on a 400. */
  structured?: boolean;
  /** The judge prompt; default prompts/judge.md (loaded once per process). */
  prompt?: JudgePrompt;
  /** Caps on the EVIDENCE block (default EVIDENCE_BLOCK_LIMITS). */
  evidenceLimits?: EvidenceBlockLimits;
}

export interface RunJudgeOptions extends JudgeOptions {
  /** Computed facts (time, pushbacks, estimates): llm-judge.ts passes the evidence grader's. */
  facts: (input: GradeInput) => JudgeFacts;
}

export interface JudgeResult {
  analysis: Analysis;
  strengths: string[];
  toExpand: string[];
  /** Per dimension id: `llm` (the judge's score) or `evidence` (the evidence grader's, used as a fallback). */
  graders: Record<string, DimensionGrader>;
}

/** Every sample failed: no usable judgement. `failures` says why, one line per sample. */
export class JudgeError extends SdcoachError {
  readonly failures: string[];
  constructor(message: string, failures: string[], options?: { cause?: unknown }) {
    super(message, 1, options);
    this.name = 'JudgeError';
    this.failures = failures;
  }
}

/** Endpoints that answered 400 to a structured-output request: later judgements skip straight to JSON. */
const noStructuredOutput = new WeakSet<Provider>();

const REPAIR_INSTRUCTIONS =
  'Your reply could not be used: it must be one JSON object matching the required format. Problems found:';

export interface Sample {
  answer: JudgeAnswer;
  repaired: boolean;
}

/** The messages the judge sends for one sample (a fresh nonce each time). */
export function judgeMessages(
  input: GradeInput,
  facts: JudgeFacts,
  options: { prompt: JudgePrompt; nonce: string; evidenceLimits?: EvidenceBlockLimits },
): ChatMessage[] {
  return buildJudgeMessages(input, { system: options.prompt.body, nonce: options.nonce, evidence: facts, evidenceLimits: options.evidenceLimits });
}

/** The request for those messages: structured output (the answer's JSON schema) or plain JSON. */
export function judgeRequest(
  messages: ChatMessage[],
  prompt: JudgePrompt,
  structured: boolean,
): Pick<StreamRequest, 'messages' | 'temperature' | 'jsonSchema'> {
  return structured
    ? { messages, temperature: prompt.temperature, jsonSchema: judgeResponseFormat() }
    : { messages, temperature: prompt.temperature };
}

class SampleFailure extends Error {}

const HOPELESS: ReadonlySet<ProviderError['kind']> = new Set(['auth', 'not-found', 'bad-request']);

/** ~8,700 rather than 8,693: the count is an estimate. */
function roundTokens(n: number): number {
  return n >= 1000 ? Math.round(n / 100) * 100 : n;
}

export async function runJudge(input: GradeInput, provider: Provider, options: RunJudgeOptions): Promise<JudgeResult> {
  const samples = Math.max(1, Math.floor(options.samples ?? 1));
  const prompt = options.prompt ?? (await loadJudgePrompt());
  const nonce = options.nonce ?? randomNonce;
  const signal = options.signal;
  let structured = options.structured !== false && !noStructuredOutput.has(provider);

  const ask = async (messages: ChatMessage[]): Promise<string> => {
    let fellBack = false;
    if (structured) {
      try {
        const reply = await collect(provider.stream({ ...judgeRequest(messages, prompt, true), signal }));
        return reply.text;
      } catch (error) {
        // The endpoint refused the request as such (response_format unsupported): ask for plain JSON.
        if (!(error instanceof ProviderError) || error.kind !== 'bad-request' || error instanceof StreamInterruptedError) {
          throw error;
        }
        structured = false;
        fellBack = true;
      }
    }
    const reply = await collect(provider.stream({ ...judgeRequest(messages, prompt, false), signal }));
    // Remembered only once the plain request worked: a 400 for another reason fails both ways.
    if (fellBack) noStructuredOutput.add(provider);
    return reply.text;
  };

  // The facts go into the prompt, so they come first (CPU work, done once for every sample).
  const facts = options.facts(input);

  // A prompt longer than the model's context would be silently truncated by the server
  // (Ollama keeps the end): refuse it with a clear reason instead of grading half a prompt.
  if (provider.contextTokens) {
    const estimated = estimateMessageTokens(judgeMessages(input, facts, { prompt, nonce: nonce(), evidenceLimits: options.evidenceLimits }));
    if (estimated > provider.contextTokens) {
      const reason = `the judge prompt is ~${roundTokens(estimated).toLocaleString('en-US')} tokens, more than the model's ${provider.contextTokens.toLocaleString('en-US')}-token context${provider.contextSource ? ` (${provider.contextSource})` : ''}; use a model with a longer context or --grader evidence`;
      throw new JudgeError(reason, [reason]);
    }
  }

  const judgeOnce = async (): Promise<Sample> => {
    const messages = judgeMessages(input, facts, { prompt, nonce: nonce(), evidenceLimits: options.evidenceLimits });
    const reply = await ask(messages);
    const first = parseJudgeReply(reply);
    if (first.ok) return { answer: first.answer, repaired: false };
    const repairMessages: ChatMessage[] = [
      ...messages,
      { role: 'assistant', content: reply },
      {
        role: 'user',
        content: `${REPAIR_INSTRUCTIONS}\n${first.errors.map((e) => `- ${e}`).join('\n')}\nReply with the corrected JSON object only: no prose, no code fences.`,
      },
    ];
    const second = parseJudgeReply(await ask(repairMessages));
    if (second.ok) return { answer: second.answer, repaired: true };
    throw new SampleFailure(`no valid JSON after one repair round (${second.errors.slice(0, 3).join('; ')})`);
  };

  const outcomes: JudgeOutcome[] = [];
  for (let i = 0; i < samples; i++) {
    try {
      outcomes.push(await judgeOnce());
    } catch (error) {
      if (error instanceof AbortedError || signal?.aborted) throw error instanceof AbortedError ? error : new AbortedError('');
      outcomes.push({ failure: error instanceof Error ? error.message : String(error), cause: error });
      // Wrong key, unknown model, a request the endpoint refuses: another sample would fail the same way.
      if (error instanceof ProviderError && HOPELESS.has(error.kind)) break;
    }
  }

  return judgeResultFrom(input, facts, outcomes, { samples, label: provider.label });
}

/** One sample's outcome: a checked answer (repaired or not), or why there is none. */
export type JudgeOutcome = Sample | { failure: string; cause: unknown };

/**
 * The judgement from the samples' outcomes: quotes checked against the transcript, dimensions
 * combined, the evidence grader's result where the judge gives none. Throws JudgeError when no
 * sample is usable. Shared by the interactive judge and the Batch API (grading/batch-api/).
 */
export function judgeResultFrom(
  input: GradeInput,
  facts: JudgeFacts,
  outcomes: JudgeOutcome[],
  { samples, label: providerLabel }: { samples: number; label: string },
): JudgeResult {
  const label = (i: number) => (samples > 1 ? `judge sample ${i + 1}/${samples}` : 'judge');
  const flags: Flag[] = [];
  const good: { sample: Sample; index: number }[] = [];
  outcomes.forEach((outcome, index) => {
    if ('failure' in outcome) flags.push({ kind: 'judge-sample-failed', message: `${label(index)} failed: ${outcome.failure}` });
    else good.push({ sample: outcome, index });
  });
  if (good.length === 0) {
    const failures = outcomes.map((o, i) => `${label(i)}: ${'failure' in o ? o.failure : ''}`);
    const first = outcomes[0] as { cause: unknown };
    throw new JudgeError(
      `The LLM judge (${providerLabel}) gave no usable answer${samples > 1 ? ` in ${samples} samples` : ''}: ${failures.join('; ')}`,
      failures,
      { cause: first.cause },
    );
  }

  const matcher = new QuoteMatcher(turnsOf(input.transcript));
  const judged = good.map(({ sample, index }) => {
    const prefix = samples > 1 ? `${label(index)}: ` : '';
    if (sample.repaired) flags.push({ kind: 'judge-repaired', message: `${label(index)}: the first reply did not match the answer format; repaired in a second round` });
    return checkSample(input, sample.answer, matcher, prefix, flags, facts.dimensions);
  });

  const mode = input.transcript.meta.mode;
  const dimensions: Record<string, DimensionResult> = {};
  const graders: Record<string, DimensionGrader> = {};
  const fellBack: string[] = [];
  for (const dimension of input.rubric.dimensions) {
    const combined = combine(
      judged.map((j) => j.dimensions[dimension.id]!),
      samples > 1,
    );
    const fallback = facts.dimensions?.[dimension.id];
    if (combined.score === null && appliesTo(dimension, mode) && fallback && fallback.score !== null) {
      const ungrounded = judged.some((j) => j.ungrounded.has(dimension.id));
      const why = ungrounded ? 'none of the quotes the judge cited are the candidate’s words' : 'the judge gave no score';
      dimensions[dimension.id] = {
        ...fallback,
        notes: [`the evidence grader’s score: ${why}`, ...fallback.notes, ...combined.notes.filter((n) => n !== NO_SCORE)],
        ...(combined.samples ? { samples: combined.samples } : {}),
      };
      graders[dimension.id] = 'evidence';
      fellBack.push(`${dimension.id} (${why})`);
    } else {
      dimensions[dimension.id] = combined;
      graders[dimension.id] = 'llm';
    }
  }
  if (fellBack.length > 0) {
    flags.push({ kind: 'judge-fallback', message: `the evidence grader’s score is used for ${fellBack.join(', ')}` });
  }
  const representative = mostTypical(judged, dimensions);
  return {
    graders,
    analysis: {
      dimensions,
      time: facts.time,
      pushbacks: facts.pushbacks,
      estimates: facts.estimates,
      // The judge's own evidence checks replace the evidence grader's opinions; its facts' flags stay.
      flags: [...facts.flags.filter((f: Flag) => f.kind !== 'invented-quote'), ...flags],
    },
    strengths: dedupe(representative.strengths),
    toExpand: dedupe(representative.toExpand),
  };
}

const NO_SCORE = 'the judge gave no score for this dimension';

interface CheckedSample {
  dimensions: Record<string, DimensionResult>;
  /** Dimensions scored only with quotes that were dropped (invented, or not the candidate's). */
  ungrounded: Set<string>;
  strengths: string[];
  toExpand: string[];
}

const ellipsise = (text: string, max = 120) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/**
 * One judge answer, checked against the rubric and the transcript. With `fallback` (the evidence
 * grader's results), a score resting only on quotes that were dropped is no score: the caller
 * uses the evidence grader's instead. Without it, the score stands with the drops noted.
 */
function checkSample(
  input: GradeInput,
  answer: JudgeAnswer,
  matcher: QuoteMatcher,
  prefix: string,
  flags: Flag[],
  fallback?: Record<string, DimensionResult>,
): CheckedSample {
  const ungrounded = new Set<string>();
  const mode = input.transcript.meta.mode;
  const known = new Map<string, Dimension>(input.rubric.dimensions.map((d) => [d.id, d]));
  const byId = new Map<string, JudgeAnswer['dimensions'][number]>();
  for (const entry of answer.dimensions) {
    if (!known.has(entry.id)) {
      flags.push({ kind: 'judge-repaired', message: `${prefix}ignored a score for unknown dimension "${ellipsise(entry.id, 60)}"` });
      continue;
    }
    if (byId.has(entry.id)) {
      flags.push({ kind: 'judge-repaired', message: `${prefix}dimension "${entry.id}" was scored twice; the first score is used` });
      continue;
    }
    byId.set(entry.id, entry);
  }

  const dimensions: Record<string, DimensionResult> = {};
  for (const dimension of input.rubric.dimensions) {
    if (!appliesTo(dimension, mode)) {
      dimensions[dimension.id] = { score: null, evidence: [], missing: [], notes: [`does not apply to a ${mode}`] };
      continue;
    }
    const entry = byId.get(dimension.id);
    if (!entry) {
      dimensions[dimension.id] = { score: null, evidence: [], missing: [], notes: [NO_SCORE] };
      continue;
    }
    const notes: string[] = [];
    const evidence: Evidence[] = [];
    const seen = new Set<string>();
    for (const cited of entry.evidence) {
      const match = matcher.match(cited.quote, cited.turn);
      if (match.status === 'found') {
        const key = evidenceKey(match.evidence);
        if (!seen.has(key)) {
          seen.add(key);
          evidence.push(match.evidence);
        }
      } else if (match.status === 'not-candidate') {
        const quote = ellipsise(cited.quote.trim());
        flags.push({
          kind: 'invented-quote',
          message: `${prefix}${dimension.id}: dropped "${quote}": it is from the ${match.role} (turn ${match.turn}), not the candidate`,
        });
        notes.push(`dropped a quote that is not the candidate's words: "${quote}"`);
      } else if (match.status === 'invented') {
        const quote = ellipsise(cited.quote.trim());
        flags.push({ kind: 'invented-quote', message: `${prefix}${dimension.id}: dropped invented quote "${quote}" (not in the transcript)` });
        notes.push(`dropped an invented quote: "${quote}"`);
      }
    }
    const rationale = entry.rationale.trim();
    let score = entry.score === null ? null : roundScore(entry.score);
    if (score !== null && entry.evidence.length > 0 && evidence.length === 0 && fallback?.[dimension.id]) {
      ungrounded.add(dimension.id);
      notes.unshift(`the judge’s score ${score.toFixed(1)} was set aside: none of its quotes are the candidate’s words`);
      score = null;
    }
    if (entry.score === null) notes.unshift(NO_SCORE);
    dimensions[dimension.id] = {
      score,
      evidence,
      missing: dedupe(entry.missing),
      notes: rationale ? [rationale, ...notes] : notes,
    };
  }
  return { dimensions, ungrounded, strengths: answer.strengths, toExpand: answer.to_expand };
}

function roundScore(score: number): number {
  return Math.min(5, Math.max(1, Math.round(score * 10) / 10));
}

export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const value = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return Math.round(value * 10) / 10;
}

/** Several samples of one dimension → median score, spread, merged evidence / missing / notes. */
function combine(results: DimensionResult[], withSamples: boolean): DimensionResult {
  if (results.length === 1 && !withSamples) return results[0]!;
  const scores = results.map((r) => r.score);
  const numbers = scores.filter((s): s is number => s !== null);
  const mid = median(numbers);
  const spread = numbers.length > 0 ? Math.round((Math.max(...numbers) - Math.min(...numbers)) * 10) / 10 : null;
  const evidence: Evidence[] = [];
  const seen = new Set<string>();
  for (const item of results.flatMap((r) => r.evidence)) {
    const key = evidenceKey(item);
    if (seen.has(key)) continue;
    seen.add(key);
    evidence.push(item);
  }
  return {
    score: mid,
    evidence,
    missing: dedupe(results.flatMap((r) => r.missing)),
    notes: dedupe(results.flatMap((r) => r.notes)),
    samples: { scores, median: mid, spread },
  };
}

/** The sample whose scores are closest to the medians: its strengths and to-expand lists are reported. */
function mostTypical(judged: CheckedSample[], combined: Record<string, DimensionResult>): CheckedSample {
  let best = judged[0]!;
  let bestDistance = Infinity;
  for (const sample of judged) {
    let distance = 0;
    for (const [id, result] of Object.entries(combined)) {
      const own = sample.dimensions[id]?.score ?? null;
      if (result.score !== null && own !== null) distance += Math.abs(own - result.score);
      else if (result.score !== own) distance += 1;
    }
    if (distance < bestDistance) {
      best = sample;
      bestDistance = distance;
    }
  }
  return best;
}

function dedupe(items: string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const item of items) {
    const trimmed = item.trim();
    const key = trimmed.toLowerCase().replace(/\s+/g, ' ');
    if (!trimmed || seen.has(key)) continue;
    seen.add(key);
    out.push(trimmed);
  }
  return out;
}
