import { render } from 'ink-testing-library';
import React from 'react';
import { describe, expect, it } from 'vitest';
import type { HistoryItem } from '../../src/interview/session-state.js';
import { Transcript, renderEntry } from '../../src/ui/Transcript.js';
import { stripAnsi } from '../../src/term/strip.js';

describe('Transcript', () => {
  it('prints each item once, labels turns, renders interviewer markdown and keeps candidate text as typed', () => {
    const renderScore = () => 'Overall 3.42 / 5';
    const items: HistoryItem[] = [
      { kind: 'turn', id: 1, role: 'interviewer', text: 'Design a **URL shortener**.\n\n- reads\n- writes', continued: false },
      { kind: 'turn', id: 2, role: 'candidate', text: 'How many **users**?\nAnd QPS?', continued: false },
    ];
    const r = render(<Transcript items={items} width={60} color={false} renderScore={renderScore} />);
    r.rerender(
      <Transcript
        items={[
          ...items,
          { kind: 'turn', id: 3, role: 'interviewer', text: 'About 100M users.', continued: false },
          { kind: 'turn', id: 4, role: 'interviewer', text: 'Reads dominate.', continued: true },
          { kind: 'notice', id: 5, text: 'model unavailable: continuing with builtin', tone: 'warn' },
          { kind: 'score', id: 6, report: {} as never },
        ]}
        width={60}
        color={false}
        renderScore={renderScore}
      />,
    );
    const out = stripAnsi(r.lastFrame() ?? '');
    expect(out.match(/Design a URL shortener\./g)).toHaveLength(1);
    expect(out).toContain('How many **users**?\n  And QPS?');
    expect(out.match(/Interviewer/g)).toHaveLength(2); // the continued chunk has no label
    expect(out).toContain('You');
    expect(out).toContain('! model unavailable');
    expect(out).toContain('Overall 3.42 / 5');
    r.unmount();
  });

  it('renderEntry wraps markdown at the width and styles labels when colour is on', () => {
    const text = renderEntry({ item: { kind: 'turn', id: 1, role: 'interviewer', text: 'word '.repeat(40), continued: false }, width: 30, color: true, renderScore: () => '' });
    expect(text).toContain('\u001b[1m');
    for (const line of stripAnsi(text).split('\n')) expect(line.length).toBeLessThanOrEqual(30);
  });
});
