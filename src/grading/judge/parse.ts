// From a model's reply to a checked JudgeAnswer. Models without structured output wrap JSON in
// code fences, lead with prose ("Here is the evaluation:") or trail a remark; the object is
// dug out of all that before zod checks it.
import { JudgeAnswer } from './schema.js';

export type ExtractResult = { ok: true; value: unknown } | { ok: false; error: string };

function tryParse(text: string): { ok: true; value: unknown } | null {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return null;
  }
}

/** The end (exclusive) of the balanced `{…}` starting at `start`, strings respected; -1 if unbalanced. */
function balancedEnd(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{') depth++;
    else if (c === '}') {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}

const FENCE = /```[ \t]*([A-Za-z0-9_-]*)[^\n]*\n([\s\S]*?)```/g;
const MAX_STARTS = 50;

/** The JSON object in a reply: the whole reply, a fenced block, or the first balanced `{…}` that parses. */
export function extractJsonObject(reply: string): ExtractResult {
  const text = reply.replace(/^\uFEFF/, '').trim();
  if (text === '') return { ok: false, error: 'the reply was empty' };
  const whole = tryParse(text);
  if (whole && isObject(whole.value)) return whole;

  for (const match of text.matchAll(FENCE)) {
    const fenced = match[2]!.trim();
    const parsed = tryParse(fenced);
    if (parsed && isObject(parsed.value)) return parsed;
    const inner = firstObject(fenced);
    if (inner?.ok) return inner;
  }
  return firstObject(text) ?? { ok: false, error: 'no JSON object found in the reply' };
}

/**
 * The first balanced `{…}` that parses to an object. Only a `{` followed by `"` or `}` can open
 * JSON, which skips braces in prose; a JSON-looking `{` that never closes means the reply was cut
 * off, and every later `{` is nested inside it, so the search stops there.
 */
function firstObject(text: string): ExtractResult | null {
  let from = 0;
  for (let tries = 0; tries < MAX_STARTS; tries++) {
    const start = text.indexOf('{', from);
    if (start < 0) return null;
    from = start + 1;
    if (!/^\{\s*["}]/.test(text.slice(start, start + 64))) continue;
    const end = balancedEnd(text, start);
    if (end < 0) return { ok: false, error: 'the JSON object is incomplete (the reply was cut off?)' };
    const parsed = tryParse(text.slice(start, end));
    if (parsed && isObject(parsed.value)) return parsed;
  }
  return null;
}

function isObject(value: unknown): boolean {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export type ParseResult = { ok: true; answer: JudgeAnswer } | { ok: false; errors: string[] };

const MAX_ISSUES = 20;

/** Extract and check a judge reply; errors are short lines to show the model in a repair round. */
export function parseJudgeReply(reply: string): ParseResult {
  const extracted = extractJsonObject(reply);
  if (!extracted.ok) return { ok: false, errors: [extracted.error] };
  const checked = JudgeAnswer.safeParse(extracted.value);
  if (checked.success) return { ok: true, answer: checked.data };
  const issues = checked.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
  const errors = issues.slice(0, MAX_ISSUES);
  if (issues.length > MAX_ISSUES) errors.push(`…and ${issues.length - MAX_ISSUES} more problems`);
  return { ok: false, errors };
}
