// `sessions export --format md`: code a candidate typed is verbatim in the document (inside fenced
// code blocks and inline code); outside code, only what Markdown would not show as written is escaped.
import { marked } from 'marked';
import { describe, expect, it } from 'vitest';
import { transcriptMarkdown } from '../../src/commands/sessions/render.js';
import { escapeInline, renderMarkdownReport } from '../../src/grading/render/markdown.js';
import { importPlainTranscript } from '../../src/storage/plain-transcript.js';

const doc = (candidate: string) =>
  transcriptMarkdown(importPlainTranscript(`Interviewer: Sketch the counter.\nCandidate: ${candidate}`));
const html = (markdown: string) => marked.parse(markdown, { async: false }) as string;

describe('transcriptMarkdown: code stays verbatim', () => {
  const code = ['```java', 'Map<String, Long> counts = new HashMap<>();', 'if (a < b && b > c) { counts.merge(k, 1L, Long::sum); }', '# not a heading', '```'];

  it('keeps a fenced code block as typed, without hard-break spaces', () => {
    const md = doc(['Like this:', ...code, 'Then we shard it.'].join('\n'));
    expect(md).toContain(code.join('\n'));
    expect(md).not.toContain('&lt;');
    const rendered = html(md);
    expect(rendered).toContain('<code class="language-java">Map&lt;String, Long&gt; counts = new HashMap&lt;&gt;();');
    expect(rendered).toContain('# not a heading');
    expect(rendered).toContain('Then we shard it.');
  });

  it('keeps inline code verbatim', () => {
    const md = doc('The key is `Map<UserId, List<Tweet>>` and `a&amp;b` stays.');
    expect(md).toContain('`Map<UserId, List<Tweet>>`');
    expect(md).toContain('`a&amp;b`');
    expect(html(md)).toContain('<code>Map&lt;UserId, List&lt;Tweet&gt;&gt;</code>');
  });

  it('closes a fence the candidate never closed, so the rest of the document is not code', () => {
    const transcript = importPlainTranscript('Interviewer: Show me.\nCandidate: ```\nx<y\nInterviewer: Thanks, and the cache?\nCandidate: Redis.');
    const rendered = html(transcriptMarkdown(transcript));
    expect(rendered).toContain('x&lt;y');
    expect(rendered).toMatch(/<p><strong>Interviewer<\/strong>[^<]*<\/p>\s*<p>Thanks, and the cache\?<\/p>/);
  });
});

describe('transcriptMarkdown: prose escapes only what Markdown needs', () => {
  it('a tag-like < is shown, a comparison is left as typed', () => {
    const md = doc('Use a <br> tag? No: latency < 100ms and x<5.');
    expect(md).toContain('Use a \\<br> tag? No: latency < 100ms and x<5.');
    expect(html(md)).toContain('Use a &lt;br&gt; tag? No: latency &lt; 100ms and x&lt;5.');
  });

  it('block markers at the start of a line are text, ordered lists included', () => {
    const md = doc('So:\n# of shards is 16\n1. first\n---');
    expect(md).toContain('\\# of shards is 16  \n1\\. first  \n\\---');
    const rendered = html(md.slice(md.indexOf('**Candidate**')));
    expect(rendered).not.toMatch(/<h\d|<ol|<hr/);
    expect(rendered).toContain('1. first');
  });

  it('escapeInline leaves code spans alone and escapes entities outside them', () => {
    expect(escapeInline('a &amp; b `&amp; <x>` <x>')).toBe('a \\&amp; b `&amp; <x>` \\<x>');
    expect(escapeInline('an unclosed ` backtick <b>')).toBe('an unclosed ` backtick \\<b>');
  });
});

describe('renderMarkdownReport: evidence quotes', () => {
  it('a quoted <tag> is shown, not taken as HTML; the line breaks between quotes stay', () => {
    const quote = (text: string, turn: number) => ({ quote: text, turn, note: null });
    const dimension = { id: 'clarity', name: 'Clarity', score: 3, evidence: [quote('a <div> per row', 1), quote('`List<T>` as the type', 2)], missing: [], notes: [] };
    const report = { dimensions: { clarity: dimension } } as unknown as Parameters<typeof renderMarkdownReport>[0];
    const md = renderMarkdownReport({
      ...report,
      file: 'talk.md',
      sessionId: 'x',
      overall: 3,
      problem: null,
      mode: 'monologue',
      rubric: { name: 'default', version: 1 },
      grader: 'evidence',
      model: null,
      level: { label: 'L4', blockers: [] },
      target: null,
      strengths: [],
      toExpand: [],
      time: { phases: [], estimated: true },
      pushbacks: [],
      estimates: [],
      flags: [],
    } as unknown as Parameters<typeof renderMarkdownReport>[0]);
    expect(md).toContain('[turn 1] "a \\<div> per row"<br>[turn 2] "`List<T>` as the type"');
  });
});
