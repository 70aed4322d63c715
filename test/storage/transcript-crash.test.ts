// SIGKILL a writer mid-session, then check that every acknowledged event survived,
// intact and in order, and that the reader copes with whatever the kill left behind.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TranscriptWriter, parseTranscript, readTranscript } from '../../src/storage/transcript-store.js';
import { tempHome, waitFor } from '../support/env.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const SCRIPT = path.join(ROOT, 'test', 'support', 'kill-writer.ts');

interface KillPlan {
  /** Wait (waitFor) until this many appends have been acknowledged… */
  afterAcks: number;
  /**
   * …then kill at once (`ack`), or on the next large event handed to the writer (`write`), which
   * lands in or near the write. `tear`: the child itself, after exactly `afterAcks` acknowledged
   * appends, writes the first half of the next event's line and SIGKILLs itself (a torn write, for sure).
   */
  on: 'ack' | 'write' | 'tear';
}

interface Run {
  acked: number;
}

/** Start the writer, let it acknowledge some appends, SIGKILL it. */
async function killWriter(file: string, plan: KillPlan): Promise<Run> {
  const args = plan.on === 'tear' ? [file, String(plan.afterAcks), '--tear'] : [file];
  const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT, ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let acked = 0;
  let armed = false;
  let killed = false;
  let buffered = '';
  let stderr = '';
  let exitCode: number | null | undefined;
  let signal: NodeJS.Signals | null = null;
  const kill = () => {
    if (!killed && exitCode === undefined) {
      killed = true;
      child.kill('SIGKILL');
    }
  };
  const exited = new Promise<void>((resolve) => {
    child.on('exit', (code, sig) => {
      exitCode = code;
      signal = sig;
      resolve();
    });
  });
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    buffered += chunk;
    const lines = buffered.split('\n');
    buffered = lines.pop()!;
    for (const line of lines) {
      const ack = /^ack (\d+)$/.exec(line);
      if (ack) acked = Math.max(acked, Number(ack[1]) + 1);
      // Kill in this handler, not after a poll: the write only lasts a fraction of a millisecond.
      else if (armed && /^writing \d+ large$/.test(line)) kill();
    }
  });
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => (stderr += chunk));
  if (plan.on === 'tear') {
    await exited; // it kills itself
    expect(signal, `writer did not kill itself: code ${exitCode}, stderr:\n${stderr}`).toBe('SIGKILL');
    return { acked };
  }
  try {
    await waitFor(() => acked >= plan.afterAcks || exitCode !== undefined, {
      timeoutMs: 15_000,
      what: `${plan.afterAcks} acks from kill-writer`,
    });
    if (plan.on === 'ack') kill();
    else armed = true;
    await waitFor(() => killed || exitCode !== undefined, { timeoutMs: 15_000, what: 'a large write to kill' });
  } finally {
    kill();
    await exited;
  }
  // Killed by us, or (very unlikely) it finished all its events first; never crashed on its own.
  expect(signal === 'SIGKILL' || exitCode === 0, `writer failed: code ${exitCode}, stderr:\n${stderr}`).toBe(true);
  return { acked };
}

/** Check the file against what was acknowledged; returns whether the tail was torn. */
async function verify(file: string, acked: number): Promise<{ torn: boolean; events: number; lines: number }> {
  const raw = await readFile(file);
  const transcript = await readTranscript(file);
  expect(transcript.problems).toEqual([]);
  expect(transcript.meta).toMatchObject({ id: 'kill-writer', provider: 'builtin', schemaVersion: 1 });

  // Every event in the file is complete and correct, in order; at least the acked ones are there.
  expect(transcript.events.length).toBeGreaterThanOrEqual(acked);
  transcript.events.forEach((event, seq) => {
    expect(event.type).toBe('turn');
    if (event.type !== 'turn') return;
    const m = /^#(\d+) ([0-9a-f]{64}) /.exec(event.text);
    expect(m, `event ${seq} has the kill-writer shape`).not.toBeNull();
    expect(Number(m![1])).toBe(seq);
    const body = event.text.slice(m![0].length);
    expect(createHash('sha256').update(body).digest('hex'), `event ${seq} content`).toBe(m![2]);
    expect(event.elapsedMs).toBe(seq * 1000);
  });

  // The reader's verdict matches what is on disk: a tail without '\n' that does not parse as a
  // JSON object is torn (a whole object there must be a valid event: problems is empty).
  const text = raw.toString('utf8');
  const tail = text.slice(text.lastIndexOf('\n') + 1);
  let tailIsObject = false;
  try {
    const value: unknown = JSON.parse(tail);
    tailIsObject = typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    tailIsObject = false;
  }
  const expectTorn = tail !== '' && !tailIsObject;
  expect(transcript.tornTail).toBe(expectTorn);
  if (expectTorn) {
    // Dropping the torn bytes gives exactly the same reading.
    const whole = parseTranscript(text.slice(0, text.length - tail.length), file);
    expect(whole).toEqual({ ...transcript, tornTail: false });
  }
  return { torn: expectTorn, events: transcript.events.length, lines: text.split('\n').length };
}

