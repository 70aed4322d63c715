// The session clock: elapsed time of a practice session, with pauses taken out and an offset
// for a resumed session (it continues where the recording stopped). The time source is
// injected so tests and `--script` runs are deterministic.

/** Milliseconds from an arbitrary origin that only moves forward (performance.now, a fake). */
export type MonotonicNow = () => number;

export class SessionClock {
  readonly #now: MonotonicNow;
  readonly #budgetMs: number;
  /** Elapsed time carried over from a recording (resume). */
  #offsetMs: number;
  #startedAt: number;
  #pausedAt: number | null = null;
  #pausedTotal = 0;

  constructor(options: { now: MonotonicNow; minutes: number; offsetMs?: number }) {
    this.#now = options.now;
    this.#budgetMs = Math.round(options.minutes * 60_000);
    this.#offsetMs = options.offsetMs ?? 0;
    this.#startedAt = this.#now();
  }

  get budgetMs(): number {
    return this.#budgetMs;
  }

  get paused(): boolean {
    return this.#pausedAt !== null;
  }

  elapsedMs(): number {
    const now = this.#pausedAt ?? this.#now();
    return Math.max(0, Math.round(this.#offsetMs + now - this.#startedAt - this.#pausedTotal));
  }

  /** Negative once time is up. */
  remainingMs(): number {
    return this.#budgetMs - this.elapsedMs();
  }

  pause(): void {
    if (this.#pausedAt === null) this.#pausedAt = this.#now();
  }

  resume(): void {
    if (this.#pausedAt === null) return;
    this.#pausedTotal += this.#now() - this.#pausedAt;
    this.#pausedAt = null;
  }

  /** Move the clock on without waiting (the `--script` runner's simulated speaking time). */
  advance(ms: number): void {
    this.#offsetMs += Math.max(0, ms);
  }
}

/** `mm:ss` (or `-mm:ss` past the budget). */
export function formatClock(ms: number): string {
  const sign = ms < 0 ? '-' : '';
  const total = Math.floor(Math.abs(ms) / 1000);
  const minutes = Math.floor(total / 60);
  const seconds = total % 60;
  return `${sign}${String(minutes).padStart(2, '0')}:${String(seconds).padStart(2, '0')}`;
}
