import { Box } from 'ink';
import { render } from 'ink-testing-library';
import React from 'react';
import { describe, expect, it } from 'vitest';
import { LiveReply, layoutLiveReply } from '../../src/ui/LiveReply.js';
import type { HistoryItem } from '../../src/interview/session-state.js';
import { Transcript } from '../../src/ui/Transcript.js';
import { commitStep } from '../../src/interview/stream-buffer.js';
import { stripAnsi } from '../../src/term/strip.js';
import { displayWidth } from '../../src/term/width.js';

const lines = (frame: string | undefined) => stripAnsi(frame ?? '').split('\n');

describe('LiveReply height cap', () => {
  it('never exceeds maxHeight, even for a huge tail with very long lines, and shows the last rows', () => {
    const huge = Array.from({ length: 400 }, (_, i) => `line ${i} ${'long-word-'.repeat(i % 17)}${'y'.repeat(i % 250)}`).join('\n') + '\nTHE END';
    for (const [width, maxHeight] of [
      [80, 10],
      [40, 5],
      [17, 3],
      [120, 1],
    ] as const) {
      for (const markdown of [true, false]) {
        const { lastFrame, unmount } = render(<LiveReply text={huge} width={width} maxHeight={maxHeight} markdown={markdown} color={false} label="Interviewer" />);
        const rows = lines(lastFrame());
        expect(rows.length).toBeLessThanOrEqual(maxHeight);
        for (const row of rows) expect(displayWidth(row)).toBeLessThanOrEqual(width);
        expect(rows.join('\n')).toContain('END');
        if (maxHeight > 1) expect(rows[0]!.trim()).toBe('…');
        unmount();
      }
    }
  });

  it('a single enormous line is capped too', () => {
    const text = 'word '.repeat(50_000) + 'LAST';
    const { rows, cut } = layoutLiveReply({ text, width: 50, maxHeight: 6, color: false, markdown: false });
    expect(rows.length).toBe(6);
    expect(cut).toBe(true);
    expect(rows[5]).toContain('LAST');
  });

  it('an open code fence taller than the cap still renders as code, last lines visible', () => {
    const text = '```js\n' + Array.from({ length: 200 }, (_, i) => `const v${i} = ${i};`).join('\n');
    const { rows } = layoutLiveReply({ text, width: 60, maxHeight: 8, color: false });
    expect(rows.length).toBe(8);
    expect(rows.join('\n')).toContain('const v199 = 199;');
    expect(rows.join('\n')).not.toContain('```');
  });

  it('shows label and whole text when it fits, nothing for an empty tail', () => {
    const { rows, cut } = layoutLiveReply({ text: 'Short **answer**.', width: 40, maxHeight: 5, color: false, label: 'Interviewer' });
    expect(cut).toBe(false);
    expect(rows).toEqual(['Interviewer', '  Short answer.']);
    expect(layoutLiveReply({ text: '  ', width: 40, maxHeight: 5 }).rows).toEqual([]);
  });

  it('re-wraps at a new width on rerender', () => {
    const text = 'alpha beta gamma delta epsilon zeta eta theta iota kappa';
    const { lastFrame, rerender } = render(<LiveReply text={text} width={60} maxHeight={10} color={false} markdown={false} />);
    expect(lines(lastFrame()).length).toBe(1);
    rerender(<LiveReply text={text} width={20} maxHeight={10} color={false} markdown={false} />);
    expect(lines(lastFrame()).length).toBeGreaterThan(2);
  });
});

/** A stand-in for the App's screen: committed paragraphs go to <Static>, the tail stays live. */
function Screen({ items, tail, width }: { items: HistoryItem[]; tail: string; width: number }) {
  return (
    <Box flexDirection="column">
      <Transcript items={items} width={width} color={false} renderScore={() => ''} />
      <Box flexDirection="column">
        <LiveReply text={tail} width={width} maxHeight={6} color={false} />
      </Box>
    </Box>
  );
}

describe('streaming: the live region commits paragraph by paragraph', () => {
  it('moves each finished paragraph into the transcript and never splits a code fence', () => {
    const reply = [
      'First paragraph about **requirements**.',
      '',
      'Second paragraph: how many users?',
      '',
      '```sql',
      'SELECT 1;',
      '',
      'SELECT 2;',
      '```',
      '',
      'Last words',
    ].join('\n');
    const items: HistoryItem[] = [];
    let committed = 0;
    let text = '';
    const r = render(<Screen items={items} tail="" width={60} />);
    const chunks: string[] = [];
    const tails: string[] = [];
    for (const ch of reply) {
      text += ch;
      const step = commitStep(text, committed);
      if (step.chunk.trim() !== '') {
        items.push({ kind: 'turn', id: items.length, role: 'interviewer', text: step.chunk, continued: items.length > 0 });
        chunks.push(step.chunk);
      }
      committed = step.committed.length;
      tails.push(step.tail);
      r.rerender(<Screen items={[...items]} tail={step.tail} width={60} />);
    }
    expect(chunks).toEqual([
      'First paragraph about **requirements**.\n\n',
      'Second paragraph: how many users?\n\n',
      '```sql\nSELECT 1;\n\nSELECT 2;\n```\n\n',
    ]);
    // While the fence was open, its blank line did not commit anything.
    expect(tails).toContain('```sql\nSELECT 1;\n\nSELECT 2;\n');
    const frame = stripAnsi(r.lastFrame() ?? '');
    // Static output first (each paragraph once), then the live tail.
    expect(frame.match(/First paragraph about requirements\./g)).toHaveLength(1);
    expect(frame.indexOf('Interviewer')).toBeLessThan(frame.indexOf('First paragraph'));
    expect(frame.match(/Interviewer/g)).toHaveLength(1);
    expect(frame.trimEnd().endsWith('Last words')).toBe(true);
    expect(frame).toContain('SELECT 2;');
    r.unmount();
  });
});
