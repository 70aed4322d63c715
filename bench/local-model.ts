// Time to first token from the tiny generated GGUF model (test/support/gguf-writer.ts) through
// the local provider, against a bare node-llama-cpp LlamaChat call on the same runtime, in the
// same run, interleaved. Each run asks a new question (so the prompt's end is evaluated again,
// as in a session) and stops at the first token. Target: overhead ≤ 5 %.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createLocalProvider } from '../src/llm/local-provider.js';
import { toChatHistory } from '../src/llm/local-provider.js';
import { llamaRuntime, loadNodeLlamaCpp } from '../src/llm/node-llama-cpp.js';
import type { ChatMessage } from '../src/llm/provider.js';
import { tinyLlamaGguf } from '../test/support/gguf-writer.js';
import { fmt, fmtDelta, median } from './stats.js';

const system = 'You are a skeptical senior interviewer. Ask one short question at a time about the design in front of you. '.repeat(4);
const question = (i: number): ChatMessage[] => [
  { role: 'system', content: system },
  { role: 'user', content: `Design ${i}: I would shard the URL table by a hash of the short code, with ${i + 2} replicas per shard.` },
];

export async function benchLocalFirstToken(runs = 30) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'sdcoach-bench-local-'));
  const modelPath = path.join(dir, 'tiny-bench.gguf');
  await writeFile(modelPath, tinyLlamaGguf({ seed: 9, contextLength: 2048 }));
  // One thread each: the two never compete for cores, and spin-waits do not distort the figures.
  const provider = await createLocalProvider({ modelPath, gpu: false, threads: 1, seed: 1 });
  const lib = await loadNodeLlamaCpp();
  const llama = await llamaRuntime(lib, { gpu: false });
  const model = await llama.loadModel({ modelPath });
  const context = await model.createContext({ contextSize: 2048, sequences: 1, threads: 1 });
  const chat = new lib.LlamaChat({ contextSequence: context.getSequence() });

  async function timeBare(messages: ChatMessage[]): Promise<number> {
    const stop = new AbortController();
    const start = performance.now();
    let first = -1;
    await chat.generateResponse(toChatHistory(messages), {
      maxTokens: 8,
      temperature: 0.7,
      seed: 1,
      signal: stop.signal,
      stopOnAbortSignal: true,
      onTextChunk: () => {
        if (first < 0) first = performance.now() - start;
        stop.abort();
      },
    });
    return first;
  }
  async function timeProvider(messages: ChatMessage[]): Promise<number> {
    const start = performance.now();
    for await (const event of provider.stream({ messages, maxTokens: 8 })) {
      if (event.type === 'delta') return performance.now() - start; // leaving the loop stops the generation
    }
    return -1;
  }

  for (let i = 0; i < 3; i++) {
    await timeBare(question(1000 + i));
    await timeProvider(question(2000 + i));
  }
  const bare: number[] = [];
  const ours: number[] = [];
  for (let i = 0; i < runs; i++) {
    // Alternate the order so neither side always follows the other.
    if (i % 2) {
      bare.push(await timeBare(question(i)));
      ours.push(await timeProvider(question(i)));
    } else {
      ours.push(await timeProvider(question(i)));
      bare.push(await timeBare(question(i)));
    }
  }
  await chat.dispose();
  await context.dispose();
  await model.dispose();
  await provider.dispose();
  await rm(dir, { recursive: true, force: true });

  const bareFirstTokenMs = median(bare.filter((ms) => ms >= 0));
  const providerFirstTokenMs = median(ours.filter((ms) => ms >= 0));
  const overheadMs = providerFirstTokenMs - bareFirstTokenMs;
  const overheadPercent = (overheadMs / bareFirstTokenMs) * 100;
  return {
    line: `local model first token (tiny GGUF, node-llama-cpp, ${runs} runs): provider ${fmt(providerFirstTokenMs)} vs bare LlamaChat ${fmt(bareFirstTokenMs)} (${fmtDelta(overheadMs)}, ${overheadPercent >= 0 ? '+' : ''}${overheadPercent.toFixed(1)} %; target ≤ 5 %)`,
    runs,
    bareFirstTokenMs,
    providerFirstTokenMs,
    overheadMs,
    overheadPercent,
  };
}

// `tsx bench/local-model.ts` runs it alone.
if (import.meta.url === `file://${process.argv[1]}`) {
  console.log((await benchLocalFirstToken()).line);
}
