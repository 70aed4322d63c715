// Conversation exports from chat assistants (JSON) as a Transcript: a mock interview held in
// ChatGPT or Claude, where the assistant played the interviewer and the user answered.
//
// - ChatGPT (`conversations.json` from "Export data", or one conversation object from it): each
//   conversation has `mapping` nodes whose `message.author.role` is user / assistant / system /
//   tool and whose `message.content.parts` hold the text. The conversation is the branch the user
//   last saw: `current_node` back through each `parent` to the root (an edited message leaves the
//   other branches behind); without a usable `current_node`, every message in `create_time` order.
// - Claude (`conversations.json`: conversations with `chat_messages`, `sender` human / assistant).
//
// The assistant is the interviewer and the user the candidate (what the user wrote before the
// assistant's first message is the set-up, kept as a note); system, tool and hidden messages
// (custom instructions, memory, reasoning, browsing) are dropped. A file with several
// conversations is refused with their titles, unless the caller names one (`conversation`).
// A typed chat has no speaking clock (and may be picked up days later), so elapsedMs is estimated
// from word counts, as for plain text (timing `estimated`).
import { estimatedTurns, importedMeta } from './plain-transcript.js';
import { type Role, type Transcript } from '../schemas/transcript.js';
import { stripControls } from '../term/strip.js';
import { SdcoachError } from '../errors.js';

export interface ChatExportOptions {
  file?: string | null;
  problem?: string | null;
  /** Which conversation of several, by title (case-insensitive). */
  conversation?: string | null;
  wordsPerMinute?: number;
}

/** JSON that is not a transcript this tool can read, or an export it cannot pick a conversation from. */
export class TranscriptFormatError extends SdcoachError {
  constructor(message: string) {
    super(message, 1);
    this.name = 'TranscriptFormatError';
  }
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);
const str = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const num = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);

const isChatGpt = (value: unknown): value is JsonObject => isObject(value) && isObject(value.mapping);
const isClaude = (value: unknown): value is JsonObject => isObject(value) && Array.isArray(value.chat_messages);

interface Message {
  role: Role;
  text: string;
}

/** Which kind of export `data` is, or null. */
export function chatExportKind(data: unknown): 'chatgpt' | 'claude' | null {
  const list = Array.isArray(data) ? data : [data];
  if (list.length === 0) return null;
  if (list.every(isChatGpt)) return 'chatgpt';
  if (list.every(isClaude)) return 'claude';
  return null;
}

/** The visible text of a ChatGPT message, or null for one the user never saw as a chat turn. */
function chatGptText(message: JsonObject): Message | null {
  const author = isObject(message.author) ? str(message.author.role) : null;
  if (author !== 'user' && author !== 'assistant') return null;
  const metadata = isObject(message.metadata) ? message.metadata : {};
  if (metadata.is_visually_hidden_from_conversation === true) return null;
  // An assistant message to a tool (`recipient` "python", "browser", …) is a call, not speech.
  const recipient = str(message.recipient);
  if (recipient !== null && recipient !== 'all') return null;
  const content = isObject(message.content) ? message.content : null;
  if (!content) return null;
  const type = str(content.content_type) ?? 'text';
  if (type !== 'text' && type !== 'multimodal_text') return null;
  // Images and files in a multimodal message are objects: only the strings are text.
  const parts = Array.isArray(content.parts) ? content.parts.filter((p): p is string => typeof p === 'string') : [];
  const text = stripControls(parts.join('\n\n')).trim();
  return text ? { role: author === 'assistant' ? 'interviewer' : 'candidate', text } : null;
}

function chatGptMessages(conversation: JsonObject): Message[] {
  const mapping = conversation.mapping as JsonObject;
  const nodes: JsonObject[] = [];
  const current = str(conversation.current_node);
  if (current && isObject(mapping[current])) {
    // The branch on screen: from the current node back to the root (a cycle is cut, not followed).
    const seen = new Set<string>();
    for (let id: string | null = current; id && !seen.has(id) && isObject(mapping[id]); ) {
      seen.add(id);
      const node = mapping[id] as JsonObject;
      nodes.push(node);
      id = str(node.parent);
    }
    nodes.reverse();
  } else {
    const all = Object.values(mapping).filter(isObject);
    const time = (node: JsonObject) => (isObject(node.message) ? (num(node.message.create_time) ?? Infinity) : -Infinity);
    nodes.push(...all.map((node, index) => ({ node, index })).sort((a, b) => time(a.node) - time(b.node) || a.index - b.index).map((x) => x.node));
  }
  const messages: Message[] = [];
  for (const node of nodes) {
    const message = isObject(node.message) ? chatGptText(node.message) : null;
    if (message) messages.push(message);
  }
  return messages;
}

