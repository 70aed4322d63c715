import fc from 'fast-check';
import { Text } from 'ink';
import { render } from 'ink-testing-library';
import React from 'react';
import { describe, expect, it } from 'vitest';
import type { Clock } from '../../src/ui/stream-buffer.js';
import { stripAnsi } from '../../src/ui/theme.js';
import { useTerminalSize } from '../../src/ui/useTerminalSize.js';
import { useThrottledValue } from '../../src/ui/useThrottledValue.js';
import { displayWidth, wrapRows } from '../../src/ui/wrap.js';

const tick = () => new Promise((resolve) => setTimeout(resolve, 10));

function manualClock() {
  let now = 0;
  const timers: { at: number; fn: () => void; id: number }[] = [];
  let id = 0;
  const clock: Clock = {
    now: () => now,
    setTimeout: (fn, ms) => {
      timers.push({ at: now + ms, fn, id: ++id });
      return id;
    },
    clearTimeout: (handle) => {
      const i = timers.findIndex((t) => t.id === handle);
      if (i >= 0) timers.splice(i, 1);
    },
  };
  const advance = (ms: number) => {
    now += ms;
    for (const t of timers.filter((t) => t.at <= now)) {
      timers.splice(timers.indexOf(t), 1);
      t.fn();
    }
  };
  return { clock, advance };
}

describe('useThrottledValue', () => {
  it('repaints at most once per interval and always ends on the final value', async () => {
    const { clock, advance } = manualClock();
    let renders = 0;
    function Live({ value }: { value: string }) {
      const shown = useThrottledValue(value, 50, clock);
      renders++;
      return <Text>{shown}</Text>;
    }
    const r = render(<Live value="v0" />);
    for (let i = 1; i <= 40; i++) {
      advance(2);
      r.rerender(<Live value={`v${i}`} />);
    }
    await tick();
    const paintedBeforeFlush = new Set(r.frames).size;
    expect(paintedBeforeFlush).toBeLessThanOrEqual(3); // 80 ms of updates: ≤ 2 throttled paints + the first
    advance(50);
    await tick();
    expect(r.lastFrame()).toBe('v40');
    expect(renders).toBeGreaterThan(0);
    r.unmount();
  });
});

describe('useTerminalSize', () => {
  it('follows resize events', async () => {
    function Size() {
      const { columns, rows } = useTerminalSize();
      return <Text>{`${columns}x${rows}`}</Text>;
    }
    const r = render(<Size />);
    await tick();
    const stdout = r.stdout as unknown as NodeJS.WriteStream;
    Object.defineProperty(stdout, 'columns', { value: 42, configurable: true });
    Object.defineProperty(stdout, 'rows', { value: 17, configurable: true });
    stdout.emit('resize');
    await tick();
    expect(r.lastFrame()).toBe('42x17');
    r.unmount();
  });
});

describe('wrapRows (property)', () => {
  it('every row fits the width and no visible character is lost or reordered', () => {
    const word = fc.constantFrom('a', 'bb', 'word', 'x'.repeat(23), '漢字', '👍🏽', '\u001b[1m', '\u001b[22m', '\u001b[33m', '\u001b[39m');
    const text = fc.array(fc.oneof(word, fc.constantFrom(' ', '  ', '\n')), { maxLength: 60 }).map((p) => p.join(''));
    fc.assert(
      fc.property(text, fc.integer({ min: 2, max: 40 }), (input, width) => {
        const rows = wrapRows(input, width);
        for (const row of rows) expect(displayWidth(row)).toBeLessThanOrEqual(width);
        const visible = (s: string) => stripAnsi(s).replace(/\s+/g, '');
        expect(visible(rows.join(''))).toBe(visible(input));
      }),
      { numRuns: 500 },
    );
  });
});
