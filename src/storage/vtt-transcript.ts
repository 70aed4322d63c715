// Caption files from meeting tools (.vtt WebVTT from Teams, Zoom, Meet; .srt SubRip) as a
// Transcript. Cues with a speaker — a `<v Name>` voice tag, or a `Name: text` label — become turns;
// each turn's elapsedMs is its first cue's start, so time management is graded from the real clock
// (timing `recorded`). Consecutive cues of one speaker are one turn. The WEBVTT header, cue ids,
// cue settings, NOTE / STYLE / REGION blocks and markup tags are dropped.
//
// Who is who (speakerRoles below), in this order:
//   1. `candidate` given by the caller (a name, matched without regard to case): that speaker is the
//      candidate, every other speaker an interviewer.
//   2. Speakers named Interviewer / Candidate (or Q / A) are what they say.
//   3. The first speaker who asks the design question ("Design a URL shortener", "Let's design…",
//      "how would you build…?") is the interviewer; of the others, the one with the most words is
//      the candidate and the rest are interviewers too (a panel).
//   4. Nobody asks it (ambiguous): the speaker with the most words is the candidate, everyone else
//      an interviewer; a single speaker is a monologue.
// Cues with no speaker at all (plain captions of one person talking) are a monologue: a new turn
// starts at each pause of PAUSE_MS or more, so the phases keep their own times.
import { importedMeta } from './plain-transcript.js';
import {
  type Role,
  type Transcript,
  type TranscriptEvent,
  type TranscriptProblem,
} from '../schemas/transcript.js';
import { stripControls } from '../term/strip.js';

export interface CaptionImportOptions {
  file?: string | null;
  problem?: string | null;
  /** The candidate's speaker name, when the caller knows it (rule 1 above). */
  candidate?: string | null;
  /** `vtt` (default) or `srt`: only recorded in the meta's `source`. */
  source?: 'vtt' | 'srt';
}

/** Unlabelled captions: a pause this long between cues starts a new turn. */
const PAUSE_MS = 2_000;

/** `hh:mm:ss.ttt` or `mm:ss.ttt` (WebVTT), `hh:mm:ss,ttt` (SubRip). */
const TIMESTAMP = /^(?:(\d+):)?(\d{1,2}):(\d{2})[.,](\d{1,3})$/;
const TIMING = /^\s*(\S+)[ \t]+-->[ \t]+(\S+)/;
const VOICE = /<v(?:\.[^\s>]*)?(?:[ \t]+([^>]*))?>/g;
const HAS_VOICE = /<v(?:\.[^\s>]*)?(?:[ \t]+[^>]*)?>/;
/** A `Name:` label opening a cue: one to four words of letters, no digits, not a URL scheme. */
const NAME_LABEL = /^[ \t]*(?:-[ \t]*)?([\p{L}][\p{L}\p{M}'’.\-]*(?:[ \t]+[\p{L}\p{M}'’.\-]+){0,3})[ \t]*:[ \t]+(\S.*)$/su;
const ROLE_NAMES: Record<string, Role> = { interviewer: 'interviewer', q: 'interviewer', candidate: 'candidate', a: 'candidate' };
/** The design question: a design verb, asked (a `?`) or set as a task. */
const DESIGN_VERB = /\b(?:design|architect|build)\b/i;
const ASKING = /\?|^\s*(?:design|architect|build)\b|\b(?:let'?s|let us|can you|could you|would you|how would|i'?d like you|i want you|your task|please)\b/i;

function parseTimestamp(text: string): number | null {
  const m = TIMESTAMP.exec(text);
  if (!m) return null;
  const [, h, min, s, frac] = m;
  if (Number(s) > 59 || (h !== undefined && Number(min) > 59)) return null;
  return ((Number(h ?? 0) * 60 + Number(min)) * 60 + Number(s)) * 1000 + Number(frac!.padEnd(3, '0'));
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', lrm: '', rlm: '' };
function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (all, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : all;
    }
    return ENTITIES[name.toLowerCase()] ?? all;
  });
}

/** Cue text without markup (`<c.x>`, `<b>`, `<00:00:01.000>`, `</v>`), as one line. */
function plain(text: string): string {
  return stripControls(decodeEntities(text.replace(/<[^>]*>/g, '')))
    .replace(/\s+/g, ' ')
    .trim();
}

interface Segment {
  speaker: string | null;
  text: string;
  startMs: number;
  endMs: number;
}

