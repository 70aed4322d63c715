// The session's view for the screen, repainted at most every PAINT_INTERVAL_MS while a reply
// streams (the first delta at once, the last one always) and at once for anything else. The
// throttle is the screen's: the session tells every listener of every change, and the script
// runner, which prints whole items, needs no throttle.
import { useCallback, useSyncExternalStore } from 'react';
import type { PracticeSession } from '../interview/practice-session.js';
import type { SessionView } from '../interview/session-state.js';
import { PaintThrottle } from './paint-throttle.js';

export const PAINT_INTERVAL_MS = 100;

export function usePaintedView(session: PracticeSession, intervalMs = PAINT_INTERVAL_MS): SessionView {
  const subscribe = useCallback(
    (onChange: () => void) => {
      const paints = new PaintThrottle<void>(onChange, intervalMs);
      const unsubscribe = session.subscribe((urgent) => {
        paints.push();
        if (urgent) paints.flush();
      });
      return () => {
        unsubscribe();
        paints.dispose();
      };
    },
    [session, intervalMs],
  );
  return useSyncExternalStore(subscribe, session.getState);
}
