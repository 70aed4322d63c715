import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../src/term/markdown.js';
import { stripAnsi } from '../../src/term/strip.js';
import { wrapRows } from '../../src/term/wrap.js';
import { displayWidth } from '../../src/term/width.js';

describe('renderMarkdown', () => {
  it('renders bold inside list items as bold, never raw **', () => {
    const out = renderMarkdown('- **bold** item\n- plain', 60, { color: true });
    expect(out).toContain('\u001b[1mbold\u001b[22m');
    expect(out).not.toContain('**');
  });

  it('plain output has no escape codes at all (NO_COLOR)', () => {
    const out = renderMarkdown('# Title\n\nSome **bold**, `code` and *em*.\n\n```js\nconst x = 1;\n```\n', 60, { color: false });
    expect(out).not.toMatch(/\u001b/);
    expect(out).toContain('Some bold, code and em.');
    expect(out).toContain('const x = 1;');
  });

  it('reflows to the width', () => {
    const text = 'word '.repeat(60).trim();
    for (const width of [20, 33, 80]) {
      const lines = renderMarkdown(text, width, { color: false }).split('\n');
      expect(lines.length).toBeGreaterThan(1);
      for (const line of lines) expect(displayWidth(line)).toBeLessThanOrEqual(width);
    }
  });

  it('trims surrounding blank lines and returns "" for blank input', () => {
    expect(renderMarkdown('\n\nhello\n\n', 40, { color: false })).toBe('hello');
    expect(renderMarkdown('  \n', 40)).toBe('');
  });
});

describe('renderMarkdown without colour', () => {
  it('colours nothing even when chalk would (a terminal): no strip afterwards needed', async () => {
    const { default: chalk } = await import('chalk');
    const level = chalk.level;
    chalk.level = 3;
    try {
      const out = renderMarkdown('# Title\n\n- **bold** item\n\n```js\nconst x = 1;\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n', 60, { color: false });
      expect(out).not.toMatch(/\u001b/);
      expect(out).toContain('const x = 1;');
      expect(out).toContain('bold item');
    } finally {
      chalk.level = level;
    }
  });

  it('keeps heading prefixes when asked (sessions show), and leaves the global marked alone', async () => {
    const out = renderMarkdown('# Title\n\n## Transcript\n\ntext', 60, { color: false, sectionPrefix: true });
    expect(out).toMatch(/^# Title/);
    expect(out).toContain('## Transcript');
    expect(renderMarkdown('# Title', 60, { color: false })).toBe('Title');
    const { marked } = await import('marked');
    expect(marked.parse('# Title', { async: false })).toBe('<h1>Title</h1>\n');
  });
});

describe('wrapRows', () => {
  it('hard-wraps long words and keeps every row within the width', () => {
    const rows = wrapRows(`${'x'.repeat(95)} and 漢字漢字漢字漢字漢字`, 10);
    for (const row of rows) expect(displayWidth(row)).toBeLessThanOrEqual(10);
    expect(stripAnsi(rows.join(''))).toContain('xxxxxxxxxx');
  });
});
