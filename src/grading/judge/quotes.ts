// Every quote the judge cites is looked up in the transcript. Matching ignores whitespace
// differences and typography (curly quotes, dashes, ellipses, the guillemets the prompt used to
// neutralise `<<<`), but is otherwise exact and case-sensitive. A quote must come from a
// candidate turn; the judge's turn index is corrected when the quote is in another candidate
// turn. What cannot be found is reported as invented, and the caller drops it.
import type { Evidence } from '../../schemas/report.js';
import type { IndexedTurn } from '../turns.js';

const SINGLE_QUOTES = /[\u2018\u2019\u201A\u201B\u2032\u02BC]/;
const DOUBLE_QUOTES = /[\u201C\u201D\u201E\u201F\u2033\u00AB\u00BB]/;
const DASHES = /[\u2010\u2011\u2012\u2013\u2014\u2015\u2212]/;
const INVISIBLE = /[\u200B\u200C\u200D\u2060\uFEFF\u00AD]/;

export interface Normalised {
  text: string;
  /** For each character of `text`, the index in the original string it came from. */
  from: number[];
}

/** Collapse whitespace and fold typography; `from` maps back to the original for verbatim excerpts. */
export function normaliseForMatch(original: string): Normalised {
  let text = '';
  const from: number[] = [];
  let pendingSpace = -1;
  const push = (s: string, at: number) => {
    if (pendingSpace >= 0 && text.length > 0) {
      text += ' ';
      from.push(pendingSpace);
    }
    pendingSpace = -1;
    for (const c of s) {
      text += c;
      from.push(at);
    }
  };
  for (let i = 0; i < original.length; i++) {
    const c = original[i]!;
    if (/\s/.test(c)) {
      if (pendingSpace < 0) pendingSpace = i;
      continue;
    }
    if (INVISIBLE.test(c)) continue;
    if (SINGLE_QUOTES.test(c)) push("'", i);
    else if (DOUBLE_QUOTES.test(c)) push('"', i);
    else if (DASHES.test(c)) push('-', i);
    else if (c === '\u2026') push('...', i);
    else if (c === '\u2039') push('<', i);
    else if (c === '\u203A') push('>', i);
    else push(c, i);
  }
  return { text, from };
}

/** Strip what judges wrap quotes in: surrounding quote marks and leading/trailing ellipses. */
export function cleanQuote(quote: string): string {
  let q = normaliseForMatch(quote).text;
  for (;;) {
    const before = q;
    q = q.trim();
    if (q.length >= 2 && ((q.startsWith('"') && q.endsWith('"')) || (q.startsWith("'") && q.endsWith("'")))) q = q.slice(1, -1);
    q = q.replace(/^(?:\.\.\.|\[\.\.\.\])\s*/, '').replace(/\s*(?:\.\.\.|\[\.\.\.\])$/, '');
    if (q === before) return q;
  }
}

export type QuoteMatch =
  | { status: 'found'; evidence: Evidence; /** The judge's turn index when it was wrong. */ correctedFrom: number | null }
  | { status: 'not-candidate'; turn: number; role: string }
  | { status: 'invented' }
  | { status: 'empty' };

const MIN_FRAGMENT = 3;

export class QuoteMatcher {
  private readonly turns: { turn: IndexedTurn; normalised: Normalised | null }[];

  constructor(turns: IndexedTurn[]) {
    // Normalised on first use: the cited turn is tried first and usually holds the quote.
    this.turns = turns.map((turn) => ({ turn, normalised: null }));
  }

  private normOf(entry: { turn: IndexedTurn; normalised: Normalised | null }): Normalised {
    entry.normalised ??= normaliseForMatch(entry.turn.text);
    return entry.normalised;
  }

  /** Find `quote` in the transcript, preferring the cited turn, then the nearest candidate turn. */
  match(quote: string, citedTurn: number): QuoteMatch {
    const cleaned = cleanQuote(quote);
    if (cleaned === '') return { status: 'empty' };
    // Whole quote first; then, if the judge elided with "...", every fragment in order in one turn.
    const fragments = cleaned.split(/\s*(?:\.\.\.|\[\.\.\.\])\s*/).filter((f) => f !== '');
    const tryElided = fragments.length > 1 && fragments.every((f) => f.length >= MIN_FRAGMENT);

    const byDistance = [...this.turns].sort(
      (a, b) => Math.abs(a.turn.index - citedTurn) - Math.abs(b.turn.index - citedTurn) || a.turn.index - b.turn.index,
    );
    let elsewhere: IndexedTurn | null = null;
    for (const entry of byDistance) {
      const { turn } = entry;
      const norm = this.normOf(entry);
      const excerpt = this.find(norm, turn.text, [cleaned]) ?? (tryElided ? this.find(norm, turn.text, fragments) : null);
      if (excerpt === null) continue;
      if (turn.role !== 'candidate') {
        elsewhere ??= turn;
        continue;
      }
      return {
        status: 'found',
        evidence: { quote: excerpt, turn: turn.index, note: null },
        correctedFrom: turn.index === citedTurn ? null : citedTurn,
      };
    }
    if (elsewhere) return { status: 'not-candidate', turn: elsewhere.index, role: elsewhere.role };
    return { status: 'invented' };
  }

  /** All fragments in order in `norm`: the verbatim original of each (whitespace collapsed), joined by " … ". */
  private find(norm: Normalised, original: string, fragments: string[]): string | null {
    const pieces: string[] = [];
    let from = 0;
    for (const fragment of fragments) {
      const at = norm.text.indexOf(fragment, from);
      if (at < 0) return null;
      const end = at + fragment.length; // exclusive, in normalised text
      const startOriginal = norm.from[at]!;
      const endOriginal = norm.from[end - 1]! + 1;
      pieces.push(original.slice(startOriginal, endOriginal).replace(/\s+/g, ' ').trim());
      from = end;
    }
    return pieces.join(' … ');
  }
}

/** Key for de-duplicating evidence: same turn, same normalised words. */
export function evidenceKey(evidence: Pick<Evidence, 'quote' | 'turn'>): string {
  return `${evidence.turn}\u0000${cleanQuote(evidence.quote)}`;
}
