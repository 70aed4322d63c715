// A recorded session as a document: Markdown (for `sessions show` in the terminal and for
// `export --format md`, a clean page a candidate can send a mentor) and plain labelled text
// (`export --format txt`, which `sdcoach grade` reads back as a plain transcript).
import type { GradeReport } from '../../schemas/report.js';
import type { Transcript, TranscriptEvent } from '../../schemas/transcript.js';
import { escapeInline, renderMarkdownReport } from '../../grading/render/markdown.js';
import { stripControls } from '../../term/strip.js';
import { PLAIN_PROBLEM_HEADER } from '../../storage/plain-transcript.js';
import { formatDate, formatDuration } from './shared.js';

const PHASE_TITLES: Record<string, string> = {
  clarify: 'Clarify requirements',
  estimate: 'Estimate',
  'high-level': 'High-level design',
  'deep-dive': 'Deep dive',
  'wrap-up': 'Wrap-up',
};

const ROLE_NAMES = { candidate: 'Candidate', interviewer: 'Interviewer', system: 'Note' } as const;

/** `m:ss` from the session clock. */
export function clock(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

/** The session's length: the end event, else the last timed event. */
export function sessionDurationMs(transcript: Transcript): number | null {
  let last: number | null = null;
  for (const event of transcript.events) {
    if (event.type === 'end') return event.elapsedMs;
    if (event.type !== 'grade' && typeof event.elapsedMs === 'number') last = event.elapsedMs;
  }
  return last;
}

export function lastGradeEvent(transcript: Transcript): Record<string, unknown> | null {
  for (let i = transcript.events.length - 1; i >= 0; i--) {
    const event = transcript.events[i]!;
    if (event.type === 'grade') return event.report;
  }
  return null;
}

/** A line that opens a fenced code block: up to 3 spaces, then ``` or ~~~ (3 or more). */
const FENCE_OPEN = /^ {0,3}(`{3,}|~{3,})/;
/** A line that starts a block (heading, quote, list item) or is a setext underline / thematic break. */
const BLOCK_START = /^(\s*)(?:(\d+)([.)])(?=[ \t]|$)|([#>]|[-*+](?=[ \t]|$)|(?:=+|-+|\*(?:[ \t]*\*){2,}|_(?:[ \t]*_){2,})[ \t]*$))/;
/** `# x` → `\# x`, `1. x` → `1\. x`: the line reads as text, not as a block. */
function escapeBlockStart(line: string): string {
  return line.replace(BLOCK_START, (_all, indent: string, digits?: string, mark?: string, other?: string) =>
    digits !== undefined ? `${indent}${digits}\\${mark}` : `${indent}\\${other}`,
  );
}

/**
 * Turn text is the candidate's own words, not markup. Inside fenced code blocks and inline code
 * it is verbatim (a `<` in `Map<String, Long>` stays a `<`); outside, only what would change its
 * meaning is escaped (a leading `#` becoming a heading, a `<tag>` vanishing as HTML, see
 * escapeInline), and each line break is kept. A fence the text never closes is closed at the end
 * of the turn, so it cannot swallow the rest of the document.
 */
function fenceLine(line: string): boolean {
  return FENCE_OPEN.test(line);
}

function prose(text: string): string {
  const lines = stripControls(text).replace(/\r\n?/g, '\n').trim().split('\n');
  // Each output line, and whether it is prose (prose lines end in a hard break before more prose).
  const out: { text: string; prose: boolean }[] = [];
  let fence: { char: string; length: number } | null = null;
  for (const line of lines) {
    if (fence) {
      out.push({ text: line, prose: false });
      const close = /^ {0,3}(`{3,}|~{3,})[ \t]*$/.exec(line);
      if (close && close[1]![0] === fence.char && close[1]!.length >= fence.length) fence = null;
      continue;
    }
    const open = FENCE_OPEN.exec(line);
    // A backtick fence's info string cannot hold a backtick (else it is inline code).
    if (open && !(open[1]![0] === '`' && line.slice(open[0].length).includes('`'))) {
      fence = { char: open[1]![0]!, length: open[1]!.length };
      out.push({ text: line, prose: false });
      continue;
    }
    if (line.trim() === '') {
      out.push({ text: '', prose: false });
      continue;
    }
    // Indented code (4 spaces or a tab after a blank line, or after more of it) is verbatim too.
    const previous = out[out.length - 1];
    if (previous && !previous.prose && !fenceLine(previous.text) && /^(?: {4}|\t)/.test(line)) {
      out.push({ text: line, prose: false });
      continue;
    }
    out.push({ text: escapeBlockStart(escapeInline(line)), prose: true });
  }
  if (fence) out.push({ text: fence.char.repeat(fence.length), prose: false });
  return out.map((line, i) => (line.prose && out[i + 1]?.prose ? `${line.text}  ` : line.text)).join('\n');
}

export interface DocumentOptions {
  /** The problem's title (from the problem bank) when it is known. */
  title?: string | null;
  report?: GradeReport | null;
  /** Said under the score card, e.g. that it was graded just now and not stored. */
  reportNote?: string | null;
}

function headerLines(transcript: Transcript, options: DocumentOptions): string[] {
  const meta = transcript.meta;
  const kind = meta.mode === 'interview' ? 'mock interview' : 'monologue';
  const title = options.title ?? meta.problem ?? 'System design session';
  const end = transcript.events.find((e): e is Extract<TranscriptEvent, { type: 'end' }> => e.type === 'end');
  const duration = formatDuration(sessionDurationMs(transcript));
  const budget = meta.minutes ? ` of ${meta.minutes} planned` : '';
  const lines = [`# ${title} — ${kind}`, ''];
  lines.push(`- **Date:** ${formatDate(meta.started)}`);
  if (meta.problem) lines.push(`- **Problem:** ${meta.problem}`);
  lines.push(`- **Duration:** ${duration}${budget}${end ? ` (${end.reason})` : ' (no end recorded)'}`);
  if (meta.mode === 'interview') lines.push(`- **Interviewer:** ${meta.provider}${meta.model ? ` (${meta.model})` : ''}`);
  if (meta.levelTarget) lines.push(`- **Target level:** ${meta.levelTarget}`);
  const report = options.report;
  if (report) {
    lines.push(`- **Result:** ${report.overall === null ? '–' : report.overall.toFixed(2)} / 5 · ${report.level.label}`);
  }
  lines.push(`- **Session:** ${meta.id}`);
  return lines;
}

/** The transcript part: phases as headings, one paragraph per turn, pushbacks as quotes. */
function transcriptLines(transcript: Transcript): string[] {
  const lines: string[] = ['', '## Transcript'];
  let phase: string | null = null;
  let turnIndex = -1;
  const pushbacks = new Map<number, Extract<TranscriptEvent, { type: 'pushback' }>>();
  for (const event of transcript.events) if (event.type === 'pushback') pushbacks.set(event.turn, event);
  for (const event of transcript.events) {
    const eventPhase = event.type === 'phase' ? event.phase : event.type === 'turn' ? event.phase : null;
    if (eventPhase && eventPhase !== phase) {
      phase = eventPhase;
      lines.push('', `### ${PHASE_TITLES[phase] ?? phase} · ${clock(event.type === 'phase' || event.type === 'turn' ? event.elapsedMs : 0)}`);
    }
    if (event.type !== 'turn') continue;
    turnIndex++;
    if (event.text.trim() === '') continue;
    const who = ROLE_NAMES[event.role];
    const cut = event.partial ? ' *(cut short)*' : '';
    if (event.role === 'system') {
      lines.push('', `*${who} (${clock(event.elapsedMs)}): ${stripControls(event.text).replace(/\s+/g, ' ').trim()}*`);
      continue;
    }
    lines.push('', `**${who}** · ${clock(event.elapsedMs)}${cut}`, '', prose(event.text));
    const pushback = pushbacks.get(turnIndex);
    if (pushback) lines.push('', `> Pushback on ${pushback.topic}${pushback.label ? ` — ${pushback.label}` : ''}`);
  }
  if (transcript.problems.length > 0) {
    lines.push('', `*${transcript.problems.length} unreadable line${transcript.problems.length === 1 ? '' : 's'} skipped (${transcript.problems[0]!.message}).*`);
  }
  return lines;
}

/** The header and the transcript, without the score card (the terminal shows its own card). */
export function transcriptMarkdown(transcript: Transcript, options: DocumentOptions = {}): string {
  return [...headerLines(transcript, options), ...transcriptLines(transcript)].join('\n') + '\n';
}

/** The shareable document: header, transcript, then the score card as Markdown tables. */
export function sessionMarkdown(transcript: Transcript, options: DocumentOptions = {}): string {
  const parts = [transcriptMarkdown(transcript, options)];
  if (options.report) {
    // The report's own heading names the local file; a shared document needs no paths.
    const card = renderMarkdownReport(options.report).replace(/^## .*\n/, '## Score card\n');
    parts.push('', card.trimEnd());
    if (options.reportNote) parts.push('', `*${options.reportNote}*`);
  }
  return parts.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd() + '\n';
}

/**
 * Labelled plain text, readable by `sdcoach grade` as a plain transcript. System notes are left
 * out. A `Problem: <id>` header keeps the problem (the importer reads it back), so grading the
 * export needs no --problem.
 */
export function sessionText(transcript: Transcript): string {
  const blocks: string[] = [];
  if (transcript.meta.problem) blocks.push(`${PLAIN_PROBLEM_HEADER} ${transcript.meta.problem}`);
  for (const event of transcript.events) {
    if (event.type !== 'turn' || event.role === 'system' || event.text.trim() === '') continue;
    const text = stripControls(event.text).replace(/\r\n?/g, '\n').trim().replace(/\n{2,}/g, '\n');
    blocks.push(`${ROLE_NAMES[event.role]}: ${text}`);
  }
  return blocks.join('\n\n') + '\n';
}
