// One Batch API input line per transcript: the same request the interactive judge sends
// (judge/run.ts builds the messages and the structured-output request, llm/chat-body.ts the
// Chat Completions body), minus streaming, with the file's custom_id.
import { chatCompletionBody } from '../../llm/chat-body.js';
import { estimateMessageTokens } from '../../llm/tokens.js';
import type { JudgePrompt } from '../judge/judge-prompt.js';
import { randomNonce } from '../judge/prompt.js';
import { judgeMessages, judgeRequest } from '../judge/run.js';
import type { Analysis, GradeInput } from '../types.js';
import { BATCH_ENDPOINT, type BatchInputLine } from './lines.js';

/** `evidence`: the evidence grader's analysis of `input` (kept by the caller, so collect need not redo it). */
export function judgeInputLine(
  customId: string,
  input: GradeInput,
  evidence: Analysis,
  options: { model: string; prompt: JudgePrompt; contextTokens?: number },
): BatchInputLine {
  const messages = judgeMessages(input, evidence, {
    prompt: options.prompt,
    nonce: randomNonce(),
  });
  // As the interactive judge does: a prompt the model cannot hold is refused, not truncated.
  if (options.contextTokens) {
    const estimated = estimateMessageTokens(messages);
    if (estimated > options.contextTokens) {
      throw new Error(
        `the judge prompt is ~${estimated.toLocaleString('en-US')} tokens, more than the model's ${options.contextTokens.toLocaleString('en-US')}-token context; use a model with a longer context or --grader evidence`,
      );
    }
  }
  // Structured output first, as interactively; a batch has no second try, so a server that
  // refuses response_format reports it per request (listed by `grade collect`).
  return {
    custom_id: customId,
    method: 'POST',
    url: BATCH_ENDPOINT,
    body: chatCompletionBody(options.model, judgeRequest(messages, options.prompt, true)),
  };
}
