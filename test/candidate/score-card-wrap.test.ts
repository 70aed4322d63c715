// The score card in a 110-column terminal: no line wider than the terminal, wrapped at word
// boundaries with each continuation indented under the text it continues, and long quotes cut
// at a word with an ellipsis (never mid-word). Content is unchanged otherwise.
import { describe, expect, it } from 'vitest';
import { styler } from '../../src/term/colour.js';
import { clip, renderCard } from '../../src/grading/render/card.js';
import { GradeReport } from '../../src/schemas/report.js';
import { stripAnsi } from '../../src/term/strip.js';
import { displayWidth } from '../../src/term/width.js';

const LONG_QUOTE =
  'Writes per payment: I am assuming a payment row, an attempt row, an idempotency key, an outbox event and four ledger entries, so about eight row writes per payment.';
const LONG_MISSING = 'expected component not covered: inbound webhook receiver with signature verification, deduplication by event id and an ordering buffer';

const report = GradeReport.parse({
  schemaVersion: 1,
  file: '/tmp/sessions/20261122-100000-abcdef.jsonl',
  sessionId: '20261122-100000-abcdef',
  problem: 'payments',
  mode: 'interview',
  rubric: { name: 'default', version: '1' },
  grader: 'evidence',
  model: null,
  overall: 3.42,
  level: {
    level: 'L5',
    trackingToward: 'L6',
    label: 'L5, tracking toward L6',
    blockers: ['observability 2.0 < 3.5 required for L6', 'reliability 3.1 < 3.5 required for L6', 'deep dive 3.0 < 3.5 required for L6 and a tradeoff'],
  },
  dimensions: {
    architecture: {
      id: 'architecture',
      name: 'High-level architecture',
      weight: 1,
      score: 4.7,
      evidence: [
        { quote: LONG_QUOTE, turn: 12 },
        { quote: 'At peak that is 1,160 times 8, about 9,300 row writes a second, comfortable for one Postgres primary.', turn: 12 },
      ],
      missing: [LONG_MISSING],
    },
    security: { id: 'security', name: 'Security & privacy', weight: 1, score: 2, evidence: [{ quote: 'auth \u001b[31mtokens\u001b[0m at the gateway', turn: 4 }], missing: [] },
  },
  strengths: ['Back-of-the-envelope estimation (5.0): arithmetic checks out: 10M ÷ 86k = 116; stated 116 per second (exact) and the peak of 1,160 per second'],
  toExpand: ['Observability & operations (2.0): no dashboards and monitoring mentioned; no safe rollouts and incident response mentioned; no SLOs'],
  time: { estimated: false, totalMinutes: 45, phases: [{ phase: 'clarify', minutes: 5.5, budgetMinutes: 5, verdict: 'ok' }] },
  pushbacks: [{ turn: 17, topic: 'nosql', challenge: 'Why not a NoSQL store for payments, given the write volume you estimated?', answer: 'Postgres.', label: 'defended', reason: 'kept Postgres and gave transactions and uniqueness constraints as the reason' }],
  estimates: [],
  flags: [{ kind: 'transcript-problem', message: 'line 7: not text (binary or invalid UTF-8); the rest of the transcript was graded as usual and this flag only says so' }],
  gradedAt: '2026-12-01T00:00:00Z',
});

const WIDTH = 110;

describe('score card layout', () => {
  for (const color of [false, true]) {
    it(`fits a ${WIDTH}-column terminal, wrapped with hanging indentation (${color ? 'colour' : 'plain'})`, () => {
      const lines = renderCard(report, styler(color), { width: WIDTH }).trimEnd().split('\n').map(stripAnsi);
      for (const line of lines) expect(displayWidth(line), line).toBeLessThanOrEqual(WIDTH);
      // The long quote wraps: its continuation is indented under the text after "+ ".
      const quoteStart = lines.findIndex((l) => l.startsWith('        + [turn 12] "Writes per payment'));
      expect(quoteStart).toBeGreaterThan(0);
      const continuation = lines[quoteStart + 1]!;
      expect(continuation).toMatch(/^ {10}\S/);
      // Every row under a dimension is indented: nothing falls back to column 0.
      const dimensionRows = lines.slice(lines.findIndex((l) => /High-level architecture/.test(l)), lines.findIndex((l) => l === 'What went well') - 1);
      for (const row of dimensionRows) expect(row).toMatch(/^ /);
      // Bulleted sections hang under the text after the bullet.
      const well = lines.indexOf('What went well');
      expect(lines[well + 1]).toMatch(/^ {2}✓ /);
      expect(lines[well + 2]).toMatch(/^ {4}\S/);
      // The next-level blockers wrap under their own indent.
      const blocker = lines.findIndex((l) => l.startsWith('  next level: '));
      expect(lines[blocker + 1]).toMatch(/^ {4}\S/);
    });
  }

  it('words are never split across rows: joining the rows gives the words back', () => {
    const lines = renderCard(report, styler(false), { width: WIDTH }).split('\n');
    const quoteStart = lines.findIndex((l) => l.startsWith('        + [turn 12] "Writes per payment'));
    const joined = [lines[quoteStart]!.trim(), lines[quoteStart + 1]!.trim()].join(' ');
    expect(joined).toMatch(/^\+ \[turn 12\] "Writes per payment: .*…"$/);
    const quoted = joined.slice('+ [turn 12] "'.length, -'…"'.length);
    expect(LONG_QUOTE.startsWith(`${quoted} `)).toBe(true); // cut at a word boundary
  });

  it('keeps every piece of content at a wide terminal, on one line each as before', () => {
    const wide = renderCard(report, styler(false), { width: 400 });
    expect(wide).toContain('        - expected component not covered: inbound webhook receiver with signature verification, deduplication…');
    expect(wide).toContain('  [turn 17] Why not a NoSQL store for payments, given the… → defended: kept Postgres and gave transactions and…');
    expect(wide).toContain('Overall 3.42 / 5 · L5, tracking toward L6 · rubric default@1 · evidence grader');
  });

  it('never sends a control character from a quote to the terminal', () => {
    const card = renderCard(report, styler(false), { width: WIDTH });
    expect(card).toContain('"auth tokens at the gateway"');
    // eslint-disable-next-line no-control-regex
    expect(card).not.toMatch(/\u001b/);
  });
});

describe('clip', () => {
  it('cuts at the last whole word and adds an ellipsis', () => {
    expect(clip('the quick brown fox jumps over the lazy dog', 20)).toBe('the quick brown fox…');
    expect(clip('the quick brown fox jumps', 19)).toBe('the quick brown…');
    expect(clip('short enough', 20)).toBe('short enough');
    expect(clip('one, two, three, four', 10)).toBe('one, two…');
    for (let max = 10; max < 60; max++) {
      const cut = clip(LONG_QUOTE, max);
      expect([...cut].length).toBeLessThanOrEqual(max);
      expect(LONG_QUOTE.startsWith(cut.slice(0, -1).replace(/[,;:]$/, ''))).toBe(true);
      expect(LONG_QUOTE[cut.length - 1] === undefined || /[\s,;:]/.test(LONG_QUOTE.slice(cut.length - 1, cut.length + 1))).toBe(true);
    }
  });

  it('a single long word is cut where it must be', () => {
    expect(clip('https://example.com/a/very/long/path/without/any/spaces/at/all', 20)).toBe('https://example.com…');
  });
});
