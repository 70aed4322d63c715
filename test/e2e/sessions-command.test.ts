// `sdcoach sessions …` through the built CLI on a temp SDCOACH_HOME with real session files.
import { readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempHome } from '../support/env.js';
import { runCli } from '../support/run-cli.js';
import { writeSession } from '../sessions/support.js';

let home: Awaited<ReturnType<typeof tempHome>>;
let env: Record<string, string>;
let sessions: string;

beforeAll(async () => {
  home = await tempHome();
  env = { SDCOACH_HOME: home.dir, TZ: 'UTC' };
  process.env.SDCOACH_HOME = home.dir;
  sessions = path.join(home.dir, 'sessions');
  await writeSession(sessions, { id: '20261120-150000-abc111', started: '2026-11-20T15:00:00.000Z', grade: true });
  await writeSession(sessions, { id: '20261120-160000-abd222', started: '2026-11-20T16:00:00.000Z', from: 'strong-payments' });
  await writeSession(sessions, { id: '20261125-100000-mono01', started: '2026-11-25T10:00:00.000Z', from: 'mid-llm-chat', mode: 'monologue', grade: true });
  await writeFile(path.join(sessions, '20261126-000000-broken.jsonl'), 'this is not json\n');
});
afterAll(async () => {
  delete process.env.SDCOACH_HOME;
  await home.cleanup();
});

