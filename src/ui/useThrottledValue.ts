// The live region's paint rate limit as a hook: returns `value`, updated at most once every
// `intervalMs` (first change at once, later ones batched; the final value is always painted).
// Throttle the WHOLE streamed text and split it afterwards, so the committed paragraphs and the
// live tail come from the same snapshot and nothing shows twice.
import { useEffect, useRef, useState } from 'react';
import { PaintThrottle, realClock, type Clock } from './stream-buffer.js';

export function useThrottledValue<T>(value: T, intervalMs = 50, clock: Clock = realClock): T {
  const [shown, setShown] = useState(value);
  const throttle = useRef<PaintThrottle<T> | null>(null);
  if (throttle.current === null) throttle.current = new PaintThrottle<T>((next) => setShown(() => next), intervalMs, clock);

  useEffect(() => {
    throttle.current?.push(value);
  }, [value]);

  useEffect(() => () => throttle.current?.dispose(), []);
  return shown;
}