function claudeMessages(conversation: JsonObject): Message[] {
  const messages: Message[] = [];
  for (const item of conversation.chat_messages as Json[]) {
    if (!isObject(item)) continue;
    const sender = str(item.sender);
    if (sender !== 'human' && sender !== 'assistant') continue;
    let text = str(item.text) ?? '';
    if (!text && Array.isArray(item.content)) {
      text = item.content
        .filter((c): c is JsonObject => isObject(c) && c.type === 'text')
        .map((c) => str(c.text) ?? '')
        .join('\n\n');
    }
    text = stripControls(text).trim();
    if (text) messages.push({ role: sender === 'assistant' ? 'interviewer' : 'candidate', text });
  }
  return messages;
}

const titleOf = (conversation: JsonObject, kind: 'chatgpt' | 'claude') =>
  (str(kind === 'chatgpt' ? conversation.title : conversation.name) ?? '').trim() || '(untitled)';

/** When the conversation started, as ISO-8601, if the export says. */
function startedOf(conversation: JsonObject, kind: 'chatgpt' | 'claude'): string | null {
  if (kind === 'chatgpt') {
    const seconds = num(conversation.create_time);
    return seconds === null ? null : new Date(seconds * 1000).toISOString();
  }
  const created = str(conversation.created_at);
  return created && !Number.isNaN(Date.parse(created)) ? new Date(created).toISOString() : null;
}

/**
 * A parsed export as a Transcript. Throws TranscriptFormatError when `data` is not an export, or
 * holds several conversations and none is named (or the named one is not there).
 */
export function importChatExport(data: unknown, sourceText: string, options: ChatExportOptions = {}): Transcript {
  const kind = chatExportKind(data);
  if (!kind) throw new TranscriptFormatError(NOT_A_TRANSCRIPT);
  const conversations = (Array.isArray(data) ? data : [data]) as JsonObject[];
  let conversation = conversations[0]!;
  if (options.conversation) {
    const wanted = options.conversation.trim().toLowerCase();
    const found = conversations.filter((c) => titleOf(c, kind).toLowerCase() === wanted);
    if (found.length !== 1) {
      throw new TranscriptFormatError(
        `${found.length === 0 ? 'no conversation' : `${found.length} conversations`} titled "${options.conversation}" in this export (${listTitles(conversations, kind)})`,
      );
    }
    conversation = found[0]!;
  } else if (conversations.length > 1) {
    throw new TranscriptFormatError(
      `this export holds ${conversations.length} conversations (${listTitles(conversations, kind)}); grade one at a time: save the interview on its own, e.g. jq '.[] | select(.${kind === 'chatgpt' ? 'title' : 'name'} == "TITLE")' conversations.json > interview.json`,
    );
  }
  const messages = kind === 'chatgpt' ? chatGptMessages(conversation) : claudeMessages(conversation);
  // What the user wrote before the assistant first spoke is the set-up ("Act as a system design
  // interviewer…"), not an answer: a note, as text before the first label is in plain imports.
  const firstInterviewer = messages.findIndex((m) => m.role === 'interviewer');
  for (let i = 0; i < firstInterviewer; i++) messages[i] = { ...messages[i]!, role: 'system' };
  const events = estimatedTurns(messages, options.wordsPerMinute);
  const meta = importedMeta({
    idSource: `${sourceText}\u0000${titleOf(conversation, kind)}`,
    problem: options.problem ?? null,
    events,
    timing: 'estimated',
    source: kind,
    started: startedOf(conversation, kind) ?? new Date(0).toISOString(),
  });
  return { file: options.file ?? null, format: 'plain', meta, events, problems: [], tornTail: false };
}

function listTitles(conversations: JsonObject[], kind: 'chatgpt' | 'claude'): string {
  const titles = conversations.slice(0, 5).map((c) => `"${titleOf(c, kind)}"`);
  if (conversations.length > 5) titles.push(`and ${conversations.length - 5} more`);
  return titles.join(', ');
}

export const NOT_A_TRANSCRIPT =
  'not a transcript: JSON that is neither a saved session (.jsonl) nor a ChatGPT or Claude conversation export';