describe('sessions list', () => {
  it('lists newest first with grade columns, and the corrupted file with its reason (exit 1)', async () => {
    const result = await runCli(['sessions', 'list'], env);
    expect(result.code).toBe(1);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toMatch(/^ID\s+DATE\s+PROBLEM\s+MODE\s+PROVIDER\/MODEL\s+TIME\s+OVERALL\s+LEVEL$/);
    expect(lines[1]).toMatch(/^20261125-100000-mono01\s+2026-11-25 10:00\s+llm-chat\s+monologue\s+openai\/gpt-4.1-mini\s+44m\s+\d\.\d\d\s+L\d/);
    expect(lines[2]).toMatch(/^20261120-160000-abd222 .* payments .* –\s+–$/);
    expect(result.stdout).toMatch(/20261126-000000-broken\s+unreadable: line 1: not JSON/);
    expect(result.stdout).toMatch(/3 sessions, 1 unreadable/);
  });

  it('filters by --problem, --mode and --since, and gives the same rows as JSON', async () => {
    const json = await runCli(['sessions', 'list', '--json', '--mode', 'interview', '--since', '2026-11-20'], env);
    const rows = JSON.parse(json.stdout) as { id: string; ok: boolean; overall: number | null }[];
    expect(rows.map((r) => r.id)).toEqual(['20261120-160000-abd222', '20261120-150000-abc111']);
    expect(rows[1]!.overall).toEqual(expect.any(Number));
    const problem = await runCli(['sessions', 'list', '--json', '--problem', 'payments'], env);
    expect((JSON.parse(problem.stdout) as { id: string }[]).map((r) => r.id)).toEqual(['20261120-160000-abd222']);
    const since = await runCli(['sessions', 'list', '--since', '2026-11-24'], env);
    expect(since.stdout).toMatch(/mono01/);
    expect(since.stdout).not.toMatch(/abc111/);
  });

  it('refuses a --since it cannot read, and an unknown --mode, as usage errors', async () => {
    const bad = await runCli(['sessions', 'list', '--since', 'last tuesday'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--since "last tuesday" is not a date or a span; use a date/);
    expect((await runCli(['sessions', 'list', '--mode', 'chat'], env)).code).toBe(2);
  });

  it('says so when there are no sessions', async () => {
    const empty = await tempHome();
    const result = await runCli(['sessions', 'list'], { SDCOACH_HOME: empty.dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/No sessions in .* yet/);
    await empty.cleanup();
  });
});

describe('session IDs', () => {
  it('an ambiguous prefix is a usage error listing every match', async () => {
    const result = await runCli(['sessions', 'show', '20261120'], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/"20261120" is ambiguous; 2 sessions match/);
    expect(result.stderr).toMatch(/20261120-150000-abc111 .*url-shortener/);
    expect(result.stderr).toMatch(/20261120-160000-abd222 .*payments/);
  });

  it('an unknown ID is a usage error', async () => {
    const result = await runCli(['sessions', 'export', 'zzz'], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/no session matches "zzz"/);
  });
});

describe('sessions show and export', () => {
  it('show renders the transcript as markdown and the stored score card', async () => {
    const result = await runCli(['sessions', 'show', '20261120-15'], env);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/URL shortener.*— mock interview/);
    expect(result.stdout).toMatch(/Clarify requirements · 0:00/);
    expect(result.stdout).toMatch(/Candidate · \d+:\d\d/);
    expect(result.stdout).toMatch(/── Score card ──/);
    expect(result.stdout).toMatch(/Overall \d\.\d\d \/ 5/);
    expect(result.stdout).not.toMatch(/\*\*|\u001b\[/); // no raw markdown, no colour under NO_COLOR
    expect(result.stdout).not.toMatch(/Graded now/);
  });

  it('show grades a session without a stored grade now, and says so', async () => {
    const result = await runCli(['sessions', 'show', '20261120-16'], env);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Graded now by the evidence grader/);
  });

  it('exports md as a clean document, json with every event, txt that grade reads back', async () => {
    const md = await runCli(['sessions', 'export', '20261120-15', '--format', 'md'], env);
    expect(md.code).toBe(0);
    expect(md.stdout).toMatch(/^# .* — mock interview\n/);
    expect(md.stdout).toMatch(/\n## Transcript\n/);
    expect(md.stdout).toMatch(/\n## Score card\n/);
    expect(md.stdout).not.toContain(home.dir); // no local paths in a shared document
    expect(md.stdout).not.toMatch(/\u001b\[/);

    const json = JSON.parse((await runCli(['sessions', 'export', '20261120-15', '--format', 'json'], env)).stdout);
    expect(json.meta.id).toBe('20261120-150000-abc111');
    expect(json.events.filter((e: { type: string }) => e.type === 'turn').length).toBeGreaterThan(10);
    expect(json.reportSource).toBe('stored');

    const out = path.join(home.dir, 'export.txt');
    const txt = await runCli(['sessions', 'export', '20261120-15', '--format', 'txt', '--out', out], env);
    expect(txt.code).toBe(0);
    expect(txt.stderr).toMatch(/Wrote .*export\.txt/);
    const text = await readFile(out, 'utf8');
    expect(text).toMatch(/^Problem: url-shortener\n\nInterviewer: /);
    const again = await runCli(['sessions', 'export', '20261120-15', '--format', 'txt', '--out', out], env);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already exists; use --force/);
    const graded = await runCli(['grade', out, '--format', 'json'], env);
    expect(graded.code).toBe(0);
    expect(JSON.parse(graded.stdout)[0]).toMatchObject({ mode: 'interview', problem: 'url-shortener' });
  });
});

describe('sessions rm and resume', () => {
  it('rm refuses without a terminal and without --yes, deletes with --yes', async () => {
    await writeSession(sessions, { id: '20261201-000000-delete', started: '2026-12-01T00:00:00.000Z' });
    const refused = await runCli(['sessions', 'rm', '20261201'], env);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/not on a terminal, so not asking; add --yes/);
    await stat(path.join(sessions, '20261201-000000-delete.jsonl'));
    const done = await runCli(['sessions', 'rm', '20261201', '--yes'], env);
    expect(done.code).toBe(0);
    expect(done.stdout).toBe('Deleted 20261201-000000-delete\n');
    await expect(stat(path.join(sessions, '20261201-000000-delete.jsonl'))).rejects.toThrow();
  });

  it('resume resolves the ID first (unknown ID is a usage error)', async () => {
    const result = await runCli(['sessions', 'resume', 'nothing-like-this'], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/no session matches/);
  });
});
