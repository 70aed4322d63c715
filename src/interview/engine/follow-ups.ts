// What makes the interviewer follow the argument: a short acknowledgement of what the candidate
// just committed to (an option, a figure that checks out), and questions built on it (its
// component, its numbers, its failure mode). Generated from the candidate's own words, so they
// never run out and each is asked once (its text names what it is about).
import { isHeld } from '../../reading/decisions.js';
import { AREA_GROUPS } from './areas.js';
import { isNamedTechnology, type OptionCatalogue } from '../../reading/ledger.js';
import { displayTopic, hash } from './probes.js';
import type { PushbackLabel } from '../../schemas/transcript.js';
import type { InterviewHistory } from './history.js';
import type { EstimateReading } from './estimate-check.js';
import type { InterviewSetup } from './types.js';

/** Something concrete from the candidate's latest turn, as they wrote it. */
export interface Anchor {
  kind: 'option' | 'figure' | 'area';
  /** As written in the turn ("token bucket", "Redis", "35,000 per second"). */
  text: string;
  /** Chosen in this turn (not only named). */
  chosen: boolean;
  /** New in this turn: not held before it (figures are always new). */
  fresh: boolean;
  /** Set aside in this turn ("not X", "instead of X", "I considered X but"). */
  rejected?: boolean;
  /** Held from before and not named in the last two turns: the candidate comes back to it. */
  returning?: boolean;
  /** A technique (algorithm, protocol, pattern), not something that runs. */
  technique?: boolean;
}

function pickLine(lines: readonly string[], key: string, seed: number): string {
  return lines[hash(key, seed) % lines.length]!;
}

const capitalise = displayTopic;

/** "Token bucket" opening a sentence is "token bucket"; "SSE" and "Redis" (a named technology) keep their capitals. */
function asWritten(text: string, opens: boolean, name: string): string {
  return opens && /^[A-Z][a-z]/.test(text) && name[0] !== name[0]!.toUpperCase() && !isNamedTechnology(name) ? text[0]!.toLowerCase() + text.slice(1) : text;
}

/** An option the candidate holds, as an anchor for questions: "the" before a component's name; running thing or technique. */
export function optionAnchor(catalogue: OptionCatalogue, option: number, text: string, fields: Pick<Anchor, 'chosen' | 'fresh'> & Partial<Anchor>): Anchor {
  const common = catalogue.common[option]!;
  return { ...fields, kind: 'option', text: common ? `the ${text}` : text, technique: !isRunning(catalogue.names[option]!, common) };
}

/** The options the latest turn holds (chosen first) and its figures that check out, as written. */
export function anchorsOf(history: InterviewHistory, estimates: EstimateReading): Anchor[] {
  const last = history.last;
  if (!last) return [];
  const anchors: Anchor[] = [];
  const seen = new Set<string>();
  const mentions = [...last.decisions.mentions].sort((a, b) => Number(b.stance === 'chosen') - Number(a.stance === 'chosen'));
  const catalogue = history.ledger.catalogue;
  for (const m of mentions) {
    if (m.stance === 'rejected' || (m.stance === 'considered' && !mentions.some((o) => o.stance === 'chosen'))) {
      // A decision against: acknowledged ("No Kafka, then."), never questioned as if held.
      const text = history.lastText.slice(m.start, m.end);
      if (!seen.has(`-${text.toLowerCase()}`)) {
        seen.add(`-${text.toLowerCase()}`);
        anchors.push({ kind: 'option', text: asWritten(text, m.opens, catalogue.names[m.option]!), chosen: false, fresh: true, rejected: true });
      }
      continue;
    }
    if (!isHeld(m.stance)) continue;
    const entry = history.ledger.entries.get(m.option);
    const fresh = entry !== undefined && entry.since === history.candidateTurns;
    const returning = !fresh && entry !== undefined && entry.previous > 0 && entry.previous < history.candidateTurns - 2;
    const anchor = optionAnchor(catalogue, m.option, asWritten(history.lastText.slice(m.start, m.end), m.opens, catalogue.names[m.option]!), {
      chosen: m.stance === 'chosen',
      fresh,
      returning,
    });
    const key = anchor.text.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    anchors.push(anchor);
  }
  for (const figure of [...estimates.right].reverse()) anchors.push({ kind: 'figure', text: figure, chosen: false, fresh: true });
  for (const figure of estimates.stated) anchors.push({ kind: 'figure', text: figure, chosen: false, fresh: true });
  // What the turn said about an area ("replicated to two followers", "idempotency key"), new areas first.
  for (const phrase of last.areaPhrases) {
    // Data-model and sizing words ("record", "table", "storage") are too plain to echo.
    const area = AREA_GROUPS[phrase.group]!.area;
    if (area === 'data-model' || area === 'estimation') continue;
    const text = /^[A-Z][a-z]/.test(phrase.text) ? phrase.text[0]!.toLowerCase() + phrase.text.slice(1) : phrase.text;
    anchors.push({ kind: 'area', text, chosen: false, fresh: !(history.coveredBefore & (1 << phrase.group)) });
  }
  return anchors;
}

