// Content checks on the packaged problem bank, beyond schema validity: the minimum depth issue 4
// asks for, pushbacks on both technologies and design choices, and triggers specific enough
// that an ordinary sentence does not fire one by accident.
import { describe, expect, it } from 'vitest';
import { listProblems } from '../../src/content/problem-loader.js';
import type { LoadedProblem } from '../../src/schemas/problem.js';
import { resolvePaths } from '../../src/storage/paths.js';

const NEW_IDS = ['distributed-cache', 'metrics-pipeline', 'web-crawler', 'ml-inference', 'feature-store', 'edge-cdn'];

/**
 * Products and protocols: a pushback with one of these as a trigger is about a technology;
 * one with none is about a design choice (write-through, fixed window, polling…).
 */
const TECHNOLOGIES = new Set([
  'redis', 'redis cluster', 'memcached', 'kafka', 'cassandra', 'scylla', 'hbase', 'bigtable', 'dynamodb', 'mongodb', 'nosql',
  'postgres', 'mysql', 'sql', 'relational', 'sql database', 'relational database', 'timescale', 'timescaledb',
  'elasticsearch', 'opensearch', 'prometheus', 'kubernetes', 'k8s', 'statefulset', 'hpa', 'zookeeper', 'etcd',
  'websocket', 'websockets', 'sse', 'server-sent events', 'quic', 'http/3', 'http3', 'cloudflare', 'akamai', 'fastly',
  'cloudfront', 'commercial cdn', 'anycast', 'neo4j', 'graph database', 'md5', 'sha', 'sha1', 'sha-1', 'sha256', 'sha-256',
  'snowflake', 'headless chrome', 'headless browser', 'puppeteer', 'playwright', 'serverless', 'lambda', 'cloud functions',
  'pubsub', 'message queue', 'edge functions', 'lambda@edge', 'cloudflare workers', 'geo dns', 'geodns', 'bloom filter',
  'bloom filters', 'getaddrinfo', 'system resolver', 'xa',
]);

function isTechnology(trigger: string[]): boolean {
  return trigger.some((t) => TECHNOLOGIES.has(t));
}

/** Sentences any candidate says in any design; no trigger may fire on them. */
const ORDINARY = [
  'Let me start with the requirements and then do some quick estimates.',
  'I would put a cache in front of the database to keep reads fast.',
  'We push the data to a queue and a worker pulls it off asynchronously.',
  'The service keeps a local copy in memory and writes the rest to disk.',
  'I will hash the key to pick a shard, and keep a counter of requests per second.',
  'Each page has an offset and a limit, and we return the latest value to the client.',
  'We retry with backoff, log every error and alert the on-call when the error rate climbs.',
  'Clients connect through a load balancer to stateless servers in each region.',
  'For failures we replicate the data and fail over to a standby within a few seconds.',
  'The monitoring dashboard shows p99 latency, throughput and the number of active users.',
];

/** Does `trigger` occur in `text` as whole words (how the engine and grader match phrases)? */
function fires(trigger: string, text: string): boolean {
  const escaped = trigger.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+');
  return new RegExp(`(^|[^a-z0-9])${escaped}($|[^a-z0-9])`, 'i').test(text);
}

describe('problem bank content', async () => {
  const listing = await listProblems(resolvePaths({ SDCOACH_HOME: '/nonexistent/sdcoach-home' }));
  const problems = new Map<string, LoadedProblem>();
  for (const entry of listing) if (entry.ok) problems.set(entry.id, entry.problem);

  it('has every problem issue 4 asks for, all valid', () => {
    expect(listing.filter((e) => !e.ok)).toEqual([]);
    expect([...problems.keys()]).toEqual(expect.arrayContaining(NEW_IDS));
    expect(problems.size).toBeGreaterThanOrEqual(12);
  });

  it.each(NEW_IDS)('%s meets the minimum depth', (id) => {
    const problem = problems.get(id)!;
    expect(problem.facts.length).toBeGreaterThanOrEqual(10);
    expect(problem.reference_estimates.length).toBeGreaterThanOrEqual(5);
    expect(problem.components.length).toBeGreaterThanOrEqual(8);
    expect(problem.deep_dives.length).toBeGreaterThanOrEqual(4);
    expect(problem.deep_dives.length).toBeLessThanOrEqual(5);
    expect(problem.pushbacks.length).toBeGreaterThanOrEqual(7);
    expect(Object.keys(problem.levels).sort()).toEqual(['L4', 'L5', 'L6']);
    for (const component of problem.components) expect(component.synonyms.length).toBeGreaterThan(0);
    // The fact sheet covers what a clarifying question is usually about.
    const topics = problem.facts.map((f) => `${f.topic} ${f.ask.join(' ')} ${f.answer}`.toLowerCase()).join('\n');
    for (const needed of ['latency', 'region', 'per second', 'retention|keep|how long', 'consisten|stale|fresh', 'size|bytes']) {
      expect(topics, `${id} facts mention ${needed}`).toMatch(new RegExp(needed));
    }
  });

  it.each([...Array(12).keys()])('problem %i has at least 8 facts and pushbacks on technologies and on design choices', (i) => {
    const problem = [...problems.values()].sort((a, b) => a.id.localeCompare(b.id))[i]!;
    expect(problem.facts.length, problem.id).toBeGreaterThanOrEqual(8);
    const tech = problem.pushbacks.filter((p) => isTechnology(p.trigger));
    const choices = problem.pushbacks.filter((p) => !isTechnology(p.trigger));
    expect(tech.length, `${problem.id}: technology pushbacks`).toBeGreaterThanOrEqual(2);
    expect(choices.length, `${problem.id}: design-choice pushbacks (${choices.map((c) => c.trigger[0]).join(', ')})`).toBeGreaterThanOrEqual(2);
  });

  it('no pushback trigger fires on ordinary sentences, and none is a bare common word', () => {
    const generic = new Set(['cache', 'push', 'pull', 'queue', 'local', 'database', 'async', 'hash', 'hashing', 'counter', 'offset', 'sticky', 'in-memory', 'retry', 'storage', 'load balancer', 'latest value', 'overwrite', 'on the fly']);
    const problemsFound: string[] = [];
    for (const problem of problems.values()) {
      for (const pushback of problem.pushbacks) {
        for (const trigger of pushback.trigger) {
          if (generic.has(trigger)) problemsFound.push(`${problem.id}: bare trigger "${trigger}"`);
          for (const sentence of ORDINARY) if (fires(trigger, sentence)) problemsFound.push(`${problem.id}: "${trigger}" fires on "${sentence}"`);
        }
      }
    }
    expect(problemsFound).toEqual([]);
  });

  it('every estimate id is unique per problem and every trigger is unique across a problem', () => {
    for (const problem of problems.values()) {
      const triggers = problem.pushbacks.flatMap((p) => p.trigger);
      expect(new Set(triggers).size, `${problem.id} repeats a trigger`).toBe(triggers.length);
    }
  });

  it('llm-chat covers streaming tokens, GPU scheduling, tiers, long-context cost and cancelling a run', () => {
    const p = problems.get('llm-chat')!;
    const text = JSON.stringify([p.facts, p.deep_dives, p.pushbacks, p.reference_estimates]).toLowerCase();
    for (const needed of ['stream', 'gpu', 'schedul', 'tier', 'long context', 'kv cache', 'cancel', 'stop']) expect(text).toContain(needed);
  });
});
