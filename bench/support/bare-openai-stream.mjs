// The baseline for the practice-screen benchmark: the bare openai client streaming a reply and
// writing each delta straight to the terminal, nothing else. Usage: node bare-openai-stream.mjs BASE_URL
import OpenAI from 'openai';

const client = new OpenAI({ apiKey: 'bench', baseURL: process.argv[2], maxRetries: 0 });
const stream = await client.chat.completions.create({
  model: 'gpt-4o-mini',
  messages: [{ role: 'user', content: 'Open the interview.' }],
  stream: true,
  stream_options: { include_usage: true },
});
for await (const chunk of stream) {
  const text = chunk.choices[0]?.delta?.content;
  if (text) process.stdout.write(text);
}
process.stdout.write('\n');
