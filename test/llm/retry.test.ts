import { describe, expect, it } from 'vitest';
import { DEFAULT_BACKOFF, backoffMs, retryAfterMs } from '../../src/llm/retry.js';

describe('retry timing', () => {
  it('reads retry-after in seconds, as a date, and retry-after-ms', () => {
    const now = Date.parse('2026-11-22T10:00:00Z');
    expect(retryAfterMs(new Headers({ 'retry-after': '2' }), now)).toBe(2000);
    expect(retryAfterMs(new Headers({ 'retry-after': '0.5' }), now)).toBe(500);
    expect(retryAfterMs(new Headers({ 'retry-after': 'Sun, 22 Nov 2026 10:00:03 GMT' }), now)).toBe(3000);
    expect(retryAfterMs(new Headers({ 'retry-after-ms': '250', 'retry-after': '9' }), now)).toBe(250);
    expect(retryAfterMs(new Headers({ 'retry-after': 'soon' }), now)).toBeNull();
    expect(retryAfterMs(new Headers(), now)).toBeNull();
    expect(retryAfterMs(undefined, now)).toBeNull();
  });

  it('backs off exponentially with bounded jitter', () => {
    expect(backoffMs(0, DEFAULT_BACKOFF, () => 0.5)).toBe(500);
    expect(backoffMs(3, DEFAULT_BACKOFF, () => 0.5)).toBe(4000);
    expect(backoffMs(20, DEFAULT_BACKOFF, () => 0.5)).toBe(DEFAULT_BACKOFF.maxMs);
    expect(backoffMs(1, DEFAULT_BACKOFF, () => 0)).toBe(750);
    expect(backoffMs(1, DEFAULT_BACKOFF, () => 0.999999)).toBe(1250);
  });
});