/** Resume after the crash: the new event lands on a line of its own. */
async function resume(file: string, before: { torn: boolean; events: number; lines: number }): Promise<void> {
  const writer = await TranscriptWriter.openForAppend(file);
  await writer.append({ type: 'end', reason: 'interrupted', elapsedMs: 1 });
  await writer.close();
  const resumed = await readTranscript(file);
  expect(resumed.tornTail).toBe(false);
  expect(resumed.events.at(-1)).toEqual({ type: 'end', reason: 'interrupted', elapsedMs: 1 });
  expect(resumed.events.length).toBe(before.events + 1);
  // Only the torn bytes (now a complete, bad line) are reported, at their own line number.
  expect(resumed.problems.map((p) => p.line)).toEqual(before.torn ? [before.lines] : []);
}

describe('crash safety: SIGKILL during appends', () => {
  let home: { dir: string; cleanup: () => Promise<void> };
  beforeAll(async () => {
    home = await tempHome('sdcoach-crash-');
  });
  afterAll(() => home.cleanup());

  it('every acknowledged event survives kills at different points, and the session can be resumed', async () => {
    const plans: KillPlan[] = [
      { afterAcks: 1, on: 'ack' },
      { afterAcks: 2, on: 'write' },
      { afterAcks: 7, on: 'ack' },
      { afterAcks: 9, on: 'write' },
      { afterAcks: 16, on: 'write' },
    ];
    // One at a time: the kill has to follow a `writing` line within a fraction of a
    // millisecond to tear a line, and concurrent children would only slow the parent down.
    const outcomes = [];
    for (const [i, plan] of plans.entries()) {
      const file = path.join(home.dir, 'sessions', `crash-${i}.jsonl`);
      const { acked } = await killWriter(file, plan);
      expect(acked).toBeGreaterThanOrEqual(plan.afterAcks);
      if (i === 0) expect((await stat(file)).mode & 0o777).toBe(0o600);
      const { torn, events, lines } = await verify(file, acked);

      await resume(file, { torn, events, lines });
      outcomes.push({ ...plan, acked, events, torn });
    }
    expect((await stat(path.join(home.dir, 'sessions'))).mode & 0o777).toBe(0o700);
    if (process.env.CRASH_DEBUG) console.info(JSON.stringify(outcomes));
  });

  it('a write torn by the kill (deterministic): tornTail, no problems, every acknowledged event in order', async () => {
    const file = path.join(home.dir, 'sessions', 'torn.jsonl');
    const afterAcks = 7;
    const { acked } = await killWriter(file, { afterAcks, on: 'tear' });
    expect(acked).toBe(afterAcks);
    const raw = await readFile(file, 'utf8');
    expect(raw.endsWith('\n')).toBe(false);
    const tail = raw.slice(raw.lastIndexOf('\n') + 1);
    expect(tail.startsWith(`{"type":"turn","role":"candidate","text":"#${afterAcks} `)).toBe(true);
    expect(tail.length).toBeGreaterThan(50_000); // half of a large line

    const transcript = await readTranscript(file);
    expect(transcript.tornTail).toBe(true);
    expect(transcript.problems).toEqual([]);
    expect(transcript.events).toHaveLength(afterAcks); // every acked event, and nothing of the torn one
    const { torn, events, lines } = await verify(file, acked); // each acked event intact, in order
    expect({ torn, events }).toEqual({ torn: true, events: afterAcks });
    await resume(file, { torn, events, lines });
  });
});
