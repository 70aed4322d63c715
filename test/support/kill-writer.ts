// Child process for the crash test: creates a session and appends turns as fast as
// it can, printing `ack <seq>` after each append has resolved (written and flushed).
// The parent SIGKILLs it at some point and checks every acknowledged event survived.
//
// Usage: node --import tsx test/support/kill-writer.ts <file> [maxEvents]
// Each turn's text is `#<seq> <sha256 of body> <body>`, so the parent can check order
// and content. Some bodies are 100 KB–1 MB, so a kill can land in the middle of a write.
import { createHash, randomBytes } from 'node:crypto';
import { TranscriptWriter } from '../../src/storage/transcript-store.js';

const file = process.argv[2];
const maxEvents = Number(process.argv[3] ?? 400);
if (!file) {
  process.stderr.write('usage: kill-writer <file> [maxEvents]\n');
  process.exit(2);
}
// If the parent goes away, stop rather than fill the disk.
process.stdout.on('error', () => process.exit(1));

function turnText(seq: number, body: string): string {
  return `#${seq} ${createHash('sha256').update(body).digest('hex')} ${body}`;
}

function body(seq: number): string {
  const large = seq % 3 === 2;
  const size = large ? 100_000 + Math.floor(Math.random() * 900_000) : 20 + Math.floor(Math.random() * 4_000);
  // base64url is ASCII; the suffix makes sure multi-byte UTF-8 crosses the torn edge too.
  return `${randomBytes(Math.ceil((size * 3) / 4)).toString('base64url').slice(0, size)} é✓🙂 "quoted"\n\tline`;
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
  await writer.append({
    type: 'turn',
    role: seq % 2 === 0 ? 'interviewer' : 'candidate',
    text: turnText(seq, body(seq)),
    elapsedMs: seq * 1000,
  });
  process.stdout.write(`ack ${seq}\n`);
}
await writer.close();
process.stdout.write('done\n');
