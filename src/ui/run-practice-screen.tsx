// Mounts the ink practice screen for a session and resolves with the exit code once the session
// is over. Loaded only on a terminal (practice-action imports it lazily), so ink and react stay
// out of every other command. SIGTERM/SIGHUP save and quit like a second Ctrl+C.
import { render } from 'ink';
import React from 'react';
import type { PracticeSession } from '../interview/practice-session.js';
import { App } from './App.js';
import { colorEnabled } from './theme.js';

export async function runPracticeScreen(session: PracticeSession): Promise<number> {
  const color = colorEnabled(process.stdout);
  const instance = render(<App session={session} color={color} />, {
    exitOnCtrlC: false,
    patchConsole: false,
    // Not ink's incrementalRendering: in ink 6.8 it leaves stale copies of a changed status
    // line behind (seen in tmux), so each paint rewrites the (small) live region.
  });
  // Ask for the exit promise now: ink only resolves one that exists when the app exits.
  const exited = instance.waitUntilExit();
  const onSignal = () => void session.quit();
  process.once('SIGTERM', onSignal);
  process.once('SIGHUP', onSignal);
  // If ink stops on its own (a render error), the session is saved before the error surfaces.
  const screenStopped = exited.then(
    () => session.quit(),
    async (error: unknown) => {
      await session.quit();
      throw error;
    },
  );
  try {
    await session.start();
    await Promise.race([session.done, screenStopped]);
    await exited.catch(() => {});
    await screenStopped;
  } finally {
    process.off('SIGTERM', onSignal);
    process.off('SIGHUP', onSignal);
    instance.unmount();
    if (!session.ended) await session.quit();
  }
  process.stdout.write(`Session saved: ${session.file}\n`);
  return 0;
}
