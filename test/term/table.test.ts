// Every listing pads by display width: a CJK title or file name (two columns a character) or a
// coloured cell keeps the columns after it aligned. Before, problems, rubric and sessions tables
// padded by character count and drifted by one column per wide character.
import { describe, expect, it } from 'vitest';
import { renderProblemRows } from '../../src/commands/problems/list.js';
import { renderRubricList } from '../../src/commands/rubric/action.js';
import { styler } from '../../src/term/colour.js';
import { textTable } from '../../src/term/table.js';
import { displayWidth } from '../../src/term/width.js';

/** The display column where `text` starts on `line`. */
function columnOf(line: string, text: string): number {
  const at = line.indexOf(text);
  expect(at).toBeGreaterThanOrEqual(0);
  return displayWidth(line.slice(0, at));
}

const counts = { facts: 1, reference_estimates: 1, components: 1, deep_dives: 1, pushbacks: 1, levels: [] };

describe('textTable', () => {
  it('aligns by display width, ignores colour escapes, right-aligns numbers, leaves the last column ragged', () => {
    const colour = styler(true);
    const lines = textTable(
      [
        ['NAME', 'SCORE', 'NOTE'],
        ['短链接服务', colour.green('4.25'), 'wide'],
        ['plain', '3', 'x'],
      ],
      { right: [1] },
    ).split('\n');
    expect(lines.map((line) => columnOf(line, line.trimEnd().split(' ').at(-1)!))).toEqual([19, 19, 19]);
    expect(columnOf(lines[2]!, '3')).toBe(columnOf(lines[1]!, '4.25') + 3);
    expect(lines.every((line) => line === line.trimEnd())).toBe(true);
  });
});

describe('listings with wide characters', () => {
  it('sdcoach problems keeps DIFFICULTY aligned after a CJK title', () => {
    const text = renderProblemRows(
      [
        { id: 'short-links', file: 'a.md', source: 'user', ok: true, title: '短链接服务设计', difficulty: 'medium', tags: ['web'], counts },
        { id: 'rate-limiter', file: 'b.md', source: 'packaged', ok: true, title: 'Rate limiter', difficulty: 'hard', tags: [], counts },
      ],
      styler(false),
    );
    const [header, cjk, plain] = text.split('\n');
    expect(columnOf(cjk!, 'medium')).toBe(columnOf(header!, 'DIFFICULTY'));
    expect(columnOf(plain!, 'hard')).toBe(columnOf(header!, 'DIFFICULTY'));
  });

  it('sdcoach rubric list keeps VERSION aligned after a CJK name', () => {
    const text = renderRubricList(
      [
        { name: '系统设计', file: '/r/系统设计.yaml', source: 'user', shadowed: false, ok: true, title: 't', version: '2', description: 'd', dimensions: 12 },
        { name: 'default', file: '/p/default.yaml', source: 'packaged', shadowed: false, ok: true, title: 't', version: '3', description: 'd', dimensions: 12 },
      ],
      styler(false),
    );
    const [header, cjk, plain] = text.split('\n');
    expect(columnOf(cjk!, '2 ')).toBe(columnOf(header!, 'VERSION'));
    expect(columnOf(plain!, '3 ')).toBe(columnOf(header!, 'VERSION'));
  });
});

describe('textTable cell styles and minimum widths', () => {
  it('styles the padded cell, and keeps a column at its minimum width', () => {
    const colour = styler(true);
    const text = textTable(
      [
        ['a', 'n'],
        ['漢字', { text: '4', style: colour.green }],
      ],
      { right: [1], minWidths: [0, 3] },
    );
    expect(text).toBe('a       n\n漢字  \u001b[32m  4\u001b[39m');
  });
});
