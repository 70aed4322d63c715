/**
 * Run the fake OpenAI server by hand (tmux sessions, benchmarks):
 *
 *   npx tsx test/support/fake-openai-main.ts --port 0 --models gpt-4o-mini,llama3 --delay 20
 *
 * Prints the base URL (…/v1) as the first stdout line, logs one line per request to stderr,
 * and runs until SIGINT/SIGTERM.
 * Options: --port N (0 = random), --models a,b, --delay MS (between content chunks),
 * --latency MS (before each reply starts),
 * --reply TEXT (default reply), --require-key KEY.
 */
import { parseArgs } from 'node:util';
import { startFakeOpenAI } from './fake-openai.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    models: { type: 'string' },
    delay: { type: 'string', default: '0' },
    latency: { type: 'string', default: '0' },
    reply: { type: 'string' },
    'require-key': { type: 'string' },
  },
  strict: true,
});

const number = (name: string, raw: string) => {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    process.stderr.write(`fake-openai: --${name} must be a non-negative integer, got ${JSON.stringify(raw)}\n`);
    process.exit(2);
  }
  return value;
};

const fake = await startFakeOpenAI({
  port: number('port', values.port),
  tokenDelayMs: number('delay', values.delay),
  latencyMs: number('latency', values.latency),
  ...(values.models ? { models: values.models.split(',').map((m) => m.trim()).filter(Boolean) } : {}),
  ...(values.reply !== undefined ? { defaultReply: values.reply } : {}),
  ...(values['require-key'] !== undefined ? { requireKey: values['require-key'] } : {}),
});
process.stdout.write(`${fake.url}\n`);
process.stderr.write(`fake-openai: models ${fake.models.join(', ')}; Ctrl-C to stop\n`);

// One stderr line per request (polled: the server API has no request hook).
let logged = 0;
const logger = setInterval(() => {
  while (logged < fake.requests.length) {
    const r = fake.requests[logged++]!;
    process.stderr.write(`${new Date().toISOString()} ${r.method} ${r.path}${r.body?.model ? ` model=${r.body.model}` : ''}${r.body?.stream ? ' stream' : ''}\n`);
  }
}, 100);

let stopping = false;
const stop = (signal: NodeJS.Signals) => {
  if (stopping) return;
  stopping = true;
  clearInterval(logger);
  process.stderr.write(`fake-openai: ${signal}, closing\n`);
  fake.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
