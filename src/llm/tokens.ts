// Token counts when an endpoint sends none. ~4 characters a token is OpenAI's own rule of thumb
// for English; good enough for a budget and a cost estimate, and always marked as estimated.
import type { ChatMessage } from './provider.js';

export function estimateTokens(text: string): number {
  return text.length === 0 ? 0 : Math.ceil(text.length / 4);
}

/** Chat framing costs a few tokens per message on top of the content. */
export function estimateMessageTokens(messages: readonly ChatMessage[]): number {
  return messages.reduce((sum, message) => sum + 4 + estimateTokens(message.content), 2);
}
