// System prompts for model providers: prompts/interviewer.md (the interviewer persona) and
// prompts/monologue-evaluator.md (the adversarial replay after a monologue). Markdown with YAML
// front-matter (name, version, description, variables) and a body with {{placeholders}} filled
// from the problem file, so a model interviewer asks about the same facts, deep dives and
// pushbacks as the builtin one. Mirrors grading/judge/judge-prompt.ts: loaded once per process
// per file; a placeholder the renderer does not fill is an error naming file:line:column, found
// at load time rather than sent to a model as literal braces.
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { LoadedProblem } from '../schemas/problem.js';
import type { Level, Mode } from '../schemas/transcript.js';
import { packagedDirs } from '../storage/paths.js';
import { splitFrontMatter } from '../storage/yaml-file.js';
import { SdcoachError } from '../errors.js';

export type PersonaKind = 'interviewer' | 'monologue-evaluator';

/** The placeholders each prompt may use: exactly what its renderer fills. */
export const PERSONA_VARIABLES: Record<PersonaKind, readonly string[]> = {
  interviewer: [
    'title', 'difficulty', 'statement', 'mode', 'mode_rules', 'minutes', 'level_target', 'level_guidance',
    'time_status', 'phase_plan', 'fact_sheet', 'reference_estimates', 'components', 'deep_dives', 'pushbacks',
  ],
  'monologue-evaluator': [
    'title', 'difficulty', 'statement', 'mode', 'minutes', 'level_target', 'level_guidance', 'time_status',
    'fact_sheet', 'reference_estimates', 'components', 'deep_dives', 'pushbacks',
  ],
};

const PersonaMeta = z
  .object({
    name: z.string().min(1),
    version: z.union([z.string().min(1), z.number()]).transform(String),
    description: z.string().min(1),
    /** Placeholder name → what it holds (documentation; checked against the renderer's set). */
    variables: z.record(z.string(), z.string()).default({}),
  })
  .strict();

export interface PersonaPrompt {
  kind: PersonaKind;
  name: string;
  version: string;
  description: string;
  variables: Record<string, string>;
  /** The markdown body with its placeholders. */
  body: string;
  file: string;
}

export class PersonaPromptError extends SdcoachError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, 1, options);
    this.name = 'PersonaPromptError';
  }
}

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** 1-based line and column of `offset` in `text`. */
function position(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - (before.lastIndexOf('\n') + 1) + 1 };
}

/**
 * Parse a persona prompt's text as if read from `file`. Throws PersonaPromptError listing every
 * problem as `file:line:column: message` (lines of the whole file).
 */
export function parsePersonaPrompt(text: string, file: string, kind: PersonaKind): PersonaPrompt {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const split = splitFrontMatter(source);
  if (split.frontMatter === null) {
    throw new PersonaPromptError(`${file}:1:1: expected YAML front-matter (name, version, description, variables) between --- lines`);
  }
  let data: unknown;
  try {
    data = parseYaml(split.frontMatter) ?? {};
  } catch (error) {
    throw new PersonaPromptError(`${file}:${split.frontMatterLine}:1: front-matter is not valid YAML: ${(error as Error).message}`, { cause: error });
  }
  const meta = PersonaMeta.safeParse(data);
  if (!meta.success) {
    const issues = meta.error.issues.map((i) => `${i.path.join('.') || '(front-matter)'}: ${i.message}`).join('; ');
    throw new PersonaPromptError(`${file}:${split.frontMatterLine}:1: bad front-matter: ${issues}`);
  }

  const known = new Set(PERSONA_VARIABLES[kind]);
  const fmLines = split.frontMatter.split('\n');
  // The closing `---` is on line 1 + fmLines.length; the body starts on the next line.
  const bodyStartLine = 2 + fmLines.length;
  const errors: string[] = [];

  for (const name of Object.keys(meta.data.variables)) {
    if (known.has(name)) continue;
    const index = fmLines.findIndex((l) => new RegExp(`^\\s+${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*:`).test(l));
    const line = index >= 0 ? split.frontMatterLine + index : split.frontMatterLine;
    const column = index >= 0 ? fmLines[index]!.search(/\S/) + 1 : 1;
    errors.push(`${file}:${line}:${column}: variables.${name} is not a placeholder the ${kind} renderer fills (known: ${[...known].join(', ')})`);
  }

  const body = split.body;
  for (const match of body.matchAll(PLACEHOLDER)) {
    const name = match[1]!;
    const at = position(body, match.index);
    const where = `${file}:${bodyStartLine + at.line - 1}:${at.column}`;
    if (!known.has(name)) errors.push(`${where}: unknown placeholder {{${name}}} (known: ${[...known].join(', ')})`);
    else if (!(name in meta.data.variables)) errors.push(`${where}: placeholder {{${name}}} is not listed under variables in the front-matter`);
  }
  // `{{` with no closing `}}` (or a stray `}}`) would reach the model as literal braces.
  const stripped = body.replace(PLACEHOLDER, (m) => ' '.repeat(m.length));
  for (const stray of stripped.matchAll(/\{\{|\}\}/g)) {
    const at = position(stripped, stray.index);
    errors.push(`${file}:${bodyStartLine + at.line - 1}:${at.column}: unmatched "${stray[0]}" (placeholders look like {{name}})`);
  }
  if (body.trim() === '') errors.push(`${file}:${bodyStartLine}:1: the prompt body is empty`);
  if (errors.length > 0) throw new PersonaPromptError(errors.join('\n'));

  return { kind, ...meta.data, body, file };
}

