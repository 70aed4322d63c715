// Word lists the analyzers share, compiled once at module load: named technologies (a
// sentence naming one is specific), reasoning connectives, and number words.
import { PhraseMatcher, type TextDoc } from './text.js';

/** Technologies and protocols a candidate may name; naming one makes a sentence concrete. */
export const TECHNOLOGIES = [
  'redis', 'memcached', 'kafka', 'rabbitmq', 'pulsar', 'kinesis', 'sqs', 'sns', 'pubsub', 'pub/sub', 'nats', 'zeromq',
  'cassandra', 'scylla*', 'dynamodb', 'dynamo', 'bigtable', 'hbase', 'spanner', 'cockroach*', 'postgres*', 'mysql',
  'mariadb', 'sqlite', 'oracle', 'sql server', 'mongodb', 'mongo', 'couchbase', 'couchdb', 'riak', 'foundationdb', 'tidb',
  'vitess', 'aurora', 'rds', 'elasticsearch', 'opensearch', 'solr', 'lucene', 'neo4j', 'clickhouse', 'druid', 'pinot',
  'snowflake', 'bigquery', 'redshift', 'hive', 'presto', 'trino', 'influxdb', 'timescale*', 'prometheus', 'grafana',
  'datadog', 'new relic', 'splunk', 'opentelemetry', 'otel', 'jaeger', 'zipkin', 'pagerduty', 'sentry', 'honeycomb',
  'kibana', 'logstash', 'fluentd', 'loki', 'elk', 's3', 'gcs', 'blob storage', 'hdfs', 'ceph', 'minio', 'glacier',
  'cloudfront', 'akamai', 'fastly', 'cloudflare', 'cdn', 'nginx', 'haproxy', 'envoy', 'istio', 'linkerd', 'consul',
  'zookeeper', 'etcd', 'raft', 'paxos', 'zab', 'kubernetes', 'k8s', 'docker', 'lambda', 'ec2', 'ecs', 'fargate',
  'spark', 'flink', 'hadoop', 'mapreduce', 'beam', 'storm', 'airflow', 'grpc', 'protobuf', 'thrift', 'avro', 'graphql',
  'rest', 'http/2', 'http2', 'http/3', 'quic', 'websocket*', 'webrtc', 'sse', 'long polling', 'mqtt', 'tcp', 'udp',
  'tls', 'mtls', 'ssl', 'oauth*', 'oidc', 'saml', 'jwt', 'hmac', 'aes', 'rsa', 'sha256', 'sha-256', 'bcrypt', 'kms',
  'vault', 'waf', 'ddos', 'bloom filter*', 'consistent hashing', 'hyperloglog', 'count-min sketch', 'merkle tree*',
  'lsm', 'b-tree', 'btree', 'crdt*', 'vector clock*', 'gossip', 'snowflake id*', 'uuid*', 'base62', 'base64', 'md5',
  'murmur*', 'token bucket', 'leaky bucket', 'sliding window', 'geohash', 'quadtree', 'h3', 'lru', 'lfu', 'ttl',
  'write-ahead log', 'wal', 'cdc', 'debezium', 'two-phase commit', '2pc', 'saga', 'outbox', 'sentinel', 'quorum',
  'dns', 'anycast', 'bgp', 'ipvs', 'sidecar',
];

const techMatcher = new PhraseMatcher<number>(TECHNOLOGIES.map((pattern, key) => ({ key, pattern })));

/** Reasoning: the candidate says why, or what follows. */
const REASONS = [
  'because', 'since', 'so that', 'which means', 'that means', 'this means', 'otherwise', 'therefore', 'hence', 'thus',
  'to avoid', 'to prevent', 'in order to', 'due to', 'given that', 'the reason', 'trade off*', 'tradeoff*', 'at the cost of',
  'at the expense of', 'in exchange for', 'which lets', 'that lets', 'so we can', 'so it', 'so the', 'so a', 'so we',
  'which gives', 'that way', 'as long as', 'unless', 'so they', 'so their', 'so its', 'so our', 'so each', 'so every',
  'which is why', "that's why", 'that is why', 'too expensive', 'too slow', 'too costly', 'so no', 'so only',
];
/**
 * Technologies (keys 0..) and reasons (keys from TECHNOLOGIES.length) in one matcher, so
 * sentenceFeatures scans a document once for both.
 */
const featureMatcher = new PhraseMatcher<number>([
  ...TECHNOLOGIES.map((pattern, key) => ({ key, pattern })),
  ...REASONS.map((pattern, key) => ({ key: TECHNOLOGIES.length + key, pattern })),
]);
const REASON_KEYS = TECHNOLOGIES.length;

/** Words that carry a quantity without digits. */
export const NUMBER_WORDS = new Set(['hundred', 'thousand', 'million', 'millions', 'billion', 'billions', 'trillion', 'thousands', 'hundreds', 'dozen', 'dozens']);

/** Per-sentence facts used for depth: has a number, names a technology, gives a reason. */
export interface SentenceFeatures {
  number: Uint8Array;
  tech: Uint8Array;
  reason: Uint8Array;
  /** First technology token in the sentence, -1 if none. */
  techToken: Int32Array;
}

/** The vocabulary's table of number flags, per id: 0 not yet seen, 1 not a number, 2 a number. */
const NUMBER_FLAGS = 'vocab.numberFlags';

export function sentenceFeatures(doc: TextDoc): SentenceFeatures {
  const cached = doc.memo.features as SentenceFeatures | undefined;
  if (cached) return cached;
  const n = doc.sentences.length;
  const features: SentenceFeatures = {
    number: new Uint8Array(n),
    tech: new Uint8Array(n),
    reason: new Uint8Array(n),
    techToken: new Int32Array(n).fill(-1),
  };
  const tokens = doc.tokens;
  // Locals rather than fields and method calls: this runs once per token.
  const data = tokens.data;
  const number = features.number;
  const flags = doc.vocabulary.wordTable(NUMBER_FLAGS, doc.generation, tokens.vocabularySize);
  for (let i = 0; i < tokens.length; i++) {
    const id = data[i * 4]!;
    let flag = flags[id]!;
    if (flag === 0) {
      const word = tokens.word(i);
      const c = word.charCodeAt(0);
      flag = (c >= 48 && c <= 57) || NUMBER_WORDS.has(word) ? 2 : 1;
      flags[id] = flag;
    }
    if (flag === 2) number[tokens.sentence(i)] = 1;
  }
  featureMatcher.match(doc, (key, first) => {
    const s = doc.tokens.sentence(first);
    if (key >= REASON_KEYS) {
      features.reason[s] = 1;
      return;
    }
    features.tech[s] = 1;
    if (features.techToken[s] === -1) features.techToken[s] = first;
  });
  doc.memo.features = features;
  return features;
}

/** Technology names found in a document, in order of appearance (lower-case, deduplicated). */
export function technologiesIn(doc: TextDoc): string[] {
  const seen: string[] = [];
  techMatcher.match(doc, (_key, first, last) => {
    const parts: string[] = [];
    for (let i = first; i <= last; i++) parts.push(doc.tokens.word(i));
    const words = parts.join(' ');
    if (!seen.includes(words)) seen.push(words);
  });
  return seen;
}
