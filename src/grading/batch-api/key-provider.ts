// The judge as a Batch API grade's cache key sees it: model and label, never asked anything
// (the batch's reply is the answer). Submission, collection and their workers share it.
import type { Provider } from '../../llm/provider.js';

export function keyProvider(model: string, label: string): Provider {
  return {
    id: 'openai',
    model,
    label,
    // eslint-disable-next-line require-yield
    async *stream() {
      throw new Error('a batch provider does not stream');
    },
  };
}
