// Time to first token and total time of the openai provider against the bare openai client,
// both talking to the local fake server in the same run, interleaved.
import OpenAI from 'openai';
import { createOpenAIProvider } from '../src/llm/openai-provider.js';
import type { ChatMessage } from '../src/llm/provider.js';
import { startFakeOpenAI } from '../test/support/fake-openai.js';
import { fmt, fmtDelta, median } from './stats.js';

const messages: ChatMessage[] = [
  { role: 'system', content: 'You are a skeptical senior interviewer.' },
  { role: 'user', content: 'I would shard the URL table by hash of the short code.' },
];
const reply = 'Why hash sharding rather than range sharding? What happens to hot keys, and how do you rebalance when you add a shard? '.repeat(4);

export async function benchProviderLatency(runs = 40) {
  const server = await startFakeOpenAI({ models: ['bench-model'], defaultReply: reply, tokenDelayMs: 0 });
  const bare = new OpenAI({ apiKey: 'bench', baseURL: server.url, maxRetries: 0 });
  const provider = await createOpenAIProvider({ baseURL: server.url, apiKey: 'bench', model: 'bench-model' });

  async function timeBare() {
    const start = performance.now();
    let first = -1;
    const stream = await bare.chat.completions.create({
      model: 'bench-model',
      messages,
      stream: true,
      stream_options: { include_usage: true },
    });
    for await (const chunk of stream) {
      if (first < 0 && chunk.choices[0]?.delta?.content) first = performance.now() - start;
    }
    return { first, total: performance.now() - start };
  }
  async function timeProvider() {
    const start = performance.now();
    let first = -1;
    for await (const event of provider.stream({ messages })) {
      if (first < 0 && event.type === 'delta') first = performance.now() - start;
    }
    return { first, total: performance.now() - start };
  }

  for (let i = 0; i < 5; i++) {
    await timeBare();
    await timeProvider();
  }
  const bareFirst: number[] = [];
  const bareTotal: number[] = [];
  const provFirst: number[] = [];
  const provTotal: number[] = [];
  for (let i = 0; i < runs; i++) {
    // Alternate the order so neither side always runs on a warmer connection.
    let bareRun, providerRun;
    if (i % 2) {
      bareRun = await timeBare();
      providerRun = await timeProvider();
    } else {
      providerRun = await timeProvider();
      bareRun = await timeBare();
    }
    bareFirst.push(bareRun.first);
    bareTotal.push(bareRun.total);
    provFirst.push(providerRun.first);
    provTotal.push(providerRun.total);
  }
  await server.close();
  const bf = median(bareFirst);
  const pf = median(provFirst);
  const bt = median(bareTotal);
  const pt = median(provTotal);
  return {
    runs,
    bareFirstTokenMs: bf,
    providerFirstTokenMs: pf,
    firstTokenOverheadMs: pf - bf,
    firstTokenRatio: pf / bf,
    bareTotalMs: bt,
    providerTotalMs: pt,
    totalOverheadMs: pt - bt,
    totalRatio: pt / bt,
    lines: [
      `first token: provider ${fmt(pf)} vs bare client ${fmt(bf)}: ${fmtDelta(pf - bf)}, ${(pf / bf).toFixed(2)}× (target overhead ≤ 5 ms, median of ${runs})`,
      `total:       provider ${fmt(pt)} vs bare client ${fmt(bt)}: ${fmtDelta(pt - bt)}, ${(pt / bt).toFixed(2)}×`,
    ],
  };
}
