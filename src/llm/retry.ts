// When and how long to wait before retrying a failed request.
import type { ProviderErrorKind } from './provider.js';

export const RETRYABLE_KINDS: ReadonlySet<ProviderErrorKind> = new Set(['rate-limit', 'server', 'timeout', 'network']);

export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
  /** A retry-after longer than this is not waited for: the error is raised instead. */
  maxRetryAfterMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 500, maxMs: 20_000, maxRetryAfterMs: 120_000 };

/**
 * Milliseconds the server asked us to wait, from `retry-after-ms` or `retry-after`
 * (seconds, or an HTTP date); null when absent or unreadable.
 */
export function retryAfterMs(headers: Headers | undefined | null, now: number = Date.now()): number | null {
  if (!headers) return null;
  const ms = Number.parseFloat(headers.get('retry-after-ms') ?? '');
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const raw = headers.get('retry-after');
  if (!raw) return null;
  const seconds = Number(raw.trim());
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(raw);
  if (Number.isFinite(date)) return Math.max(0, date - now);
  return null;
}

/** Exponential backoff with ±25% jitter, so many clients do not retry in lockstep. */
export function backoffMs(attempt: number, policy: BackoffPolicy, random: () => number): number {
  const exp = Math.min(policy.maxMs, policy.baseMs * 2 ** attempt);
  return Math.round(exp * (0.75 + 0.5 * random()));
}
