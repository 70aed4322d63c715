// Plain words for jargon. A candidate who says "three copies in each location" has said
// "replication", and "a fast in-memory copy of popular addresses" is a cache: a grader that
// only knows the jargon marks down the clearest speakers. Each entry lists jargon patterns (as
// rubric signals, problem components and the option catalogue write them) and the plain phrases
// that mean the same; every matcher built from those patterns also matches the plain phrases,
// under the same key. Plain phrases are several words long on purpose: one everyday word
// ("copy", "store", "log") says nothing on its own.
import { patternWords } from './text.js';

interface Entry {
  jargon: readonly string[];
  plain: readonly string[];
}

const ENTRIES: readonly Entry[] = [
  { jargon: ['cdn', 'cdn / edge', 'edge', 'edge cache', 'cloudfront', 'cloudflare'], plain: ['servers close to users', 'close to users all over', 'content delivery company', 'nearby copies', 'nearby copy', 'copies near the users', 'copies near users'] },
  { jargon: ['cach*', 'cache', 'in-memory cache', 'redis', 'memcache*', 'memcached', 'read-through cache', 'read through'], plain: ['in-memory copy', 'in-memory copies', 'fast in-memory copy', 'fast memory store', 'copies of recent answers', 'copy of popular', 'kept in memory'] },
  { jargon: ['load balanc*', 'load balancer', 'lb', 'geo dns', 'anycast', 'global load balancer'], plain: ['sent to the nearest', 'nearest of our', 'spreads requests', 'spread requests', 'spread the requests', 'others take its visitors', 'the others take its'] },
  { jargon: ['stateless', 'stateless api service'], plain: ['keep nothing themselves', 'keeps nothing itself', 'keep nothing on them', 'hold no state'] },
  { jargon: ['key-value store', 'kv store', 'nosql', 'datastore', 'database', 'cassandra', 'dynamodb'], plain: ['main store', 'look-up-by-name store', 'look up by name store', 'kind of store'] },
  { jargon: ['relational', 'postgres', 'postgresql', 'mysql', 'sql', 'payment state machine and database'], plain: ['classic table database', 'table database', 'classic database'] },
  { jargon: ['replica*', 'replication', 'replicat*', 'three replicas', 'read replica*'], plain: ['three copies', 'copies in each location', 'other two copies', 'keeps three copies', 'keep three copies', 'copies of the data', 'copy of the data'] },
  { jargon: ['quorum', 'quorum read', 'quorum reads'], plain: ['most copies agree', 'majority of copies', 'most of the copies'] },
  { jargon: ['shard*', 'partition*', 'split the data', 'sharding', 'partitioning', 'horizontal partitioning'], plain: ['split a classic database', 'spread over many machines', 'spread across many machines', 'spreading across many machines', 'split by seller', 'split by user', 'split the data across'] },
  { jargon: ['id generator', 'id ranges', 'ticket server', 'key generation service', 'kgs', 'snowflake'], plain: ['block of a million numbers', 'blocks of numbers', 'coordinating service', 'a block of numbers'] },
  { jargon: ['base62'], plain: ['letter, capital letter or digit', 'letters and digits'] },
  { jargon: ['kafka', 'event log', 'click log', 'queue*', 'message queue', 'analytics pipeline', 'stream processing', 'event log / message queue', 'pubsub', 'message broker'], plain: ['visit log', 'message log', 'shared message log', 'log that a separate job reads', 'waiting line', 'line of messages'] },
  { jargon: ['rate limit*', 'rate limiting', 'rate limiter', 'throttl*', 'throttling', 'quota'], plain: ['only make so many', 'so many a minute', 'limit how many', 'at most so many'] },
  { jargon: ['blocklist', 'safe browsing', 'abuse scanning', 'takedown', 'phishing check'], plain: ['lists of known bad sites', 'scam-checking', 'scam checking', 'switch off short', 'switching one off'] },
  { jargon: ['302', 'temporary redirect'], plain: ['temporary forwarding', 'temporary forward', '"temporary" forwarding'] },
  { jargon: ['301', 'permanent redirect'], plain: ['permanent forwarding', 'permanent forward', '"permanent" forwarding'] },
  { jargon: ['single-flight', 'single flight', 'request coalescing', 'coalesc*', 'thundering herd'], plain: ['only one request per server goes', 'others wait for that answer', "doesn't send a flood", 'does not send a flood'] },
  { jargon: ['if a node dies', 'node failure', 'node fails', 'crash*', 'goes down'], plain: ['machine dies', 'server dies', 'a machine dies', 'if one dies', 'stops working'] },
  { jargon: ['failover', 'fail over', 'fails over'], plain: ['others take its visitors', 'the other two copies answer', 'switch to the second'] },
  { jargon: ['load shedding', 'shed load', 'backpressure', 'back pressure', 'buffer*'], plain: ['hold visits for a while', 'drop them past a limit', 'hold them for a while'] },
  { jargon: ['monitor*', 'metrics', 'observability', 'monitoring'], plain: ['watching it in production', 'we measure', 'signals we watch', 'money signals', 'how often it fails'] },
  { jargon: ['alert*', 'alerts', 'alerting', 'page', 'paging', 'on-call'], plain: ['page someone', 'wake someone', 'tell the on-call', 'goes to a person'] },
  { jargon: ['p99', 'p95', 'latency', 'percentile'], plain: ['99 out of 100', 'thousandths of a second', 'how long forwarding takes', 'how long it takes'] },
  { jargon: ['availability', 'uptime', 'highly available', 'nines', '99.99'], plain: ['down for no more than', 'stays up', 'staying up', 'available 99'] },
  { jargon: ['idempotency key', 'idempotency-key', 'idempoten*', 'payment api with idempotency keys', 'dedup*'], plain: ['request number', 'one-time request number', 'refuse a second copy', 'second copy of the same request', 'spot a repeat'] },
  { jargon: ['token*', 'tokeniz*', 'tokenization'], plain: ['stand-in number'] },
  { jargon: ['pci', 'pci dss', 'card data', 'compliance'], plain: ['card-industry audits', 'card industry audits'] },
  { jargon: ['psp', 'payment provider', 'processor', 'psp adapter', 'stripe', 'adyen'], plain: ['card company', 'card-processing company', 'card processing company', 'card companies'] },
  { jargon: ['outbox', 'transactional outbox', 'outbox table', 'cdc', 'change data capture'], plain: ['table of things to send', 'things to send in the same step'] },
  { jargon: ['webhook*', 'webhook receiver', 'inbound webhook receiver', 'psp webhooks'], plain: ['messages about what happened', 'messages from the card company', 'table of things received'] },
  { jargon: ['ledger', 'double entry', 'double-entry ledger', 'journal'], plain: ['set of books', 'lines in the books', 'the books record'] },
  { jargon: ['reconciliation', 'reconcile', 'reconciliation job', 'settlement file'], plain: ['checking the books', "compare each card company's statement", 'statement with our tries'] },
  { jargon: ['transaction*', 'atomic*', 'acid'], plain: ['all-or-nothing step', 'all or nothing', 'in one step', 'in the same step'] },
  { jargon: ['encrypt*', 'encryption'], plain: ['scrambled with a secret key', 'scramble it with'] },
  { jargon: ['retry', 'retries', 'retried', 'retry queue'], plain: ['try again', 'tried again', 'sent until the seller confirms', 'sent until it is confirmed'] },
  { jargon: ['exponential backoff', 'backoff', 'back off'], plain: ['wait longer each time', 'longer and longer gaps', 'waits longer each time'] },
  { jargon: ['dead letter', 'dlq', 'dead letter queue'], plain: ['their own waiting line', 'set aside for a person'] },
  { jargon: ['state machine'], plain: ["each payment's stage", 'stage only changes', 'in the stage we expect'] },
  { jargon: ['circuit breaker*', 'circuit breaking'], plain: ['stop calling it', 'stops calling it'] },
  { jargon: ['tracing', 'distributed tracing', 'trace id', 'correlation id'], plain: ['one number that ties together', 'ties together everything'] },
  { jargon: ['slo', 'slos', 'sli', 'error budget'], plain: ['promises we measure', 'promise we measure'] },
  { jargon: ['consistent hashing'], plain: ['hash of the name picks', 'ring of servers'] },
  { jargon: ['cold storage', 'tiered storage', 'archive'], plain: ['cheaper storage', 'move older data to cheaper'] },
];

function normalise(pattern: string): string {
  const { words, prefix } = patternWords(pattern);
  return words.join(' ') + (prefix ? '*' : '');
}

/** Plain phrases by normalised jargon pattern, built once at load (a few dozen entries). */
const ALIASES: ReadonlyMap<string, readonly string[]> = (() => {
  const map = new Map<string, string[]>();
  for (const entry of ENTRIES) {
    for (const j of entry.jargon) {
      const key = normalise(j);
      const list = map.get(key) ?? [];
      for (const p of entry.plain) if (!list.includes(p)) list.push(p);
      map.set(key, list);
    }
  }
  return map;
})();

/** Plain phrases that mean the same as a jargon pattern (empty when there are none). */
export function plainAliases(pattern: string): readonly string[] {
  return ALIASES.get(normalise(pattern)) ?? [];
}
