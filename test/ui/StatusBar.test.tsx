import { render } from 'ink-testing-library';
import React from 'react';
import { describe, expect, it } from 'vitest';
import { StatusBar, countdownTone, formatCountdown, type StatusBarProps } from '../../src/ui/StatusBar.js';
import { stripAnsi } from '../../src/term/strip.js';

const base: StatusBarProps = {
  width: 100,
  color: true,
  problem: 'URL shortener',
  mode: 'interview',
  provider: 'builtin (rule-based, offline)',
  phase: 'deep-dive',
  remainingMs: 20 * 60_000,
};

const frame = (props: Partial<StatusBarProps>) => {
  const r = render(<StatusBar {...base} {...props} />);
  const out = r.lastFrame() ?? '';
  r.unmount();
  return out;
};

const GREEN = '\u001b[32m';
const YELLOW = '\u001b[33m';
const RED = '\u001b[31m';

describe('StatusBar', () => {
  it('countdown colour shifts with the time left (colour forced on by prop)', () => {
    expect(frame({ remainingMs: 20 * 60_000 })).toContain(`${GREEN}⏱ 20:00`);
    expect(frame({ remainingMs: 10 * 60_000 })).toContain(`${YELLOW}⏱ 10:00`);
    expect(frame({ remainingMs: 3 * 60_000 })).toContain(`${RED}⏱ 03:00`);
    const over = frame({ remainingMs: 0 });
    expect(over).toContain(RED);
    expect(stripAnsi(over)).toContain('time up');
    expect(countdownTone(10 * 60_000 + 1)).toBe('normal');
    expect(formatCountdown(61_500)).toBe('01:02');
  });

  it('no colour at all with color=false', () => {
    expect(frame({ color: false, remainingMs: 60_000 })).not.toMatch(/\u001b/);
  });

  it('shows problem, mode, provider and phase; tokens and cost only for model providers', () => {
    const builtin = stripAnsi(frame({}));
    expect(builtin).toContain('URL shortener');
    expect(builtin).toContain('interview');
    expect(builtin).toContain('builtin (rule-based, offline)');
    expect(builtin).toContain('phase deep-dive');
    expect(builtin).not.toContain('tok');
    const model = stripAnsi(frame({ provider: 'openai · gpt-4o-mini', usage: { inputTokens: 12_345, outputTokens: 678, costUsd: 0.0123 } }));
    expect(model).toContain('13k tok');
    expect(model).toContain('~$0.01');
  });

  it('fallback, paused and retry notices are shown plainly', () => {
    const out = stripAnsi(frame({ provider: 'openai · gpt-4o', fallback: true, paused: true, notice: 'retrying in 2s (HTTP 429)' }));
    expect(out).toContain('builtin — model unavailable');
    expect(out).toContain('paused');
    expect(out).toContain('retrying in 2s (HTTP 429)');
  });
});