export function defaultPersonaPromptFile(kind: PersonaKind): string {
  return path.join(packagedDirs().prompts, `${kind}.md`);
}

const cache = new Map<string, Promise<PersonaPrompt>>();

/** Load (once per process per file) and check a persona prompt; the packaged one by default. */
export function loadPersonaPrompt(kind: PersonaKind, file: string = defaultPersonaPromptFile(kind)): Promise<PersonaPrompt> {
  const key = `${kind}\0${path.resolve(file)}`;
  let loaded = cache.get(key);
  if (!loaded) {
    const resolved = path.resolve(file);
    loaded = readFile(resolved, 'utf8').then(
      (text) => parsePersonaPrompt(text, resolved, kind),
      (error: unknown) => {
        throw new PersonaPromptError(`cannot read the ${kind} prompt ${resolved}: ${(error as Error).message}`, { cause: error });
      },
    );
    // A failed load is not cached, so a fixed file is picked up on the next call.
    loaded.catch(() => cache.delete(key));
    cache.set(key, loaded);
  }
  return loaded;
}

/** Fill every placeholder in one pass (values are not re-scanned, so problem text with braces is safe). */
export function fillPersonaPrompt(prompt: PersonaPrompt, values: Record<string, string>): string {
  const missing = PERSONA_VARIABLES[prompt.kind].filter((name) => values[name] === undefined);
  if (missing.length > 0) throw new PersonaPromptError(`${prompt.file}: no value for ${missing.map((m) => `{{${m}}}`).join(', ')}`);
  return prompt.body.replace(PLACEHOLDER, (_, name: string) => values[name]!).trim() + '\n';
}

// ---------------------------------------------------------------------------------------------
// Values from the problem file

export interface InterviewerPromptOptions {
  mode: Mode;
  minutes: number;
  level: Level | null;
  /** Time since the session started; the prompt then says where the clock is. */
  elapsedMs?: number;
}

export interface EvaluatorPromptOptions {
  minutes: number;
  level: Level | null;
  /** How long the monologue actually ran. */
  elapsedMs?: number;
}

/** The phase budget of a 45-minute interview (PRODUCT.md), scaled to the session. */
const PHASES: { phase: string; minutes: number }[] = [
  { phase: 'clarify requirements', minutes: 5 },
  { phase: 'estimate', minutes: 5 },
  { phase: 'high-level design', minutes: 10 },
  { phase: 'deep dive', minutes: 20 },
  { phase: 'wrap-up', minutes: 5 },
];
const PHASE_TOTAL = PHASES.reduce((sum, p) => sum + p.minutes, 0);

function phaseBounds(minutes: number): { phase: string; from: number; to: number }[] {
  let cumulative = 0;
  return PHASES.map((p) => {
    const from = Math.round((cumulative / PHASE_TOTAL) * minutes);
    cumulative += p.minutes;
    return { phase: p.phase, from, to: Math.round((cumulative / PHASE_TOTAL) * minutes) };
  });
}

