// Paint throttle: the live region repaints at most once per interval; the last value always wins.
// A fast model sends hundreds of deltas a second and every repaint costs a React render and a
// terminal write, so the screen (usePaintedView) paints streamed text through this.

export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * Leading + trailing throttle. `push(value)` paints at once when the last paint is at least
 * `intervalMs` old, otherwise schedules one paint of the latest value for when the interval is
 * up. `flush()` paints a pending value now (end of stream); `dispose()` drops it.
 */
export class PaintThrottle<T> {
  private lastPaint = Number.NEGATIVE_INFINITY;
  private timer: unknown = null;
  private pending: { value: T } | null = null;

  constructor(
    private readonly paint: (value: T) => void,
    private readonly intervalMs = 50,
    private readonly clock: Clock = realClock,
  ) {}

  push(value: T): void {
    const now = this.clock.now();
    const wait = this.lastPaint + this.intervalMs - now;
    if (wait <= 0 && this.timer === null) {
      this.pending = null;
      this.lastPaint = now;
      this.paint(value);
      return;
    }
    this.pending = { value };
    if (this.timer === null) {
      this.timer = this.clock.setTimeout(() => {
        this.timer = null;
        this.flush();
      }, Math.max(0, wait));
    }
  }

  /** Paint the pending value, if any, right now. */
  flush(): void {
    if (this.timer !== null) {
      this.clock.clearTimeout(this.timer);
      this.timer = null;
    }
    const pending = this.pending;
    if (!pending) return;
    this.pending = null;
    this.lastPaint = this.clock.now();
    this.paint(pending.value);
  }

  get hasPending(): boolean {
    return this.pending !== null;
  }

  dispose(): void {
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
    this.pending = null;
  }
}
