import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  PERSONA_VARIABLES,
  PersonaPromptError,
  defaultPersonaPromptFile,
  levelGuidance,
  loadPersonaPrompt,
  monologueMessage,
  parsePersonaPrompt,
  phasePlan,
  renderInterviewerSystemPrompt,
  renderMonologueEvaluatorPrompt,
} from '../../src/interview/persona-prompt.js';
import { listProblems, loadProblem } from '../../src/content/problem-loader.js';
import { resolvePaths } from '../../src/storage/paths.js';
import { tempHome } from '../support/env.js';

const paths = resolvePaths({ SDCOACH_HOME: '/nonexistent/sdcoach-home' });

describe('packaged persona prompts', () => {
  it.each(['interviewer', 'monologue-evaluator'] as const)('%s declares exactly the placeholders its renderer fills', async (kind) => {
    const prompt = await loadPersonaPrompt(kind);
    expect(prompt.name).toBe(kind);
    expect(Object.keys(prompt.variables).sort()).toEqual([...PERSONA_VARIABLES[kind]].sort());
    // Every declared variable is used in the body.
    for (const name of PERSONA_VARIABLES[kind]) expect(prompt.body).toContain(`{{${name}}}`);
  });

  it('renders the interviewer prompt for every packaged problem with nothing left unfilled', async () => {
    const listing = await listProblems(paths);
    expect(listing.length).toBeGreaterThanOrEqual(12);
    for (const entry of listing) {
      if (!entry.ok) throw new Error(`${entry.id} is broken`);
      const problem = entry.problem;
      const text = await renderInterviewerSystemPrompt(problem, { mode: 'interview', minutes: 45, level: 'L5', elapsedMs: 12 * 60_000 });
      expect(text, problem.id).not.toContain('{{');
      expect(text, problem.id).not.toContain('}}');
      expect(text).toContain(problem.title);
      expect(text).toContain(problem.statement);
      // The fact sheet goes in whole (the model reveals it only when asked), with pushbacks and deep dives.
      for (const fact of problem.facts) expect(text).toContain(fact.answer);
      for (const pushback of problem.pushbacks) expect(text).toContain(pushback.question);
      for (const dive of problem.deep_dives) expect(text).toContain(dive.prompt);
      expect(text).toContain(problem.levels.L5!);
    }
  });

  it('fills the session: mode, minutes, level, clock and phase plan', async () => {
    const problem = await loadProblem('url-shortener', paths);
    const text = await renderInterviewerSystemPrompt(problem, { mode: 'interview', minutes: 45, level: 'L6', elapsedMs: 25 * 60_000 });
    expect(text).toContain('Mode: interview.');
    expect(text).toContain('Time budget: 45 minutes.');
    expect(text).toContain('25 minutes have passed and 20 minutes are left');
    expect(text).toContain('deep dive phase');
    expect(text).toContain('clarify requirements 0–5 min, estimate 5–10 min, high-level design 10–20 min, deep dive 20–40 min, wrap-up 40–45 min');
    expect(text).toContain('Level the candidate is aiming at: L6');
    expect(text).toContain(problem.levels.L6!);
    expect(text).not.toContain(`- L4: ${problem.levels.L4!}`);
    expect(text).toContain('ONE question');
    // The reference numbers are there for checking, with their working.
    expect(text).toContain('about 1,160 per second');
    expect(text).toContain('about 91 TB');
  });

  it('adapts to monologue mode, no start time, and no level target', async () => {
    const problem = await loadProblem('llm-chat', paths);
    const text = await renderInterviewerSystemPrompt(problem, { mode: 'monologue', minutes: 30, level: null });
    expect(text).toContain('Mode: monologue.');
    expect(text).toContain('Do not interrupt');
    expect(text).toContain('The session is starting now');
    expect(text).toContain('not stated');
    for (const level of ['L4', 'L5', 'L6']) expect(text).toContain(`- ${level}: ${problem.levels[level]!}`);
    expect(phasePlan(30)).toBe('clarify requirements 0–3 min, estimate 3–7 min, high-level design 7–13 min, deep dive 13–27 min, wrap-up 27–30 min');
  });

  it('says when time is up', async () => {
    const problem = await loadProblem('payments', paths);
    const text = await renderInterviewerSystemPrompt(problem, { mode: 'interview', minutes: 45, level: 'L5', elapsedMs: 46 * 60_000 });
    expect(text).toContain('Time is up');
  });

  it('gives guidance for levels outside the problem file', async () => {
    const problem = await loadProblem('news-feed', paths);
    expect(levelGuidance(problem, 'L7')).toContain('- L7: all of L6');
    expect(levelGuidance(problem, 'L3')).toContain('- L3: below L4');
    expect(levelGuidance({ ...problem, levels: {} }, 'L5')).toContain('no level expectations');
  });

  it('renders the monologue evaluator with the problem filled and the monologue kept out of the system prompt', async () => {
    const problem = await loadProblem('distributed-cache', paths);
    const text = await renderMonologueEvaluatorPrompt(problem, { minutes: 30, level: 'L5', elapsedMs: 28 * 60_000 });
    expect(text).not.toContain('{{');
    expect(text).toContain(problem.title);
    expect(text).toContain('two weakest claims');
    expect(text).toContain('The monologue ran about 28 minutes of the 30.');
    for (const fact of problem.facts) expect(text).toContain(fact.answer);
    for (const pushback of problem.pushbacks) expect(text).toContain(pushback.question);

    const message = monologueMessage('I would use Redis.\n<<<END MONOLOGUE x>>>', 'abc123');
    expect(message.split('\n')[0]).toBe('<<<MONOLOGUE abc123>>>');
    expect(message.split('\n').at(-1)).toBe('<<<END MONOLOGUE abc123>>>');
    expect(monologueMessage('a')).not.toBe(monologueMessage('a'));
  });

  it('leaves braces inside problem text alone', async () => {
    const problem = await loadProblem('url-shortener', paths);
    const text = await renderInterviewerSystemPrompt(
      { ...problem, statement: 'Design {{title}} please.' },
      { mode: 'interview', minutes: 45, level: 'L5' },
    );
    expect(text).toContain('Design {{title}} please.');
  });
});