export function phasePlan(minutes: number): string {
  return phaseBounds(minutes)
    .map((b) => `${b.phase} ${b.from}–${b.to} min`)
    .join(', ');
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function interviewTimeStatus(minutes: number, elapsedMs: number | undefined): string {
  if (elapsedMs === undefined || elapsedMs <= 0) return 'The session is starting now: open with the problem and the time budget in a sentence or two, then let the candidate begin.';
  const elapsed = elapsedMs / 60_000;
  const used = Math.floor(elapsed);
  if (elapsed >= minutes) return `Time is up: ${plural(used, 'minute')} have passed. Ask for the wrap-up if you have not, then close.`;
  const left = Math.max(0, Math.ceil(minutes - elapsed));
  const phase = phaseBounds(minutes).find((b) => elapsed < b.to)?.phase ?? 'wrap-up';
  return `${plural(used, 'minute')} have passed and ${plural(left, 'minute')} are left; by the clock the candidate should be in the ${phase} phase.`;
}

function monologueTimeStatus(minutes: number, elapsedMs: number | undefined): string {
  if (elapsedMs === undefined) return 'The monologue has ended.';
  const used = Math.round(elapsedMs / 60_000);
  return `The monologue ran about ${plural(used, 'minute')} of the ${minutes}.`;
}

function modeRules(mode: Mode): string {
  if (mode === 'monologue') {
    return (
      'The candidate designs alone, out loud. Do not interrupt, probe or challenge while time remains; ' +
      'if they ask you something directly, answer a clarifying question from the fact sheet in one sentence and nothing more. ' +
      'When time is up, ask once for their wrap-up.'
    );
  }
  return 'A live conversation: you ask, probe and challenge as described below, one question at a time.';
}

function levelNumber(level: string): number | null {
  const match = /^L(\d+)$/i.exec(level);
  return match ? Number(match[1]) : null;
}

function levelTarget(level: Level | null): string {
  return level ?? 'not stated; pitch your questions at L5 and raise the bar if they are strong';
}

/** The expectations at the target level and the one above (what separates them), or all when no target. */
export function levelGuidance(problem: LoadedProblem, level: Level | null): string {
  const entries = Object.entries(problem.levels)
    .map(([key, text]) => ({ key, text, n: levelNumber(key) }))
    .sort((a, b) => (a.n ?? 0) - (b.n ?? 0));
  if (entries.length === 0) {
    return `The problem file gives no level expectations; judge by what you would expect of ${level ?? 'a mid-level (L5)'} engineer.`;
  }
  const lines = (list: typeof entries) => list.map((e) => `- ${e.key}: ${e.text}`).join('\n');
  const target = level ? levelNumber(level) : null;
  if (target === null) return lines(entries);
  const first = entries[0]!;
  if (first.n !== null && target < first.n) {
    return `${lines([first])}\n- ${level}: below ${first.key}; expect them to need guidance toward ${first.key}, but do not give answers.`;
  }
  const chosen = entries.filter((e) => e.n !== null && e.n >= target && e.n <= target + 1);
  if (chosen.length > 0) return lines(chosen);
  const top = entries[entries.length - 1]!;
  if (top.n !== null && target > top.n) {
    return `${lines([top])}\n- ${level}: all of ${top.key}, and they drive the whole discussion: they set the agenda, quantify every tradeoff before being asked, and go beyond the problem's obvious deep dives.`;
  }
  return lines(entries);
}

function factSheet(problem: LoadedProblem): string {
  if (problem.facts.length === 0) return '(No fact sheet: tell the candidate to state their assumptions.)';
  return problem.facts.map((f) => `- ${f.topic} (asked with words like: ${f.ask.join(', ')})\n  ${f.answer}`).join('\n');
}

function humanBytes(bytes: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB', 'PB', 'EB'];
  let value = bytes;
  let i = 0;
  while (value >= 1000 && i < units.length - 1) {
    value /= 1000;
    i++;
  }
  return `${value >= 100 || i === 0 ? Math.round(value) : Number(value.toPrecision(3))} ${units[i]}`;
}

function estimateValue(value: number, unit: LoadedProblem['reference_estimates'][number]['unit']): string {
  const n = value.toLocaleString('en-US');
  switch (unit) {
    case 'per_second':
      return `${n} per second`;
    case 'per_day':
      return `${n} per day`;
    case 'count':
      return n;
    case 'bytes':
      return humanBytes(value);
    case 'bytes_per_second':
      return `${humanBytes(value)}/s`;
    case 'milliseconds':
      return `${n} ms`;
  }
}

function referenceEstimates(problem: LoadedProblem): string {
  if (problem.reference_estimates.length === 0) return '(None given: check that their arithmetic is consistent with the facts.)';
  return problem.reference_estimates.map((e) => `- ${e.label}: about ${estimateValue(e.value, e.unit)}. Working: ${e.arithmetic}`).join('\n');
}

function components(problem: LoadedProblem): string {
  if (problem.components.length === 0) return '(None listed.)';
  return problem.components.map((c) => `- ${c.name}${c.synonyms.length > 0 ? ` (also: ${c.synonyms.join(', ')})` : ''}`).join('\n');
}

function deepDives(problem: LoadedProblem): string {
  if (problem.deep_dives.length === 0) return '(None listed: probe the riskiest component of their design.)';
  return problem.deep_dives.map((d) => `- ${d.topic}: ${d.prompt}`).join('\n');
}

function pushbacks(problem: LoadedProblem): string {
  if (problem.pushbacks.length === 0) return '(None listed: challenge any choice they make without a reason.)';
  return problem.pushbacks
    .map((p) => `- When they name: ${p.trigger.join(', ')}\n  Ask: ${p.question}\n  A good answer covers: ${p.expected}`)
    .join('\n');
}

function problemValues(problem: LoadedProblem, level: Level | null): Record<string, string> {
  return {
    title: problem.title,
    difficulty: problem.difficulty,
    statement: problem.statement,
    level_target: levelTarget(level),
    level_guidance: levelGuidance(problem, level),
    fact_sheet: factSheet(problem),
    reference_estimates: referenceEstimates(problem),
    components: components(problem),
    deep_dives: deepDives(problem),
    pushbacks: pushbacks(problem),
  };
}

/** Every value of the interviewer prompt, by placeholder name. */
export function interviewerPromptValues(problem: LoadedProblem, opts: InterviewerPromptOptions): Record<string, string> {
  return {
    ...problemValues(problem, opts.level),
    mode: opts.mode,
    mode_rules: modeRules(opts.mode),
    minutes: String(opts.minutes),
    time_status: interviewTimeStatus(opts.minutes, opts.elapsedMs),
    phase_plan: phasePlan(opts.minutes),
  };
}

/** Every value of the monologue evaluator prompt, by placeholder name. */
export function evaluatorPromptValues(problem: LoadedProblem, opts: EvaluatorPromptOptions): Record<string, string> {
  return {
    ...problemValues(problem, opts.level),
    mode: 'monologue',
    minutes: String(opts.minutes),
    time_status: monologueTimeStatus(opts.minutes, opts.elapsedMs),
  };
}

/** The interviewer system prompt for a model provider, filled from the problem. */
export async function renderInterviewerSystemPrompt(
  problem: LoadedProblem,
  opts: InterviewerPromptOptions,
  file?: string,
): Promise<string> {
  return fillPersonaPrompt(await loadPersonaPrompt('interviewer', file), interviewerPromptValues(problem, opts));
}

/** The monologue evaluator's system prompt; send the monologue after it with `monologueMessage`. */
export async function renderMonologueEvaluatorPrompt(
  problem: LoadedProblem,
  opts: EvaluatorPromptOptions,
  file?: string,
): Promise<string> {
  return fillPersonaPrompt(await loadPersonaPrompt('monologue-evaluator', file), evaluatorPromptValues(problem, opts));
}

/**
 * The user message carrying the monologue, between delimiter lines with a random nonce so the
 * monologue cannot close the block itself (the evaluator prompt treats the inside as data).
 */
export function monologueMessage(monologue: string, nonce: string = randomBytes(6).toString('hex')): string {
  return `<<<MONOLOGUE ${nonce}>>>\n${monologue.trim()}\n<<<END MONOLOGUE ${nonce}>>>`;
}
