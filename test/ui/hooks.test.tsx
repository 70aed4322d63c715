import fc from 'fast-check';
import { Text } from 'ink';
import { render } from 'ink-testing-library';
import React from 'react';
import { describe, expect, it } from 'vitest';
import { stripAnsi } from '../../src/term/strip.js';
import { useTerminalSize } from '../../src/ui/useTerminalSize.js';
import { wrapRows } from '../../src/term/wrap.js';
import { displayWidth } from '../../src/term/width.js';

const tick = () => new Promise((resolve) => setTimeout(resolve, 10));

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