const CHOSEN_ACKS = ['{X}, fine.', 'OK, {x}.', '{X} it is.', 'Noted: {x}.'];
const FIGURE_ACKS = ['{X}, OK.', 'So {x}.', '{X}, noted.'];
const MENTION_ACKS = ['{X}, noted.', 'OK, {x}.'];
const REJECTED_ACKS = ['No {x}, then.', 'OK, not {x}.', 'Fine, {x} is out.'];
const AREA_ACKS = ['{X}: OK.', 'OK, {x}.', '{X}, noted.'];

/** A short acknowledgement of the latest turn's main commitment, or '' when it committed to nothing. */
export function acknowledgement(
  setup: InterviewSetup,
  history: InterviewHistory,
  anchors: Anchor[],
  previous: string,
  pushback: { option: string; label: PushbackLabel } | null = null,
): string {
  if (history.repeated) return history.repeated === 1 ? 'You said that already.' : 'Same answer as before.';
  // The answer to a challenge: what stands now.
  if (pushback) {
    const name = capitalise(pushback.option);
    // A technology keeps its capital mid-sentence ("OK, Cassandra stays."); a technique does not ("OK, token bucket stays.").
    const shown = isNamedTechnology(pushback.option) ? name : pushback.option;
    if (pushback.label === 'defended') return pickLine([`OK, ${shown} stays.`, `${name} stays, then.`], pushback.option, setup.seed + history.candidateTurns);
    const replacement = anchors.find((a) => a.kind === 'option' && !a.rejected && a.fresh && a.text.toLowerCase() !== pushback.option.toLowerCase());
    if (replacement && pushback.label === 'revised-with-reasons') return `So ${replacement.text} instead of ${shown}.`;
  }
  // Only what is new in this turn: an option held since earlier is not news.
  const fresh = anchors.filter((a) => a.fresh);
  const anchor =
    fresh.find((a) => a.chosen) ??
    fresh.find((a) => a.kind === 'figure') ??
    fresh.find((a) => a.kind === 'option' && !a.rejected) ??
    fresh.find((a) => a.rejected) ??
    fresh[0] ??
    anchors.find((a) => a.kind === 'area');
  if (!anchor) {
    const back = anchors.find((a) => a.returning);
    return back ? pickLine([`Back to ${back.text}.`, `${capitalise(back.text)} again.`], back.text, setup.seed + history.candidateTurns) : '';
  }
  const lines = anchor.chosen
    ? CHOSEN_ACKS
    : anchor.rejected
      ? REJECTED_ACKS
      : anchor.kind === 'figure'
        ? FIGURE_ACKS
        : anchor.kind === 'area'
          ? AREA_ACKS
          : MENTION_ACKS;
  const start = hash(anchor.text, setup.seed + history.candidateTurns) % lines.length;
  for (let k = 0; k < lines.length; k++) {
    const line = lines[(start + k) % lines.length]!.replace('{X}', capitalise(anchor.text)).replace('{x}', anchor.text);
    // Never the same opening twice in a row.
    if (!previous.startsWith(line.slice(0, 6))) return line;
  }
  return '';
}

/**
 * Things that run (stores, queues, proxies, services): they can be down, slow or full. Anything
 * else named as an option is a technique (an algorithm, a protocol, a pattern) and is asked
 * about as one.
 */
const RUNNING = new Set([
  'redis', 'redis cluster', 'memcached', 'kafka', 'rabbitmq', 'pulsar', 'kinesis', 'sqs', 'sns', 'pubsub', 'pub/sub', 'nats', 'cassandra',
  'dynamodb', 'dynamo', 'bigtable', 'hbase', 'spanner', 'postgres', 'postgresql', 'mysql', 'mariadb', 'sqlite', 'oracle', 'mongodb', 'mongo',
  'couchbase', 'elasticsearch', 'opensearch', 'solr', 'neo4j', 'clickhouse', 'druid', 'pinot', 'snowflake', 'bigquery', 'redshift',
  'influxdb', 'prometheus', 's3', 'gcs', 'hdfs', 'ceph', 'minio', 'cloudfront', 'akamai', 'fastly', 'cloudflare', 'cdn', 'nginx',
  'haproxy', 'envoy', 'consul', 'zookeeper', 'etcd', 'kubernetes', 'k8s', 'lambda', 'spark', 'flink', 'vault', 'kms', 'sql', 'scylla',
  'database', 'datastore', 'kv store', 'key-value store', 'gateway', 'api gateway', 'load balancer', 'proxy', 'sidecar', 'queue',
  'message queue', 'counter store', 'redis nodes', 'object storage', 'blob store', 'timeline cache', 'feed store', 'config service',
]);

