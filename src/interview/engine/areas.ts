// The areas the interviewer probes when the candidate leaves them out, each split into groups of
// phrases (word boundaries, `*` = prefix, as in rubric signals). A group is covered once any of
// its phrases appears un-negated in the candidate's text; each group has the question that asks
// for it, so the interviewer never asks about what was already said.
export type AreaId = 'estimation' | 'data-model' | 'failure' | 'observability' | 'security';

export interface AreaGroup {
  area: AreaId;
  /** Stable id, part of the question's identity. */
  id: string;
  patterns: readonly string[];
  question: string;
}

export const AREA_LABEL: Record<AreaId, string> = {
  estimation: 'estimation',
  'data-model': 'data model',
  failure: 'failure handling',
  observability: 'observability',
  security: 'security and privacy',
};

export const AREAS: readonly AreaId[] = ['estimation', 'data-model', 'failure', 'observability', 'security'];

export const AREA_GROUPS: readonly AreaGroup[] = [
  {
    area: 'estimation',
    id: 'traffic',
    patterns: ['qps', 'rps', 'requests per second', 'queries per second', 'per second', 'a second', 'per day', 'a day', 'peak', 'writes per second', 'reads per second', 'throughput'],
    question: 'Put numbers on it. Peak requests per second for reads and for writes, and show me the arithmetic.',
  },
  {
    area: 'estimation',
    id: 'storage',
    patterns: ['storage', 'tb', 'pb', 'gb', 'terabyte*', 'petabyte*', 'gigabyte*', 'bytes', 'disk', 'per record', 'per row'],
    question: 'How much data do you store over the retention period? Rough arithmetic is fine.',
  },
  {
    area: 'estimation',
    id: 'capacity',
    patterns: ['bandwidth', 'egress', 'gbps', 'servers', 'machines', 'nodes', 'instances', 'fits in memory', 'cache size', 'memory', 'ram', 'cores'],
    question: 'What do those numbers mean for the fleet? How many nodes, and does the hot set fit in memory?',
  },
  {
    area: 'data-model',
    id: 'schema',
    patterns: ['data model', 'schema', 'table', 'tables', 'columns', 'column', 'record', 'records', 'row', 'rows', 'fields', 'document', 'documents'],
    question: 'What does the data model look like? The main records, their fields, and their keys.',
  },
  {
    area: 'data-model',
    id: 'keys',
    patterns: ['primary key', 'partition key', 'shard key', 'sort key', 'clustering key', 'partition*', 'shard*', 'index', 'indexes', 'indices', 'secondary index*'],
    question: 'What is the partition key, and which query does it serve well? Which one does it serve badly?',
  },
  {
    area: 'data-model',
    id: 'access',
    patterns: ['access pattern*', 'query pattern*', 'read path', 'write path', 'lookup*', 'look up', 'range scan*', 'query by', 'queries by'],
    question: 'List the queries the read path runs. Which index or key serves each one?',
  },
  {
    area: 'failure',
    id: 'node-failure',
    patterns: ['fail*', 'failover', 'fail over', 'dies', 'die', 'crash*', 'goes down', 'go down', 'outage*', 'node failure', 'spof', 'single point of failure', 'redundan*', 'standby', 'health check*'],
    question: "A node dies in the middle of a request. What happens to that request, and what does the user see?",
  },
  {
    area: 'failure',
    id: 'replication',
    patterns: ['replica*', 'replicat*', 'multi az', 'availability zone*', 'quorum', 'leader', 'follower*', 'backup*', 'snapshot*'],
    question: "How is the data replicated, and what do you lose if the primary goes away mid-write?",
  },
  {
    area: 'failure',
    id: 'retries',
    patterns: ['retry', 'retries', 'retrying', 'backoff', 'idempoten*', 'timeout*', 'circuit breaker*', 'dedup*', 'at least once', 'exactly once'],
    question: 'A client times out and retries. What stops the work from happening twice?',
  },
  {
    area: 'failure',
    id: 'degradation',
    patterns: ['graceful degradation', 'degrade*', 'degraded', 'fallback', 'fall back', 'serve stale', 'load shed*', 'shed load', 'backpressure', 'back pressure'],
    question: 'A dependency gets slow rather than down. How does your system degrade, and who notices first?',
  },
  {
    area: 'observability',
    id: 'metrics',
    patterns: ['monitor*', 'metric*', 'dashboard*', 'slo', 'slos', 'sli', 'slis', 'sla', 'p99', 'p95', 'p50', 'error rate*', 'prometheus', 'grafana', 'datadog', 'golden signals', 'observab*'],
    question: 'How would you know this is unhealthy at 3 a.m.? What exactly do you measure?',
  },
  {
    area: 'observability',
    id: 'alerting',
    patterns: ['alert*', 'page someone', 'page the', 'paged', 'paging', 'pager*', 'pagerduty', 'on call', 'on-call', 'burn rate', 'error budget*'],
    question: 'What pages someone at night, and at what threshold? What stays a dashboard?',
  },
  {
    area: 'observability',
    id: 'tracing',
    patterns: ['tracing', 'trace', 'traces', 'logging', 'logs', 'structured log*', 'request id*', 'correlation id*', 'opentelemetry', 'otel', 'jaeger'],
    question: 'p99 doubles in one region. How do you find which component is slow?',
  },
  {
    area: 'security',
    id: 'auth',
    patterns: ['auth', 'authn', 'authz', 'authenticat*', 'authoriz*', 'authoris*', 'oauth*', 'api key*', 'jwt', 'permission*', 'access control', 'acl', 'acls', 'tls', 'mtls', 'access token*', 'auth token*', 'bearer token*', 'signed url*'],
    question: 'Who is allowed to call what? How are clients authenticated?',
  },
  {
    area: 'security',
    id: 'abuse',
    patterns: ['rate limit*', 'rate-limit*', 'throttl*', 'abuse', 'spam', 'bot', 'bots', 'ddos', 'captcha', 'quota*', 'fraud', 'malicious', 'waf'],
    question: 'Someone scripts a million requests an hour against you. What stops them, and where?',
  },
  {
    area: 'security',
    id: 'privacy',
    patterns: ['pii', 'privacy', 'gdpr', 'personal data', 'encrypt*', 'at rest', 'anonymi*', 'data residency', 'right to be forgotten', 'redact*'],
    question: 'What personal data do you hold, and how does a user get it deleted?',
  },
];

