import { render } from 'ink-testing-library';
import React from 'react';
import { describe, expect, it } from 'vitest';
import { Transcript, renderEntry, type TranscriptItem } from '../../src/ui/Transcript.js';
import { stripAnsi } from '../../src/term/strip.js';

describe('Transcript', () => {
  it('prints each item once, labels turns, renders interviewer markdown and keeps candidate text as typed', () => {
    const items: TranscriptItem[] = [
      { kind: 'turn', id: '1', role: 'interviewer', text: 'Design a **URL shortener**.\n\n- reads\n- writes' },
      { kind: 'turn', id: '2', role: 'candidate', text: 'How many **users**?\nAnd QPS?' },
    ];
    const r = render(<Transcript items={items} width={60} color={false} />);
    r.rerender(
      <Transcript
        items={[
          ...items,
          { kind: 'turn', id: '3', role: 'interviewer', text: 'About 100M users.' },
          { kind: 'turn', id: '4', role: 'interviewer', text: 'Reads dominate.', continued: true, partial: true },
          { kind: 'notice', id: '5', text: 'model unavailable: continuing with builtin', tone: 'warning' },
          { kind: 'rule', id: '6', text: 'deep-dive' },
        ]}
        width={60}
        color={false}
      />,
    );
    const out = stripAnsi(r.lastFrame() ?? '');
    expect(out.match(/Design a URL shortener\./g)).toHaveLength(1);
    expect(out).toContain('How many **users**?\n  And QPS?');
    expect(out.match(/Interviewer/g)).toHaveLength(2); // the continued chunk has no label
    expect(out).toContain('You');
    expect(out).toContain('reply cancelled (partial)');
    expect(out).toContain('! model unavailable');
    expect(out).toMatch(/─+ deep-dive ─+/);
    r.unmount();
  });

  it('renderEntry wraps markdown at the width and styles labels when colour is on', () => {
    const text = renderEntry({ item: { kind: 'turn', id: 'x', role: 'interviewer', text: 'word '.repeat(40) }, width: 30, color: true });
    expect(text).toContain('\u001b[1m');
    for (const line of stripAnsi(text).split('\n')) expect(line.length).toBeLessThanOrEqual(30);
  });
});
