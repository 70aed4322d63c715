// Is a sentence a list of names rather than a statement? The grader gives a buzzword list's hits
// no depth, and the interviewer answers a turn made only of lists with "That's a list, not a
// design yet": both read it here, so they never disagree about what was a list.
import type { TextDoc } from './text.js';

/** A list's items are shorter than this, in words. */
const LIST_WORDS_PER_ITEM = 3.5;
const LIST_JOINERS = new Set(['and', 'or', 'plus', 'etc']);

const LIST_MAX_FUNCTION_SHARE = 0.12;
const LIST_MIN_ITEMS = 4;
const LIST_MANY_ITEMS = 8;
const LIST_MANY_WORDS_PER_ITEM = 2.5;
const FUNCTION_WORDS = new Set([
  'i', 'we', 'you', 'it', 'they', 'the', 'a', 'an', 'to', 'on', 'in', 'of', 'with', 'when', 'if', 'is', 'are', 'was', 'be', 'will',
  'would', 'can', 'could', 'should', 'by', 'for', 'at', 'that', 'which', 'so', 'then', 'because', 'from', 'into', 'each', 'every',
  'our', 'its', 'their', 'this', 'these', 'those', 'do', 'does', 'has', 'have', 'not', 'no', 'but', 'or', 'than', 'as', 'up',
  // A stated choice ("We'd use Kafka, Redis, Cassandra and Postgres") is a claim, not a list.
  "i'd", "we'd", "i'll", "we'll", "let's", "it's", 'use', 'using',
]);

/**
 * A list of names: four or more items between commas, "and" or "or", a few words each, and
 * hardly a function word ("Kafka, Redis, sharding, replication, p99, circuit breakers…"); or so
 * many short items that the few verbs around them do not matter ("We use microservices, Kafka,
 * Redis, sharding, … and a CDN."). "I'd alert on p99 redirect latency, cache hit ratio and 5xx
 * rate per region, with a page when the budget burns" says what is done with its items: not a list.
 */
export function isListSentence(doc: TextDoc, sentence: number): boolean {
  const memo = (doc.memo.list ??= new Int8Array(doc.sentences.length).fill(-1));
  if (memo[sentence] === -1) memo[sentence] = listSentence(doc, sentence) ? 1 : 0;
  return memo[sentence] === 1;
}

function listSentence(doc: TextDoc, sentence: number): boolean {
  const { tokenStart, tokenEnd } = doc.sentences[sentence]!;
  const words = tokenEnd - tokenStart;
  if (words < 4) return false;
  let items = 1;
  for (let i = tokenStart + 1; i < tokenEnd; i++) if (doc.tokens.breakBefore(i) || LIST_JOINERS.has(doc.tokens.word(i))) items++;
  if (items < LIST_MIN_ITEMS) return false;
  const perItem = words / items;
  if (perItem >= LIST_WORDS_PER_ITEM) return false;
  return functionShare(doc, sentence) < LIST_MAX_FUNCTION_SHARE || (items >= LIST_MANY_ITEMS && perItem < LIST_MANY_WORDS_PER_ITEM);
}

/** The share of a sentence's words that are function words (a list of nouns has almost none). */
function functionShare(doc: TextDoc, sentence: number): number {
  const { tokenStart, tokenEnd } = doc.sentences[sentence]!;
  let n = 0;
  for (let i = tokenStart; i < tokenEnd; i++) if (FUNCTION_WORDS.has(doc.tokens.word(i))) n++;
  return n / Math.max(1, tokenEnd - tokenStart);
}

