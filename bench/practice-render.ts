// The practice screen under a fast stream: a 2,000-token reply at 1 ms per token, rendered by the
// real app in a pseudo-terminal (util-linux `script`), against the bare openai client writing the
// same deltas to the same kind of terminal. Reports, for the streaming window (first token to
// last) and for the whole process: CPU time ratio (target ≤ 1.5×), bytes written to the terminal
// against the reply's rendered size (target ≤ 3×), and the number of full-screen clears (target 0).
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { renderMarkdown } from '../src/term/markdown.js';
import { startFakeOpenAI } from '../test/support/fake-openai.js';
import { median } from './stats.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const BIN = path.join(ROOT, 'bin', 'sdcoach.js');
const BARE = path.join(ROOT, 'bench', 'support', 'bare-openai-stream.mjs');
const PROVIDER_ONLY = path.join(ROOT, 'bench', 'support', 'provider-stream.mjs');
const COLUMNS = 100;
const ROWS = 30;
const SENTINEL = 'ENDOFREPLY';
const START = 'STARTOFREPLY';

/** About 2,000 tokens of interviewer markdown: paragraphs, a list, a code fence. */
export function benchReply(): string {
  const sentence = 'The write path goes through the API tier to the key value store, and the cache is filled on read so a cold start costs one extra lookup.';
  const paragraphs: string[] = [`${START} Let me push on the storage layer before we move on.`];
  for (let i = 0; paragraphs.join(' ').split(/\s+/).length < 1500; i++) {
    if (i % 6 === 3) paragraphs.push('- **Hot keys**: one link takes 50k clicks per second\n- **Cold cache**: every miss goes to the store\n- **Failover**: a node dies mid-request');
    else if (i % 6 === 5) paragraphs.push('```sql\nSELECT long_url FROM links WHERE code = $1;\n```');
    else paragraphs.push(`${sentence} ${sentence} ${sentence}`);
  }
  paragraphs.push(`What breaks first at 10x? ${SENTINEL}`);
  return paragraphs.join('\n\n');
}

/** utime + stime of a process, in ms (from /proc; clock ticks are 100 per second on Linux). */
async function cpuMs(pid: number): Promise<number | null> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null);
  if (!stat) return null;
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

async function childPid(pid: number): Promise<number | null> {
  const children = await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8').catch(() => '');
  const first = children.trim().split(/\s+/)[0];
  return first ? Number(first) : null;
}

interface Run {
  windowCpuMs: number;
  totalCpuMs: number;
  bytes: number;
  windowBytes: number;
  clears: number;
  /** The run hit RUN_LIMIT_MS and was killed; its figures are left out of the medians. */
  timedOut: boolean;
}

/** A run that has not exited by then is stuck (e.g. a prompt never seen): kill it, report it. */
const RUN_LIMIT_MS = 60_000;

