// Child process for the crash test: creates a session and appends turns as fast as
// it can, printing `ack <seq>` after each append has resolved (written and flushed).
// The parent SIGKILLs it at some point and checks every acknowledged event survived.
//
// Usage: node --import tsx test/support/kill-writer.ts <file> [maxEvents] [--tear]
// Output lines: `ready`, then per event `writing <seq> small|large` (handed to the
// writer) and `ack <seq>` (append resolved: on disk), and `done` if never killed.
// Each turn's text is `#<seq> <sha256 of body> <body>`, so the parent can check order
// and content. Some bodies are 100 KB–1 MB, so a kill can land in the middle of a write.
//
// With `--tear` the tear is not left to chance: after `maxEvents` acknowledged appends
// the child prints `tearing <seq>`, writes the first half of the next (large) event's
// line to the file with a raw write, as a write cut short by the kill would leave it,
// and SIGKILLs itself with the writer still open.
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, openSync, writeSync } from 'node:fs';
import { TranscriptEvent, type TranscriptEventInput } from '../../src/schemas/transcript.js';
import { TranscriptWriter } from '../../src/storage/transcript-store.js';

const args = process.argv.slice(2);
const tear = args.includes('--tear');
const [file, maxArg] = args.filter((a) => a !== '--tear');
const maxEvents = Number(maxArg ?? 400);
if (!file || !Number.isInteger(maxEvents) || maxEvents < 0) {
  process.stderr.write('usage: kill-writer <file> [maxEvents] [--tear]\n');
  process.exit(2);
}
// If the parent goes away, stop rather than fill the disk.
process.stdout.on('error', () => process.exit(1));

const hash = (body: string) => createHash('sha256').update(body).digest('hex');

/** Random ASCII plus a multi-byte suffix, so a torn edge can also split a UTF-8 sequence. */
function makeBody(size: number): string {
  return `${randomBytes(Math.ceil((size * 3) / 4)).toString('base64url').slice(0, size)} é✓🙂 "quoted"\n\tline`;
}

// Bodies are made (and hashed) up front, so the loop spends its time writing and
// flushing, which is where a kill has to land to tear a line.
const small = Array.from({ length: 8 }, (_, i) => makeBody(20 + i * 500)).map((b) => ({ body: b, sha: hash(b) }));
const large = [1_000_000, 100_000, 800_000, 500_000, 1_000_000].map(makeBody).map((b) => ({ body: b, sha: hash(b) }));

function turnText(seq: number, forceLarge = false): string {
  const pool = forceLarge || seq % 3 === 2 ? large : small;
  const { body, sha } = pool[Math.floor(seq / 3) % pool.length]!;
  return `#${seq} ${sha} ${body}`;
}

function turn(seq: number, forceLarge = false): TranscriptEventInput {
  return { type: 'turn', role: seq % 2 === 0 ? 'interviewer' : 'candidate', text: turnText(seq, forceLarge), elapsedMs: seq * 1000 };
}

const writer = await TranscriptWriter.create(file, {
  id: 'kill-writer',
  problem: 'url-shortener',
  mode: 'interview',
  provider: 'builtin',
  model: null,
  rubric: 'default',
  levelTarget: 'L5',
  started: new Date().toISOString(),
});
process.stdout.write('ready\n');
for (let seq = 0; seq < maxEvents; seq++) {
  const appended = writer.append(turn(seq));
  // By the next turn of the event loop the line has been handed to the write call
  // (on libuv's thread pool), so a parent that kills on this line lands in or near the write.
  setImmediate(() => process.stdout.write(`writing ${seq} ${seq % 3 === 2 ? 'large' : 'small'}\n`));
  await appended;
  process.stdout.write(`ack ${seq}\n`);
}
if (tear) {
  // The line the writer would write for the next event, exactly, cut in half by a raw write.
  const seq = maxEvents;
  const line = Buffer.from(`${JSON.stringify(TranscriptEvent.parse(turn(seq, true)))}\n`, 'utf8');
  process.stdout.write(`tearing ${seq}\n`);
  const fd = openSync(file, 'a');
  writeSync(fd, line, 0, Math.floor(line.length / 2));
  closeSync(fd);
  process.kill(process.pid, 'SIGKILL');
}
await writer.close();
process.stdout.write('done\n');
