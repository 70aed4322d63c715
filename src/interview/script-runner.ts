// `practice --script FILE`: plays candidate turns from a file through the same PracticeSession
// the screen uses and prints the conversation and the score card as plain text. For demos,
// tests and CI. Time is simulated: each turn moves the clock by how long it takes to say it,
// so time management and the interviewer's time checks behave as in a real session.
// The conversation goes to stdout; warnings and errors (`[warn]`, `[error]`) to stderr.
import { readFile } from 'node:fs/promises';
import type { HistoryItem } from './session-state.js';
import type { PracticeSession } from './practice-session.js';
import { findSlashCommand } from './commands/index.js';

/** Speaking pace for the simulated clock (words per minute). */
const CANDIDATE_WPM = 130;
const INTERVIEWER_WPM = 170;
const LABEL = /^\s*(?:\*\*)?(candidate|you|a)(?:\*\*)?\s*:\s*/i;

function words(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}

/**
 * The candidate's turns: labelled (`Candidate:` starts a turn, text runs until the next label)
 * or, without labels, one turn per paragraph. A line starting with a known `/command` is one.
 */
export function parseScript(text: string): string[] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const labelled = lines.some((line) => LABEL.test(line));
  const turns: string[] = [];
  let current: string[] = [];
  const flush = () => {
    const turn = current.join('\n').trim();
    if (turn) turns.push(turn);
    current = [];
  };
  for (const line of lines) {
    const command = /^\s*\/(\w+)/.exec(line);
    if (command && findSlashCommand(command[1]!)) {
      flush();
      turns.push(line.trim());
    } else if (labelled && LABEL.test(line)) {
      flush();
      current.push(line.replace(LABEL, ''));
    } else if (!labelled && line.trim() === '') flush();
    else current.push(line);
  }
  flush();
  return turns;
}

/** The script's text: a file, or standard input for `-`. Throws with a message naming what failed. */
export async function readScript(file: string, stdin: NodeJS.ReadableStream = process.stdin): Promise<string> {
  if (file === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
    return Buffer.concat(chunks).toString('utf8');
  }
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new Error(`cannot read script ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

/** The candidate turns of a script, or why there are none (checked before a session file is made). */
export async function loadScript(file: string, stdin?: NodeJS.ReadableStream): Promise<{ turns: string[] } | { error: string }> {
  let text: string;
  try {
    text = await readScript(file, stdin);
  } catch (error) {
    return { error: (error as Error).message };
  }
  const turns = parseScript(text);
  if (turns.length === 0) {
    const what = file === '-' ? 'standard input' : file;
    return { error: `the script (${what}) has no candidate turns: write one turn per paragraph, or label turns "Candidate:"` };
  }
  return { turns };
}

function describe(session: PracticeSession, item: HistoryItem, colour: boolean): string {
  switch (item.kind) {
    case 'turn': {
      if (item.continued) return `${item.text}\n`;
      return `${item.role === 'candidate' ? 'You' : 'Interviewer'}: ${item.text}\n`;
    }
    case 'notice':
      return `[${item.tone === 'info' ? 'note' : item.tone}] ${item.text}\n`;
    case 'score':
      return `\n${session.renderReport(item.report, { colour })}`;
  }
}

/** Warnings and errors are messages for the user, not part of the conversation: they go to stderr. */
function isMessage(item: HistoryItem): boolean {
  return item.kind === 'notice' && item.tone !== 'info';
}

export async function runScript(
  session: PracticeSession,
  turns: readonly string[],
  io: { advance: (ms: number) => void; out: NodeJS.WritableStream; err?: NodeJS.WritableStream; colour: boolean },
): Promise<number> {
  const errOut = io.err ?? process.stderr;
  const colour = io.colour;
  let printed = 0;
  const print = () => {
    const items = session.getState().items;
    for (; printed < items.length; printed++) {
      const item = items[printed]!;
      (isMessage(item) ? errOut : io.out).write(`${describe(session, item, colour)}\n`);
    }
  };
  const unsubscribe = session.subscribe(print);
  const { setup } = session;
  io.out.write(
    `sdcoach practice · ${setup.problem.title} · ${setup.mode} · ${session.getState().providerLabel} · ${setup.minutes} min · seed ${setup.seed}\nsession file: ${session.file}\n\n`,
  );
  const offered = () => session.getState().status === 'offer-replay';
  try {
    await session.start();
    for (const turn of turns) {
      if (session.ended || offered()) break;
      if (!turn.startsWith('/')) io.advance((words(turn) / CANDIDATE_WPM) * 60_000);
      await session.submit(turn);
      const last = session.turns.at(-1);
      if (last?.role === 'interviewer') io.advance((words(last.text) / INTERVIEWER_WPM) * 60_000);
      await session.tick();
    }
    if (!session.ended && !offered()) await session.end('completed');
    // A monologue's score card is out; a script has nobody to take the adversarial replay.
    if (offered()) {
      io.out.write('n (a script takes no replay)\n\n');
      await session.answer(false);
    }
    await session.done;
  } catch (error) {
    errOut.write(`sdcoach practice: ${(error as Error).message}; the session so far is in ${session.file}\n`);
    return 1;
  } finally {
    unsubscribe();
    print();
  }
  return 0;
}