/** Runs `node ARGS` in a pty; measures CPU between the first and last reply text on screen. */
async function runInPty(
  args: string[],
  env: Record<string, string>,
  quitKeys: string | null,
  /** Typed once the screen shows `ready` (the app's opening is done), to ask for the measured reply. */
  prompt?: { ready: string; text: string },
): Promise<Run> {
  const command = `stty cols ${COLUMNS} rows ${ROWS}; exec ${[process.execPath, ...args].map((a) => `'${a}'`).join(' ')}`;
  const child = spawn('script', ['-qfec', command, '/dev/null'], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', TERM: 'xterm-256color', CI: 'false', ...env },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let output = Buffer.alloc(0);
  let nodePid: number | null = null;
  let startCpu: number | null = null;
  let startBytes = 0;
  let endCpu: number | null = null;
  let endBytes = 0;
  let lastCpu = 0;
  const poll = setInterval(async () => {
    nodePid ??= await childPid(child.pid!);
    if (nodePid) lastCpu = (await cpuMs(nodePid)) ?? lastCpu;
  }, 5);
  let prompted = false;
  child.stdout.on('data', async (chunk: Buffer) => {
    output = Buffer.concat([output, chunk]);
    const text = output.toString('latin1');
    const readyAt = prompt ? text.indexOf(prompt.ready) : -1;
    // The opening has finished streaming once the composer's hint is back after it.
    if (prompt && !prompted && readyAt >= 0 && text.indexOf('Enter sends', readyAt) >= 0) {
      prompted = true;
      child.stdin.write(`${prompt.text}\r`);
    }
    if (startCpu === null && text.includes(START) && nodePid) {
      startCpu = (await cpuMs(nodePid)) ?? lastCpu;
      startBytes = output.length;
    }
    if (endCpu === null && text.includes(SENTINEL) && nodePid) {
      endCpu = (await cpuMs(nodePid)) ?? lastCpu;
      endBytes = output.length;
      if (quitKeys) {
        // Let the app settle (commit the last paragraph), then Ctrl+C twice to save and quit.
        setTimeout(() => child.stdin.write(quitKeys), 300);
        setTimeout(() => child.stdin.write(quitKeys), 600);
      }
    }
  });
  let timedOut = false;
  const watchdog = setTimeout(() => {
    timedOut = true;
    if (nodePid) {
      try {
        process.kill(nodePid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    child.kill('SIGKILL');
  }, RUN_LIMIT_MS);
  await new Promise<void>((resolve) => child.on('exit', () => resolve()));
  clearTimeout(watchdog);
  clearInterval(poll);
  const text = output.toString('latin1');
  if (process.env.BENCH_DUMP) await import('node:fs/promises').then((fs) => fs.writeFile(`${process.env.BENCH_DUMP}-${args.length}.out`, output));
  return {
    windowCpuMs: (endCpu ?? lastCpu) - (startCpu ?? 0),
    totalCpuMs: lastCpu,
    bytes: output.length,
    windowBytes: endBytes - startBytes,
    clears: text.split('\u001b[2J').length - 1 + (text.split('\u001b[3J').length - 1),
    timedOut,
  };
}

export async function benchPracticeRender(runs = 3) {
  const reply = benchReply();
  const server = await startFakeOpenAI({ models: ['gpt-4o-mini'], defaultReply: reply, tokenDelayMs: 1 });
  // The app's own opening comes first (a short reply, so startup and first paints are not in
  // the window); the measured reply answers the candidate's first turn.
  const OPENING = 'Design a URL shortener. What would you like to know first? READYMARK';
  const rendered = renderMarkdown(reply, COLUMNS, { color: true });
  const apps: Run[] = [];
  const bares: Run[] = [];
  const providerOnly: Run[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      bares.push(await runInPty([BARE, server.url], {}, null));
      providerOnly.push(await runInPty([PROVIDER_ONLY, server.url], {}, null));
      const home = await mkdtemp(path.join(os.tmpdir(), 'sdcoach-bench-'));
      try {
        server.enqueue({ kind: 'reply', text: OPENING });
        apps.push(
          await runInPty(
            [...(process.env.BENCH_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROF}`] : []), BIN, 'practice', 'url-shortener', '--provider', 'openai', '--base-url', server.url, '--model', 'gpt-4o-mini'],
            { SDCOACH_HOME: home },
            '\u0003',
            { ready: 'READYMARK', text: 'I would start with the storage layer and the read path.' },
          ),
        );
      } finally {
        await rm(home, { recursive: true, force: true });
      }
    }
  } finally {
    await server.close();
  }
  const finished = (runsOf: Run[]) => runsOf.filter((r) => !r.timedOut);
  const stuck = [...apps, ...bares, ...providerOnly].filter((r) => r.timedOut).length;
  if (finished(apps).length === 0 || finished(bares).length === 0) {
    throw new Error(`practice-render bench: every run of the app or the bare client was stuck for ${RUN_LIMIT_MS / 1000} s and killed`);
  }
  const m = (runsOf: Run[], key: 'windowCpuMs' | 'totalCpuMs' | 'bytes' | 'windowBytes') => median(finished(runsOf).map((r) => r[key]));
  const tokens = reply.split(/\s+/).length;
  const result = {
    replyWords: tokens,
    renderedBytes: Buffer.byteLength(rendered, 'latin1'),
    app: { windowCpuMs: m(apps, 'windowCpuMs'), totalCpuMs: m(apps, 'totalCpuMs'), bytes: m(apps, 'bytes'), windowBytes: m(apps, 'windowBytes'), clears: Math.max(...finished(apps).map((r) => r.clears)) },
    bare: { windowCpuMs: m(bares, 'windowCpuMs'), totalCpuMs: m(bares, 'totalCpuMs'), bytes: m(bares, 'bytes') },
    providerOnly: { windowCpuMs: m(providerOnly, 'windowCpuMs'), totalCpuMs: m(providerOnly, 'totalCpuMs') },
    windowCpuRatio: 0,
    totalCpuRatio: 0,
    bytesRatio: 0,
    line: '',
  };
  result.windowCpuRatio = result.app.windowCpuMs / Math.max(1, result.bare.windowCpuMs);
  result.totalCpuRatio = result.app.totalCpuMs / Math.max(1, result.bare.totalCpuMs);
  // The reply's own bytes: from its first text on screen to its last (startup, the opening and
  // the quit are not part of it).
  result.bytesRatio = result.app.windowBytes / result.renderedBytes;
  result.line =
    `practice screen, ${tokens}-word reply at 1 ms/token in a pty: CPU while streaming ${result.app.windowCpuMs.toFixed(0)} ms vs bare openai client ${result.bare.windowCpuMs.toFixed(0)} ms = ${result.windowCpuRatio.toFixed(2)}× (target ≤ 1.5×); ` +
    `(sdcoach's provider alone, no screen: ${result.providerOnly.windowCpuMs.toFixed(0)} ms); whole process ${result.app.totalCpuMs.toFixed(0)} vs ${result.bare.totalCpuMs.toFixed(0)} ms = ${result.totalCpuRatio.toFixed(2)}×; ` +
    `bytes written while streaming ${result.app.windowBytes} = ${result.bytesRatio.toFixed(2)}× the rendered reply ${result.renderedBytes} (target ≤ 3×; whole session ${result.app.bytes}); full-screen clears ${result.app.clears} (target 0)` +
    (stuck > 0 ? `; ${stuck} stuck run${stuck === 1 ? '' : 's'} killed after ${RUN_LIMIT_MS / 1000} s and left out` : '');
  return result;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await benchPracticeRender(Number(process.argv[2] ?? 3));
  console.log(result.line);
  console.log(JSON.stringify(result, null, 2));
}
