// The header: problem, mode, provider/model, phase, countdown (colour by time left), tokens and
// cost for model providers, paused / retry notices. Pure props, two rows (STATUS_BAR_ROWS).
import { Box, Text } from 'ink';
import React from 'react';
import { theme } from '../term/theme.js';

export interface StatusUsage {
  inputTokens: number;
  outputTokens: number;
  /** US dollars; null when the model's price is unknown. */
  costUsd: number | null;
}

export interface StatusBarProps {
  width: number;
  color?: boolean;
  /** Problem title. */
  problem: string;
  mode: string;
  /** e.g. "builtin (rule-based, offline)" or "openai · gpt-4o-mini". */
  provider: string;
  /** The model failed and the builtin interviewer took over: shown plainly instead of the provider. */
  fallback?: boolean;
  phase: string;
  /** Time left; ≤ 0 shows "time up". */
  remainingMs: number;
  paused?: boolean;
  /** Tokens/cost: pass null (or omit) for builtin, which hides them. */
  usage?: StatusUsage | null;
  /** A transient line such as "retrying in 2s (HTTP 429)". */
  notice?: string | null;
  /** Key help at the end of the second row (dim), so the screen spends no extra row on it. */
  hint?: string | null;
}

export const STATUS_BAR_ROWS = 2;

export type CountdownTone = 'normal' | 'warning' | 'critical' | 'over';

/** normal > 10 min, warning ≤ 10 min, critical ≤ 3 min, over at 0. */
export function countdownTone(remainingMs: number): CountdownTone {
  if (remainingMs <= 0) return 'over';
  if (remainingMs <= 3 * 60_000) return 'critical';
  if (remainingMs <= 10 * 60_000) return 'warning';
  return 'normal';
}

/** mm:ss, rounding up so "00:00" only shows at time up; "time up" at or below zero. */
export function formatCountdown(remainingMs: number): string {
  if (remainingMs <= 0) return 'time up';
  const total = Math.ceil(remainingMs / 1000);
  const minutes = Math.floor(total / 60);
  const seconds = total % 60;
  return `${String(minutes).padStart(2, '0')}:${String(seconds).padStart(2, '0')}`;
}

export function formatTokens(n: number): string {
  if (n >= 1_000_000) return `${(n / 1_000_000).toFixed(1)}M`;
  if (n >= 10_000) return `${Math.round(n / 1000)}k`;
  if (n >= 1000) return `${(n / 1000).toFixed(1)}k`;
  return String(n);
}

export function formatCost(usd: number | null): string {
  if (usd === null) return 'cost n/a';
  if (usd === 0) return '$0';
  if (usd < 0.01) return `~$${usd.toFixed(4)}`;
  return `~$${usd.toFixed(2)}`;
}

/** The two header rows as strings (also used by tests and plain output). */
export function renderStatusBar(props: StatusBarProps): [string, string] {
  const t = theme(props.color ?? true);
  const sep = t.dim(' · ');
  const provider = props.fallback ? t.yellow('builtin — model unavailable') : props.provider;
  const top = [t.bold(props.problem), props.mode, provider].join(sep);

  const tone = countdownTone(props.remainingMs);
  const clock = formatCountdown(props.remainingMs);
  const paint =
    tone === 'over' ? (s: string) => t.bold(t.red(s)) : tone === 'critical' ? t.red : tone === 'warning' ? t.yellow : t.green;
  const parts = [`phase ${t.bold(props.phase)}`, paint(`⏱ ${clock}`)];
  if (props.paused) parts.push(t.yellow('paused'));
  if (props.usage) {
    const { inputTokens, outputTokens, costUsd } = props.usage;
    // Kept short: this row is repainted with every frame of a streaming reply.
    parts.push(t.dim(`${formatTokens(inputTokens + outputTokens)} tok ${formatCost(costUsd)}`));
  }
  if (props.notice) parts.push(t.yellow(props.notice));
  if (props.hint) parts.push(t.dim(props.hint));
  return [top, parts.join(sep)];
}

export function StatusBar(props: StatusBarProps): React.JSX.Element {
  const [top, bottom] = renderStatusBar(props);
  return (
    <Box flexDirection="column" width={props.width} flexShrink={0}>
      <Text wrap="truncate-end">{top}</Text>
      <Text wrap="truncate-end">{bottom}</Text>
    </Box>
  );
}

export default StatusBar;
