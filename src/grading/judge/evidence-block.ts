// The EVIDENCE data block: what the evidence grader verified, handed to the judge as facts.
// Arithmetic and reference checks of each estimate, minutes per phase, the pushback table with
// its outcomes, the flags, and per dimension the evidence grader's score with a few verbatim
// candidate quotes (turn numbers). Compact text, one fact a line, capped (lines, quotes, a
// token budget): the judge reads it beside the transcript, not instead of it.
import type { EstimateRow, Evidence, Flag, PushbackRow, TimeReport } from '../../schemas/report.js';
import type { Rubric } from '../../schemas/rubric.js';
import type { Mode } from '../../schemas/transcript.js';
import { estimateTokens } from '../../llm/tokens.js';
import type { DimensionResult } from '../types.js';

export interface EvidenceFacts {
  time: TimeReport;
  pushbacks: PushbackRow[];
  estimates: EstimateRow[];
  flags: Flag[];
  /** The evidence grader's per-dimension results; absent when only the facts are known. */
  dimensions?: Record<string, DimensionResult>;
}

export interface EvidenceBlockLimits {
  /** Quotes shown per dimension. */
  quotesPerDimension: number;
  /** Characters of a quote, an answer or a detail before it is cut with "…". */
  quoteChars: number;
  estimates: number;
  pushbacks: number;
  flags: number;
  /** Estimated tokens for the whole block (src/llm/tokens.ts); lines past it are left out and counted. */
  maxTokens: number;
}

export const EVIDENCE_BLOCK_LIMITS: EvidenceBlockLimits = {
  quotesPerDimension: 3,
  quoteChars: 120,
  estimates: 10,
  pushbacks: 6,
  flags: 6,
  maxTokens: 3000,
};

/** Whitespace collapsed, cut at a word boundary with "…" past `max` characters. */
export function clip(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** toLocaleString builds a number formatter on every call (most of the EVIDENCE block's time): one, kept. */
let grouped: Intl.NumberFormat | null = null;

/** A figure as a reader checks it: grouped digits below a million, else mantissa e exponent. */
export function formatFigure(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (abs !== 0 && (abs >= 1e6 || abs < 0.01)) {
    const [mantissa, exponent] = value.toExponential(2).split('e');
    return `${Number(mantissa)}e${exponent!.replace('+', '')}`;
  }
  grouped ??= new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
  return grouped.format(Number(value.toPrecision(4)));
}

const quoted = (evidence: Evidence, max: number) => `[turn ${evidence.turn}] "${clip(evidence.quote, max)}"`;

interface Section {
  title: string;
  lines: string[];
  /** Items beyond the section's cap, reported as "(N more not shown)". */
  hidden: number;
}

function capped<T>(items: T[], cap: number, render: (item: T) => string): { lines: string[]; hidden: number } {
  return { lines: items.slice(0, cap).map(render), hidden: Math.max(0, items.length - cap) };
}

function timeSection(time: TimeReport): Section {
  const head = `total ${formatFigure(time.totalMinutes)} min${time.estimated ? ' (estimated from word counts: no clock)' : ''}`;
  const phases = time.phases.map(
    (p) => `${p.phase}: ${formatFigure(p.minutes)} min of a ${formatFigure(p.budgetMinutes)} min budget (${p.verdict})`,
  );
  return { title: 'TIME PER PHASE', lines: [head, ...phases], hidden: 0 };
}

function estimateLine(e: EstimateRow, limits: EvidenceBlockLimits): string {
  const reference = e.reference ? `reference ${e.reference} = ${e.referenceValue === null ? '?' : formatFigure(e.referenceValue)}` : 'no reference';
  return `[turn ${e.turn}] ${e.verdict}: figure ${formatFigure(e.value)} ${e.unit}; ${reference}; ${clip(e.detail, limits.quoteChars)}`;
}

function pushbackLine(p: PushbackRow, limits: EvidenceBlockLimits): string {
  const outcome = p.label ?? 'unanswered';
  const answer = p.answer === null ? '' : ` answer "${clip(p.answer, limits.quoteChars)}";`;
  return `[turn ${p.turn}] ${outcome} on ${clip(p.topic, 60)}: challenge "${clip(p.challenge, limits.quoteChars)}";${answer} why: ${clip(p.reason, limits.quoteChars)}`;
}

function dimensionLines(rubric: Rubric, mode: Mode, dimensions: Record<string, DimensionResult>, limits: EvidenceBlockLimits): string[] {
  const lines: string[] = [];
  for (const d of rubric.dimensions) {
    const r = dimensions[d.id];
    if (!r || !d.modes.includes(mode)) continue;
    const score = r.score === null ? 'n/a' : r.score.toFixed(1);
    const quotes = r.evidence.slice(0, limits.quotesPerDimension).map((e) => quoted(e, limits.quoteChars));
    lines.push(`${d.id} ${score}: ${quotes.length ? quotes.join(' ') : '(no quotes)'}`);
  }
  return lines;
}

/**
 * The block's content (not yet delimited). Sections in order of how much the judge needs them;
 * once the token budget is spent, the remaining lines are left out and their count said.
 */
export function renderEvidence(
  facts: EvidenceFacts,
  rubric: Rubric,
  mode: Mode,
  limits: EvidenceBlockLimits = EVIDENCE_BLOCK_LIMITS,
): string {
  const sections: Section[] = [
    timeSection(facts.time),
    { title: 'ESTIMATES (each figure: arithmetic and reference checks)', ...capped(facts.estimates, limits.estimates, (e) => estimateLine(e, limits)) },
    { title: 'PUSHBACKS (interviewer challenge and its outcome)', ...capped(facts.pushbacks, limits.pushbacks, (p) => pushbackLine(p, limits)) },
  ];
  if (facts.dimensions) {
    sections.push({
      title: 'EVIDENCE GRADER SCORES (rule-based; quotes verbatim from candidate turns)',
      lines: dimensionLines(rubric, mode, facts.dimensions, limits),
      hidden: 0,
    });
  }
  sections.push({ title: 'FLAGS', ...capped(facts.flags, limits.flags, (f) => `${f.kind}: ${clip(f.message, limits.quoteChars)}`) });

  const out: string[] = [];
  let tokens = 0;
  let omitted = 0;
  const add = (line: string): boolean => {
    const cost = estimateTokens(line) + 1;
    if (tokens + cost > limits.maxTokens) return false;
    out.push(line);
    tokens += cost;
    return true;
  };
  for (const section of sections) {
    if (omitted > 0) {
      omitted += section.lines.length + 1;
      continue;
    }
    if (!add(`## ${section.title}`)) {
      omitted += section.lines.length + 1;
      continue;
    }
    if (section.lines.length === 0) add('(none)');
    for (const [i, line] of section.lines.entries()) {
      if (!add(line)) {
        omitted += section.lines.length - i;
        break;
      }
    }
    if (section.hidden > 0 && omitted === 0) add(`(${section.hidden} more not shown)`);
  }
  if (omitted > 0) out.push(`(${omitted} more lines left out to keep this block short)`);
  return out.join('\n');
}
