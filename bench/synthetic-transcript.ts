// Deterministic synthetic interviews of a given length, for grading benchmarks: realistic
// sentences (numbers, technologies, tradeoffs, filler) drawn by a seeded PRNG.
import { seededRandom } from '../src/interview/engine/random.js';

const CANDIDATE = [
  'First, let me clarify the functional requirements and what is out of scope for this version.',
  'I will assume about 200M daily active users, each making roughly 20 requests a day.',
  '200M times 20 is 4 billion requests a day, divided by 86,400 seconds is about 46k QPS on average.',
  'At peak I would plan for three times that, so roughly 140k QPS.',
  'Each record is about 500 bytes, so 100M new records a day is 50 GB a day, or about 18 TB a year.',
  'I would put a Redis cache in front of the database because reads outnumber writes 100 to 1.',
  'The tradeoff is consistency: a cache can serve stale data for a few seconds, which is acceptable here.',
  'We shard the table by a hash of the user id so that load spreads evenly across nodes.',
  'For failover, each shard has a leader and two replicas, and we promote a replica when the leader dies.',
  'I would emit metrics for p99 latency and error rate, with alerts on the SLO burn rate.',
  'Logs go to a central pipeline and every request carries a trace id for distributed tracing.',
  'To protect the API we authenticate with OAuth tokens and rate limit per API key.',
  'Personal data is encrypted at rest and in transit, and access is audited.',
  'Um, I guess we could, like, basically use a queue here, you know.',
  'Kafka decouples the write path, at the cost of eventual consistency for the read models.',
  'If a node dies mid-request, the client retries with an idempotency key so nothing is applied twice.',
  'To summarise, the design is stateless API servers, a sharded store, a cache and an async pipeline.',
  'Alternatively we could use Cassandra, which gives us multi-region writes but no transactions.',
];
const INTERVIEWER = [
  'How many daily users should we plan for?',
  'Why not Cassandra here?',
  'What breaks at 10x the traffic?',
  'How would you know the system is unhealthy?',
  'What happens when a node dies in the middle of a request?',
  'Walk me through the data model.',
];

/** A saved-session JSONL text of about `words` words, interview mode, 45 minutes. */
export function syntheticSessionJsonl(words: number, seed: number, problem = 'url-shortener'): string {
  const random = seededRandom(seed);
  const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)]!;
  const lines = [
    JSON.stringify({
      type: 'meta',
      schemaVersion: 1,
      id: `synthetic-${seed}`,
      problem,
      mode: 'interview',
      provider: 'builtin',
      model: 'rule-based-v1',
      rubric: 'default',
      levelTarget: 'L5',
      started: '2026-11-22T10:00:00.000Z',
      minutes: 45,
      timing: 'recorded',
    }),
  ];
  const phases = ['clarify', 'estimate', 'high-level', 'deep-dive', 'wrap-up'] as const;
  let count = 0;
  let turn = 0;
  const totalMs = 45 * 60_000;
  while (count < words) {
    const elapsedMs = Math.min(totalMs, Math.round((count / words) * totalMs));
    const phase = phases[Math.min(4, Math.floor((count / words) * 5))]!;
    const interviewer = pick(INTERVIEWER);
    lines.push(JSON.stringify({ type: 'turn', role: 'interviewer', text: interviewer, elapsedMs, phase }));
    const sentences = Array.from({ length: 4 + Math.floor(random() * 6) }, () => pick(CANDIDATE));
    const text = sentences.join(' ');
    lines.push(JSON.stringify({ type: 'turn', role: 'candidate', text, elapsedMs: elapsedMs + 5_000, phase }));
    count += interviewer.split(' ').length + text.split(' ').length;
    turn += 2;
  }
  lines.push(JSON.stringify({ type: 'end', reason: 'time-up', elapsedMs: totalMs }));
  return lines.join('\n') + '\n';
}
