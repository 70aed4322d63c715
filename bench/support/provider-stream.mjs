// Like bare-openai-stream.mjs, but through sdcoach's openai provider (retries, watchdog, usage):
// separates the provider's cost from the screen's. Usage: node provider-stream.mjs BASE_URL
import { createOpenAIProvider } from '../../dist/llm/openai-provider.js';

const provider = await createOpenAIProvider({ baseURL: process.argv[2], apiKey: 'bench', model: 'gpt-4o-mini' });
for await (const event of provider.stream({ messages: [{ role: 'user', content: 'Open the interview.' }] })) {
  if (event.type === 'delta') process.stdout.write(event.text);
}
process.stdout.write('\n');
