// The interviewer corpus (test/interview/corpus/*.yaml, described in its README): scripted
// exchanges a coach can read, each with the behaviour expected of a demanding interviewer who
// follows the argument. Every case runs through the engine; cases marked `cli: true` also run
// through `sdcoach practice --script`, as a user would.
import { readFileSync, readdirSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { pushbackOutcomes } from '../../src/interview/engine/index.js';
import type { Move } from '../../src/interview/engine/types.js';
import type { LoadedProblem } from '../../src/schemas/problem.js';
import type { Level } from '../../src/schemas/transcript.js';
import { tempHome } from '../support/env.js';
import { runCli } from '../support/run-cli.js';
import { MINUTE, packagedProblems, play, questionsIn, setupFor } from './engine/support.js';

interface Expect {
  never?: string[];
  /** `never` applies from the reply to this turn on (1-based; default 1). */
  never_from?: number;
  last?: string[];
  last_not?: string[];
  last_kind?: string;
  last_phase?: string;
  any?: string[];
  outcomes?: [string, string][];
  no_close?: boolean;
  no_repeat?: boolean;
}

interface Case {
  name: string;
  problem: string;
  level?: Level;
  start?: number;
  gap?: number;
  repeat?: number;
  cli?: boolean;
  turns: string[];
  expect: Expect;
  file: string;
}

const DIR = path.join(import.meta.dirname, 'corpus');
const cases: Case[] = readdirSync(DIR)
  .filter((f) => f.endsWith('.yaml'))
  .sort()
  .flatMap((file) => (parse(readFileSync(path.join(DIR, file), 'utf8')) as Omit<Case, 'file'>[]).map((c) => ({ ...c, file })));

let problems: Map<string, LoadedProblem>;
beforeAll(async () => {
  problems = await packagedProblems();
});

const has = (text: string, needle: string) => text.toLowerCase().includes(needle.toLowerCase());

/** Repeated interviewer questions (the last closing line may repeat). */
function repeatedQuestions(replies: Move[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const move of replies) {
    if (move.kind === 'close') continue;
    for (const q of questionsIn(move.text)) {
      if (seen.has(q)) out.push(q);
      seen.add(q);
    }
  }
  return out;
}

function checkReplies(c: Case, replies: { text: string }[]): void {
  const e = c.expect;
  const last = replies[replies.length - 1]!.text;
  for (const needle of e.never ?? []) {
    for (const r of replies.slice((e.never_from ?? 1) - 1)) expect(has(r.text, needle), `never "${needle}" in: ${r.text}`).toBe(false);
  }
  for (const needle of e.last ?? []) expect(has(last, needle), `"${needle}" in the last reply: ${last}`).toBe(true);
  for (const needle of e.last_not ?? []) expect(has(last, needle), `not "${needle}" in the last reply: ${last}`).toBe(false);
  if (e.any) expect(replies.some((r) => e.any!.some((n) => has(r.text, n))), `one of ${e.any.join(' | ')} in the replies`).toBe(true);
}

describe('interviewer corpus', () => {
  it('has at least 40 cases, each with an expectation', () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
    for (const c of cases) expect(Object.keys(c.expect ?? {}).length, c.name).toBeGreaterThan(0);
  });

  for (const c of cases) {
    it(`${c.file}: ${c.name}`, () => {
      const problem = problems.get(c.problem);
      expect(problem, `problem ${c.problem}`).toBeDefined();
      const setup = setupFor(problem!, { level: c.level ?? 'L5' });
      const texts = Array.from({ length: c.repeat ?? 1 }, () => c.turns).flat();
      const start = (c.start ?? 3) * MINUTE;
      const gap = (c.gap ?? 1) * MINUTE;
      const { turns, moves } = play(
        setup,
        texts.map((text, i) => ({ text, atMs: Math.round(start + i * gap) })),
      );
      const replies = moves.slice(1);
      checkReplies(c, replies);
      const e = c.expect;
      const lastMove = replies[replies.length - 1]!;
      if (e.last_kind) expect(lastMove.kind, lastMove.text).toBe(e.last_kind);
      if (e.last_phase) expect(lastMove.phase, lastMove.text).toBe(e.last_phase);
      if (e.outcomes) expect(pushbackOutcomes(setup, turns).map((o) => [o.topic, o.label])).toEqual(e.outcomes);
      if (e.no_repeat) expect(repeatedQuestions(replies)).toEqual([]);
      if (e.no_close) {
        const early = replies.filter((m, i) => m.kind === 'close' && start + i * gap < setup.minutes * MINUTE);
        expect(early.map((m) => m.text)).toEqual([]);
        for (const m of replies) expect(m.text).not.toMatch(/That's time|Nothing more from me/);
      }
    });
  }

  const cliCases = cases.filter((c) => c.cli);
  it('marks at least five cases to run through practice --script', () => expect(cliCases.length).toBeGreaterThanOrEqual(5));
  for (const c of cliCases) {
    it(`practice --script: ${c.name}`, async () => {
      const home = await tempHome('sdcoach-corpus-');
      try {
        await mkdir(home.dir, { recursive: true });
        const script = path.join(home.dir, 'script.txt');
        await writeFile(script, `${c.turns.join('\n\n')}\n`);
        const result = await runCli(['practice', c.problem, '--script', script, '--seed', '1'], { SDCOACH_HOME: home.dir });
        expect(result.code, result.stderr).toBe(0);
        // The interviewer's lines between the candidate's ("Interviewer: …" up to the next speaker).
        const replies = [...result.stdout.matchAll(/^Interviewer: ([\s\S]*?)(?=^You: |^Interviewer: |^\S+\.jsonl — |\n\n\n)/gm)].map((m) => ({ text: m[1]!.trim() }));
        // The opening is the first; the rest answer the script's turns.
        expect(replies.length, result.stdout).toBeGreaterThanOrEqual(c.turns.length + 1);
        checkReplies(c, replies.slice(1, c.turns.length + 1));
      } finally {
        await home.cleanup();
      }
    });
  }
});
