// Phases and their time budget. PRODUCT.md's 45-minute plan (clarify 5, estimate 5, high level
// 10, deep dive 20, wrap-up 5) scaled to the session's minutes; the clock forces a phase once its
// window starts, content can only move it forward earlier.
import type { Phase } from '../../schemas/transcript.js';

export const PHASE_ORDER: readonly Phase[] = ['clarify', 'estimate', 'high-level', 'deep-dive', 'wrap-up'];

/** Minutes per phase of a 45-minute interview. */
const BUDGET_45: readonly number[] = [5, 5, 10, 20, 5];
const BASE_MINUTES = 45;

export function phaseIndex(phase: Phase): number {
  return PHASE_ORDER.indexOf(phase);
}

/** Start of each phase's window and the end of the last, in ms, for a session of `minutes`. */
export function phaseBoundariesMs(minutes: number): number[] {
  const scale = (minutes * 60_000) / BASE_MINUTES;
  const bounds = [0];
  for (const m of BUDGET_45) bounds.push(bounds[bounds.length - 1]! + m * scale);
  return bounds;
}

/** The phase index the clock says at `elapsedMs` (wrap-up from its start onwards, even past the end). */
export function phaseIndexAt(minutes: number, elapsedMs: number): number {
  const bounds = phaseBoundariesMs(minutes);
  let p = 0;
  for (let i = 1; i < PHASE_ORDER.length; i++) if (elapsedMs >= bounds[i]!) p = i;
  return p;
}

/** "7:30" for 450,000 ms. */
export function clockText(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const m = Math.floor(total / 60);
  const s = total % 60;
  return `${m}:${String(s).padStart(2, '0')}`;
}

const NUMBER_WORDS = ['Zero', 'One', 'Two', 'Three', 'Four', 'Five', 'Six', 'Seven', 'Eight', 'Nine', 'Ten'];

/** "Ten", "Twelve" → "12": spoken style for small counts. */
export function minutesText(n: number): string {
  const word = NUMBER_WORDS[n];
  const count = word ?? String(n);
  return `${count} minute${n === 1 ? '' : 's'}`;
}