/** Indices into AREA_GROUPS of each area's groups. */
export const GROUPS_OF: Record<AreaId, number[]> = Object.fromEntries(
  AREAS.map((area) => [area, AREA_GROUPS.flatMap((g, i) => (g.area === area ? [i] : []))]),
) as Record<AreaId, number[]>;

/** Groups covered in bitmask `covered`, as a fraction of the area's groups. */
export function areaCoverage(area: AreaId, covered: number): number {
  const groups = GROUPS_OF[area];
  let n = 0;
  for (const g of groups) if (covered & (1 << g)) n++;
  return n / groups.length;
}

// Content cues for the phase the candidate is in (non-question sentences only).
export const PHASE_CUES = {
  estimate: ['estimat*', 'qps', 'rps', 'per second', 'per day', 'back of the envelope', 'back of envelope', 'storage', 'tb', 'pb', 'gb', 'bandwidth', 'dau', 'mau', 'capacity', 'numbers', 'math'],
  'high-level': ['high level', 'architecture', 'component*', 'load balancer*', 'api', 'apis', 'service', 'services', 'database', 'data model', 'schema', 'endpoint*', 'cache', 'queue', 'write path', 'read path', 'diagram', 'gateway', 'worker*', 'table', 'tables', 'store'],
  'deep-dive': ['deep dive', 'dive', 'go deeper', 'dig into', 'fail*', 'failover', 'replica*', 'replicat*', 'shard*', 'hot key*', 'hotspot*', 'consisten*', 'what happens', 'retry*', 'retries', 'idempoten*', 'bottleneck*', '10x', 'race condition*', 'single point', 'quorum', 'crash*', 'outage*', 'monitor*', 'alert*'],
  'wrap-up': ['summar*', 'recap', 'wrap up', 'wrapping up', 'to conclude', 'in conclusion', 'to sum up', 'next steps', 'if i had more time'],
} as const;
