// Splitting a streaming reply into what can be committed (printed once, above, in ink <Static>)
// and the live tail that keeps changing. Pure, no React: the session reducer commits with it, the
// live reply shows the tail (the repaint throttle is the screen's, ui/paint-throttle.ts).
//
// Rule (after gemini-cli's findLastSafeSplitPoint): commit only up to the end of the last blank
// line that lies outside a fenced code block. Only complete lines (ending in "\n") count, so the
// committed part only ever grows as text is appended — what was committed stays committed.

export interface Split {
  /** Whole paragraphs, ending just after a blank line; '' when none is complete yet. */
  committed: string;
  /** Everything after: the paragraph still being written, or an open code fence. */
  tail: string;
}

interface Fence {
  char: '`' | '~';
  length: number;
}

const FENCE = /^[ \t]*(`{3,}|~{3,})(.*)$/;

/** The fence a line opens, if any (a backtick fence's info string may not contain a backtick). */
function openingFence(line: string): Fence | null {
  const match = FENCE.exec(line);
  if (!match) return null;
  const marker = match[1]!;
  const char = marker[0] as '`' | '~';
  if (char === '`' && match[2]!.includes('`')) return null;
  return { char, length: marker.length };
}

function closesFence(line: string, fence: Fence): boolean {
  const trimmed = line.trim();
  if (trimmed.length < fence.length) return false;
  for (const ch of trimmed) if (ch !== fence.char) return false;
  return true;
}

/**
 * Where the committable prefix ends: just after the last complete blank line outside a fence.
 * Fences are recognised at any indentation (list items indent them); erring towards "inside a
 * fence" only delays a commit, never breaks one.
 */
export function committableLength(text: string): number {
  let fence: Fence | null = null;
  let end = 0;
  let start = 0;
  while (start < text.length) {
    const newline = text.indexOf('\n', start);
    if (newline === -1) break; // an incomplete last line never counts
    const line = text.slice(start, newline).replace(/\r$/, '');
    const next = newline + 1;
    if (fence) {
      if (closesFence(line, fence)) fence = null;
    } else {
      const opened = openingFence(line);
      if (opened) fence = opened;
      else if (line.trim() === '') end = next;
    }
    start = next;
  }
  return end;
}

export function splitCommittable(text: string): Split {
  const at = committableLength(text);
  return { committed: text.slice(0, at), tail: text.slice(at) };
}

export interface CommitStep extends Split {
  /** Newly committed text since `alreadyCommitted` ('' when nothing new). */
  chunk: string;
}

/**
 * Incremental form for the controller: given the whole reply so far and how many characters were
 * committed before, returns the new chunk to append to the transcript and the tail to show live.
 * A whitespace-only chunk (extra blank lines) is still returned so lengths add up; skip it when
 * making transcript items (`chunk.trim() === ''`).
 */
export function commitStep(text: string, alreadyCommitted: number): CommitStep {
  const at = Math.max(committableLength(text), Math.min(alreadyCommitted, text.length));
  return {
    committed: text.slice(0, at),
    chunk: text.slice(Math.min(alreadyCommitted, at), at),
    tail: text.slice(at),
  };
}

/** True when `text` ends inside an open fence (counting only complete lines). */
export function endsInsideFence(text: string): boolean {
  let fence: Fence | null = null;
  for (const raw of text.split('\n').slice(0, text.endsWith('\n') ? -1 : undefined)) {
    const line = raw.replace(/\r$/, '');
    if (fence) {
      if (closesFence(line, fence)) fence = null;
    } else {
      fence = openingFence(line);
    }
  }
  return fence !== null;
}
