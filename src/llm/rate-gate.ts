// Shared back-off for a batch: when one request is told to wait (429 retry-after), every
// worker holds its next request until then, so the batch slows down instead of failing.
import { providerWith, type Provider, type StreamEvent, type StreamRequest } from './provider.js';
import { sleep as realSleep, type Sleep } from './sleep.js';

export class RateGate {
  private openAt = 0;
  constructor(
    private readonly now: () => number = Date.now,
    private readonly sleep: Sleep = realSleep,
  ) {}

  holdFor(ms: number): void {
    this.openAt = Math.max(this.openAt, this.now() + ms);
  }

  async wait(signal?: AbortSignal): Promise<void> {
    for (let wait = this.openAt - this.now(); wait > 0; wait = this.openAt - this.now()) {
      await this.sleep(wait, signal);
    }
  }
}

export function gatedProvider(provider: Provider, gate: RateGate): Provider {
  return providerWith(provider, {
    async *stream(request: StreamRequest): AsyncGenerator<StreamEvent> {
      await gate.wait(request.signal);
      for await (const event of provider.stream(request)) {
        if (event.type === 'retry' && event.status === 429) gate.holdFor(event.delayMs);
        yield event;
      }
    },
  });
}