function countWords(text: string): number {
  let n = 0;
  for (const word of text.split(/\s+/)) if (word) n++;
  return n;
}

/** The cues of a caption file, one segment per voice span; header, ids and NOTE blocks dropped. */
function parseCues(body: string, problems: TranscriptProblem[]): { segments: Segment[]; labels: Map<string, number> } {
  const lines = body.split(/\r\n|\r|\n/);
  const raw: { payload: string; startMs: number; endMs: number }[] = [];
  let i = 0;
  if (/^WEBVTT(?:[ \t]|$)/.test(lines[0] ?? '')) while (i < lines.length && lines[i]!.trim() !== '') i++;
  while (i < lines.length) {
    while (i < lines.length && lines[i]!.trim() === '') i++;
    if (i >= lines.length) break;
    const first = i;
    const block: string[] = [];
    while (i < lines.length && lines[i]!.trim() !== '') block.push(lines[i++]!);
    if (/^(?:NOTE|STYLE|REGION)(?:[ \t]|$)/.test(block[0]!)) continue;
    // A cue: an optional id line, the timing line, then its text.
    const at = TIMING.test(block[0]!) ? 0 : TIMING.test(block[1] ?? '') ? 1 : -1;
    const timing = at >= 0 ? TIMING.exec(block[at]!) : null;
    const start = timing ? parseTimestamp(timing[1]!) : null;
    const end = timing ? parseTimestamp(timing[2]!) : null;
    if (start === null || end === null) {
      problems.push({ line: first + 1 + Math.max(at, 0), message: `line ${first + 1 + Math.max(at, 0)}: not a cue (no "00:00:01.000 --> 00:00:04.000" timing line)` });
      continue;
    }
    raw.push({ payload: block.slice(at + 1).join('\n'), startMs: start, endMs: Math.max(start, end) });
  }

  // `Name: text` labels count when a name opens two cues or more, is a role name, or every cue
  // opens with a name; so "Note: the cache is warm" opening one cue of plain captions is speech.
  const labels = new Map<string, number>();
  const labelOf = (payload: string) => {
    const m = NAME_LABEL.exec(plain(payload));
    return m ? { name: m[1]!.trim(), rest: m[2]! } : null;
  };
  let unlabelled = 0;
  for (const cue of raw) {
    if (HAS_VOICE.test(cue.payload) || !plain(cue.payload)) continue;
    const label = labelOf(cue.payload);
    if (label) labels.set(label.name.toLowerCase(), (labels.get(label.name.toLowerCase()) ?? 0) + 1);
    else unlabelled++;
  }
  // In a file where every cue opens with a name, a name heard once is a speaker too.
  const isLabel = (name: string) => unlabelled === 0 || (labels.get(name.toLowerCase()) ?? 0) >= 2 || name.toLowerCase() in ROLE_NAMES;

  const segments: Segment[] = [];
  let speaker: string | null = null;
  for (const cue of raw) {
    if (HAS_VOICE.test(cue.payload)) {
      VOICE.lastIndex = 0;
      // Text before the first voice tag is the speaker of the cue before; each tag starts a span.
      let last = 0;
      let m: RegExpExecArray | null;
      const spans: { speaker: string | null; text: string }[] = [];
      let current = speaker;
      while ((m = VOICE.exec(cue.payload))) {
        spans.push({ speaker: current, text: cue.payload.slice(last, m.index) });
        current = plain(m[1] ?? '') || null;
        last = m.index + m[0].length;
      }
      spans.push({ speaker: current, text: cue.payload.slice(last) });
      for (const span of spans) {
        const text = plain(span.text);
        if (!text) continue;
        segments.push({ speaker: span.speaker, text, startMs: cue.startMs, endMs: cue.endMs });
        speaker = span.speaker;
      }
      continue;
    }
    const label = labelOf(cue.payload);
    if (label && isLabel(label.name)) {
      speaker = label.name;
      segments.push({ speaker, text: plain(label.rest), startMs: cue.startMs, endMs: cue.endMs });
    } else {
      const text = plain(cue.payload);
      // A caption with no speaker continues whoever spoke last.
      if (text) segments.push({ speaker, text, startMs: cue.startMs, endMs: cue.endMs });
    }
  }
  return { segments, labels };
}

