// What kind of detail a sentence carries, in plain words as well as jargon: how something works
// (what it stores, counts, keys by, sorts, expires), what happens when it fails or races, how
// it stays consistent, and what it is compared with. The grader's deep-dive analyzer reads
// sustained depth on one component from these; nothing here decides a score.
import { PhraseMatcher, type TextDoc } from './text.js';

export const DEPTH_KINDS = ['mechanism', 'failure', 'consistency', 'comparison'] as const;
export type DepthKind = (typeof DEPTH_KINDS)[number];

const LEXICON: Record<DepthKind, readonly string[]> = {
  mechanism: [
    'store', 'stores', 'stored', 'keep', 'keeps', 'kept', 'hold', 'holds', 'write', 'writes', 'read', 'reads', 'increment*',
    'decrement*', 'count', 'counts', 'counter', 'counters', 'hash', 'hashes', 'hashed', 'hashing', 'sorted', 'sort', 'sorts',
    'index', 'indexed', 'indexes', 'per key', 'per user', 'per shard', 'per partition', 'per node', 'per request',
    'timestamp', 'timestamps', 'list', 'lists', 'map', 'maps', 'table', 'tables', 'row', 'rows', 'column', 'partition key',
    'partitioned by', 'sharded by', 'keyed by', 'ring', 'bucket', 'buckets', 'token', 'tokens', 'refill*', 'window',
    'windows', 'lease', 'leases', 'leased', 'version', 'versions', 'sequence', 'offset', 'offsets', 'cursor', 'checkpoint*',
    'batch', 'batches', 'batched', 'buffer', 'buffers', 'buffered', 'snapshot*', 'merge', 'merges', 'compaction', 'encode*',
    'decode*', 'bits', 'bytes', 'ttl', 'expire*', 'evict*', 'lru', 'lookup', 'look up', 'looks up', 'fetch*', 'push',
    'pushes', 'pull', 'pulls', 'poll*', 'fan out', 'fans out', 'fan-out', 'append*', 'replay*', 'dedup*', 'unique constraint',
    'primary key', 'secondary index', 'range', 'ranges', 'queue', 'queues', 'log', 'heap', 'tree', 'trie', 'bloom filter*',
    'sorted set', 'generate*', 'assign*', 'allocate*', 'split*', 'route*', 'forward*', 'cache*', 'precompute*', 'materializ*',
    'materialis*', 'serializ*', 'serialis*', 'compress*', 'chunk*', 'upload*', 'stream*', 'subscribe*', 'publish*',
    // The same in plain words.
    'save', 'saves', 'saved', 'send', 'sends', 'sent', 'mark', 'marks', 'marked', 'move', 'moves', 'moved', 'apply',
    'applies', 'applied', 'check', 'checks', 'checked', 'record', 'records', 'recorded', 'match', 'matches', 'worker',
    'workers', 'job', 'jobs', 'schedule*', 'verify', 'verifies', 'confirm*', 'waits', 'waiting', 'carries', 'ties',
    'one row', 'a row', 'each row', 'a table', 'a list', 'a number', 'its own number', 'step', 'steps', 'slot', 'slots',
  ],
  failure: [
    'fail', 'fails', 'failure', 'failures', 'failed', 'goes down', 'is down', 'are down', 'crash*', 'dies', 'dead', 'timeout*',
    'times out', 'time out', 'unreachable', 'lost', 'lose', 'loses', 'loss', 'restart*', 'retry', 'retries', 'retried',
    'duplicate*', 'out of order', 'race', 'races', 'racing', 'at the same time', 'split brain', 'split-brain', 'stale',
    'hot key', 'hot keys', 'hot spot', 'hotspot*', 'hot partition*', 'overload*', 'thundering herd', 'boundary', 'burst',
    'bursts', 'edge case*', 'corner case*', 'fallback', 'fall back', 'falls back', 'fail open', 'fails open', 'fail closed',
    'fails closed', 'degrade*', 'recover*', 'failover', 'fails over', 'backlog', 'skew', 'drift', 'overshoot*', 'cold',
    'outage', 'partial failure', 'poison', 'slow', 'backpressure', 'spike', 'spikes',
    // The same in plain words.
    'goes quiet', 'quiet', 'unknown', "don't know", 'do not know', "doesn't answer", "don't answer", 'no answer',
    "hasn't answered", 'never comes back', 'never come back', 'forget', 'forgets', 'late', 'stuck', 'mismatch*', 'failing',
    'in between', 'gives up', 'give up', 'too many', 'too much', 'runs out', 'full', 'behind', 'catch up', 'catches up',
    'dies', 'breaks', 'broken', 'unavailable', 'not available', 'wrong order', 'backwards',
  ],
  consistency: [
    'atomic', 'atomically', 'transaction', 'transactions', 'transactional', 'lock', 'locks', 'locking', 'cas',
    'compare and set', 'compare-and-set', 'compare and swap', 'lua', 'linearizab*', 'consistent', 'consistency', 'quorum',
    'leader', 'ordering', 'ordered', 'in order', 'sequence number*', 'idempoten*', 'exactly once', 'at least once',
    'at most once', 'conflict*', 'isolation', 'serializable', 'fencing', 'monotonic', 'vector clock*', 'crdt*',
    'read your writes', 'two-phase', '2pc', 'outbox', 'saga*',
    // The same in plain words.
    'only once', 'exist once', 'at the same time', 'same step', 'one step', 'all-or-nothing', 'all or nothing', 'both',
    'refuse', 'refuses', 'second copy', 'same request', 'the order', 'still in the', 'we expect', 'never both', 'one at a time',
  ],
  comparison: [
    'instead of', 'rather than', 'versus', 'vs', 'compared', 'compare', 'unlike', 'whereas', 'downside', 'tradeoff',
    'trade-off', 'trade off', 'the cost is', 'costs', 'at the cost', 'gives up', 'give up', 'better than', 'worse than',
    'cheaper than', 'simpler than', 'more expensive', 'on the other hand', 'alternative', 'alternatively', 'i pick', 'i chose',
    'i choose', "i'd pick", "i'd choose", 'over',
  ],
};

const KIND_BIT: Record<DepthKind, number> = { mechanism: 1, failure: 2, consistency: 4, comparison: 8 };
export const DEPTH_BIT = KIND_BIT;

const matcher = new PhraseMatcher<DepthKind>(
  (Object.entries(LEXICON) as [DepthKind, readonly string[]][]).flatMap(([key, patterns]) => patterns.map((pattern) => ({ key, pattern }))),
);

export interface SentenceDepth {
  /** Bitmask of DEPTH_BIT per sentence; mechanism needs two mechanism words ("stores a counter per key"). */
  kinds: Uint8Array;
}

/** The depth kinds of every sentence of a doc (memoised on the doc). */
export function sentenceDepth(doc: TextDoc): SentenceDepth {
  const cached = doc.memo.depth as SentenceDepth | undefined;
  if (cached) return cached;
  const n = doc.sentences.length;
  const kinds = new Uint8Array(n);
  const mechanismWords = new Uint8Array(n);
  matcher.match(doc, (kind, first) => {
    const s = doc.tokens.sentence(first);
    if (kind === 'mechanism') {
      if (mechanismWords[s]! < 255) mechanismWords[s]!++;
      if (mechanismWords[s]! >= 2) kinds[s]! |= KIND_BIT.mechanism;
      return;
    }
    kinds[s]! |= KIND_BIT[kind];
  });
  const depth = { kinds };
  doc.memo.depth = depth;
  return depth;
}
