// /hint: what the candidate has not covered yet, from what they said so far: the problem's
// expected components never named, and the areas every design needs (numbers, failures,
// monitoring, security). It points at gaps; it never gives the answer.
import { phaseGuide } from '../engine/index.js';
import type { SlashCommand, SlashCommandContext } from './types.js';

const AREAS: { name: string; said: RegExp }[] = [
  { name: 'back-of-the-envelope numbers (QPS, storage)', said: /\d+\s*(?:k|m|b|million|billion|thousand)?\s*(?:qps|rps|requests?|\/s|per second|tb|gb|pb|bytes)/i },
  { name: 'the data model and how it is partitioned', said: /\b(?:schema|table|data model|partition|shard|primary key|index)\b/i },
  { name: 'what happens when a node or region fails', said: /\b(?:fail(?:s|ure|over)?|replica(?:s|tion)?|retry|retries|redundan\w+|outage|crash)\b/i },
  { name: 'monitoring: metrics, SLOs and alerts', said: /\b(?:monitor\w*|metrics?|alert\w*|slo|dashboards?|tracing|observability)\b/i },
  { name: 'security and abuse (auth, rate limits, privacy)', said: /\b(?:auth\w*|security|encrypt\w*|abuse|rate limit\w*|privacy|permissions?)\b/i },
];

function mentioned(text: string, words: string[]): boolean {
  const lower = text.toLowerCase();
  return words.some((word) => new RegExp(`\\b${word.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`).test(lower));
}

export function hintFor(context: Pick<SlashCommandContext, 'setup' | 'turns' | 'elapsedMs'>): string {
  const said = context.turns.filter((t) => t.role === 'candidate').map((t) => t.text).join('\n');
  const components = context.setup.problem.components
    .filter((c) => !mentioned(said, [c.name, ...c.synonyms]))
    .map((c) => c.name)
    .slice(0, 4);
  const areas = AREAS.filter((a) => !a.said.test(said)).map((a) => a.name).slice(0, 3);
  const lines = [`Now: ${phaseGuide(context.setup, context.elapsedMs).hint}`];
  if (areas.length) lines.push(`Not covered yet: ${areas.join('; ')}.`);
  if (components.length) lines.push(`Parts a design like this usually has that you have not named: ${components.join(', ')}.`);
  if (lines.length === 1) lines.push('You have touched every area: go deeper on the riskiest component and its failure modes.');
  return lines.join('\n');
}

export const hintCommand: SlashCommand = {
  name: 'hint',
  description: 'what you have not covered yet',
  run(context) {
    context.say(hintFor(context));
  },
};