/** Each speaker's role, by the rules at the top of this file. */
export function speakerRoles(turns: { speaker: string; text: string }[], candidate?: string | null): Map<string, Role> {
  const words = new Map<string, number>();
  for (const turn of turns) words.set(turn.speaker, (words.get(turn.speaker) ?? 0) + countWords(turn.text));
  const speakers = [...words.keys()];
  const roles = new Map<string, Role>();
  const hint = candidate?.trim().toLowerCase();
  if (hint && speakers.some((s) => s.toLowerCase() === hint)) {
    for (const s of speakers) roles.set(s, s.toLowerCase() === hint ? 'candidate' : 'interviewer');
    return roles;
  }
  if (speakers.every((s) => s.toLowerCase() in ROLE_NAMES)) {
    for (const s of speakers) roles.set(s, ROLE_NAMES[s.toLowerCase()]!);
    return roles;
  }
  if (speakers.length === 1) {
    roles.set(speakers[0]!, 'candidate');
    return roles;
  }
  const asker = turns.find((t) => DESIGN_VERB.test(t.text) && ASKING.test(t.text))?.speaker;
  const others = speakers.filter((s) => s !== asker);
  // Most words among those who did not ask; a tie goes to the later speaker (the one answering).
  let talker = others[0]!;
  for (const s of others) if (words.get(s)! >= words.get(talker)!) talker = s;
  for (const s of speakers) roles.set(s, s === talker ? 'candidate' : 'interviewer');
  return roles;
}

/** Turn WebVTT or SubRip text into a Transcript. Never throws; blocks that are not cues are reported in `problems`. */
export function importCaptionTranscript(text: string, options: CaptionImportOptions = {}): Transcript {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const problems: TranscriptProblem[] = [];
  const { segments } = parseCues(body, problems);
  const origin = segments.length > 0 ? Math.min(...segments.map((s) => s.startMs)) : 0;

  // Consecutive cues of one speaker are one turn; unlabelled captions split at pauses.
  const merged: { speaker: string | null; text: string; startMs: number; endMs: number }[] = [];
  for (const segment of segments) {
    const last = merged[merged.length - 1];
    const same = last && last.speaker === segment.speaker && (segment.speaker !== null || segment.startMs - last.endMs < PAUSE_MS);
    if (same) {
      last.text = `${last.text} ${segment.text}`;
      last.endMs = Math.max(last.endMs, segment.endMs);
    } else {
      merged.push({ ...segment });
    }
  }
  const named = merged.filter((t): t is typeof t & { speaker: string } => t.speaker !== null);
  const roles = speakerRoles(named, options.candidate);

  const events: TranscriptEvent[] = [];
  let clock = 0;
  for (const turn of merged) {
    // Cues out of order (a hand-edited file) must not move the clock back.
    clock = Math.max(clock, Math.round(turn.startMs - origin));
    // No speaker anywhere: a monologue. Text before the first speaker of a labelled file: a note.
    const role: Role = turn.speaker === null ? (named.length === 0 ? 'candidate' : 'system') : roles.get(turn.speaker)!;
    const previous = events[events.length - 1];
    if (turn.speaker !== null && previous?.type === 'turn' && previous.role === role) {
      // Two speakers with one role (a panel) in a row: one turn.
      previous.text = `${previous.text}\n\n${turn.text}`;
      continue;
    }
    events.push({ type: 'turn', role, text: turn.text, elapsedMs: clock, phase: null });
  }
  const endMs = merged.length > 0 ? Math.max(clock, Math.round(Math.max(...merged.map((t) => t.endMs)) - origin)) : 0;
  if (events.length > 0) events.push({ type: 'end', reason: 'completed', elapsedMs: endMs });

  const meta = importedMeta({ idSource: text, problem: options.problem ?? null, events, timing: 'recorded', source: options.source ?? 'vtt' });
  return { file: options.file ?? null, format: 'plain', meta, events, problems, tornTail: false };
}

/** Whether text is a caption file whatever its name: a WEBVTT header. */
export function looksLikeVtt(text: string): boolean {
  return /^\uFEFF?WEBVTT(?:[ \t\r\n]|$)/.test(text);
}

/** Whether text is SubRip whatever its name: a cue number, then a `00:00:01,000 --> …` timing line. */
export function looksLikeSrt(text: string): boolean {
  return /^\uFEFF?\s*\d+[ \t]*\r?\n\d{1,2}:\d{2}:\d{2},\d{3}[ \t]+-->[ \t]+\d{1,2}:\d{2}:\d{2},\d{3}/.test(text);
}