/** Whether an option is something that runs (and so can fail), rather than a technique. */
export function isRunning(name: string, common: boolean): boolean {
  return common || RUNNING.has(name.toLowerCase().replace(/^the /, ''));
}

/** Questions about a technique the candidate holds: how it works, what it costs, where it breaks. */
const TECHNIQUE_QUESTIONS: readonly ((x: string) => string)[] = [
  (x) => `Walk me through ${x} for one request, step by step.`,
  (x) => `What does ${x} cost you that the alternative would not?`,
  (x) => `Where does ${x} break down at ten times today's load?`,
  (x) => `What is the worst case for ${x} here, and how likely is it?`,
];

/** Questions about one option the candidate holds: how it works, how it fails, what it costs. */
const OPTION_QUESTIONS: readonly ((x: string) => string)[] = [
  (x) => `If ${x} becomes slow or unreachable for a minute, what happens to the requests in flight?`,
  (x) => `What exactly does ${x} hold here, and how is it keyed?`,
  (x) => `What does ${x} cost you that the alternative would not?`,
  (x) => `Where does ${x} saturate first at ten times today's load?`,
  (x) => `How would you know ${x} is misbehaving before users tell you?`,
];
/** Questions about a figure the candidate stated. */
const FIGURE_QUESTIONS: readonly ((x: string) => string)[] = [
  (x) => `What breaks first at ten times your ${x}?`,
  (x) => `How many machines does ${x} take, and how much headroom do you keep?`,
];

/** Questions a senior bar adds: failure domains, regions, cost, ownership, rollout. */
export const SENIOR_QUESTIONS: readonly string[] = [
  'What is your failure domain? If one cell or zone is lost, what fraction of users notices?',
  'Two regions lose connectivity for ten minutes. What does each side do, and what do you reconcile afterwards?',
  'Roughly what does this cost per month at peak, and what is the biggest line item?',
  'Which teams own which parts of this, and where does that boundary make changes slow?',
  'How do you roll out a change to this safely across regions? What is the blast radius of a bad config?',
  'What would you cut from v1 to ship in six weeks, and what does that cost you later?',
];

/** Failure scenarios and operations questions, asked when nothing more specific is left. */
export const SCENARIO_QUESTIONS: readonly string[] = [
  'A bad deploy reaches half the fleet. How do you notice, and how fast can you roll back?',
  'A downstream dependency starts failing one request in five. What does your system do?',
  'Traffic doubles within five minutes because of a launch. What scales by itself, and what does not?',
  'Clocks drift by two seconds between nodes. What in this design cares?',
  'Your primary data store loses a disk. How long until you are back, and what data is gone?',
  'A whole availability zone goes dark for ten minutes. Walk me through what users see.',
  'Which single component, if it failed right now, would hurt most? How do you make it hurt less?',
  'Where is your design most likely to be wrong? What would you measure first to find out?',
  'What would you monitor in the first week after launch, and what would make you roll back?',
  'If you had to cut the infrastructure bill in half, what would you change first?',
  'What is the slowest step on the main request path, and what is its latency budget?',
  'Where could two requests race each other in this design, and what resolves it?',
];

/** Questions about the problem's expected components, for when the candidate's own run out. */
export function componentQuestions(setup: InterviewSetup): string[] {
  const out: string[] = [];
  for (let k = 0; k < OPTION_QUESTIONS.length; k++) {
    for (const component of setup.problem.components) out.push(OPTION_QUESTIONS[k]!(`the ${component.name}`));
  }
  return out;
}

/** Whether any question built on this anchor was asked already. */
export function drilledOn(anchor: Anchor, said: { has(question: string): boolean }): boolean {
  const list = anchor.kind === 'figure' ? FIGURE_QUESTIONS : anchor.technique ? TECHNIQUE_QUESTIONS : OPTION_QUESTIONS;
  return list.some((q) => said.has(q(anchor.text)));
}

/** Questions built on the latest turn's anchors, most specific first (option questions rotate by turn). */
export function anchoredQuestions(setup: InterviewSetup, history: InterviewHistory, anchors: Anchor[]): string[] {
  const out: string[] = [];
  const rotate = hash(history.lastText, setup.seed) % OPTION_QUESTIONS.length;
  for (const anchor of anchors) {
    if (anchor.kind === 'area' || anchor.rejected) continue;
    if (anchor.kind === 'option') {
      const list = anchor.technique ? TECHNIQUE_QUESTIONS : OPTION_QUESTIONS;
      for (let k = 0; k < list.length; k++) out.push(list[(rotate + k) % list.length]!(anchor.text));
    } else {
      for (const q of FIGURE_QUESTIONS) out.push(q(anchor.text));
    }
  }
  return out;
}