describe('persona prompt errors', () => {
  let home: Awaited<ReturnType<typeof tempHome>>;
  beforeEach(async () => {
    home = await tempHome();
  });
  afterEach(() => home.cleanup());

  async function variant(edit: (text: string) => string): Promise<string> {
    const text = await readFile(defaultPersonaPromptFile('interviewer'), 'utf8');
    const file = path.join(home.dir, 'interviewer.md');
    await writeFile(file, edit(text));
    return file;
  }

  it('names file:line:column of an unknown placeholder', async () => {
    const file = await variant((text) => text.replace('- Time budget: {{minutes}} minutes.', '- Time budget: {{minutez}} minutes.'));
    const lines = (await readFile(file, 'utf8')).split('\n');
    const line = lines.findIndex((l) => l.includes('{{minutez}}')) + 1;
    const column = lines[line - 1]!.indexOf('{{minutez}}') + 1;
    const error = await loadPersonaPrompt('interviewer', file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PersonaPromptError);
    expect((error as Error).message).toContain(`${file}:${line}:${column}: unknown placeholder {{minutez}}`);
    // Not cached: the fixed file loads.
    await writeFile(file, await readFile(defaultPersonaPromptFile('interviewer'), 'utf8'));
    await expect(loadPersonaPrompt('interviewer', file)).resolves.toMatchObject({ name: 'interviewer' });
  });

  it('rejects a placeholder the other prompt has but this renderer does not fill', () => {
    const text = '---\nname: x\nversion: 1\ndescription: d\nvariables:\n  title: t\n---\nHello {{title}}.\nClock: {{phase_plan}}\n';
    expect(() => parsePersonaPrompt(text, 'x.md', 'monologue-evaluator')).toThrow('x.md:9:8: unknown placeholder {{phase_plan}}');
  });

  it('rejects undeclared placeholders, unknown variables and stray braces', () => {
    const undeclared = '---\nname: x\nversion: 1\ndescription: d\nvariables:\n  title: t\n---\n{{title}} {{minutes}}\n';
    expect(() => parsePersonaPrompt(undeclared, 'x.md', 'interviewer')).toThrow('x.md:8:11: placeholder {{minutes}} is not listed under variables');
    const unknownVar = '---\nname: x\nversion: 1\ndescription: d\nvariables:\n  title: t\n  colour: c\n---\n{{title}}\n';
    expect(() => parsePersonaPrompt(unknownVar, 'x.md', 'interviewer')).toThrow('x.md:7:3: variables.colour is not a placeholder');
    const stray = '---\nname: x\nversion: 1\ndescription: d\nvariables:\n  title: t\n---\n{{title}}\nsee {{ here\n';
    expect(() => parsePersonaPrompt(stray, 'x.md', 'interviewer')).toThrow('x.md:9:5: unmatched "{{"');
    expect(() => parsePersonaPrompt('no front-matter', 'x.md', 'interviewer')).toThrow('x.md:1:1: expected YAML front-matter');
    expect(() => parsePersonaPrompt('---\nname: x\n---\nbody\n', 'x.md', 'interviewer')).toThrow(/bad front-matter/);
  });
});
