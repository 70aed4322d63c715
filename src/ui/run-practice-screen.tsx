// Mounts the ink practice screen for a session and resolves with the exit code once the session
// is over. Loaded only on a terminal (the practice command's action imports it lazily), so ink and react stay
// out of every other command. SIGTERM/SIGHUP save and quit like a second Ctrl+C.
import { render } from 'ink';
import React from 'react';
import type { PracticeSession } from '../interview/practice-session.js';
import { App } from './App.js';

/** Bracketed paste on/off: the terminal marks a paste (ESC[200~ … ESC[201~) so the composer gets it whole. */
const BRACKETED_PASTE_ON = '\u001b[?2004h';
const BRACKETED_PASTE_OFF = '\u001b[?2004l';

/** Asks the terminal for bracketed paste; the returned function (also run at exit) turns it off. */
function bracketedPaste(stdout: NodeJS.WriteStream): () => void {
  if (!stdout.isTTY) return () => {};
  let on = true;
  const off = () => {
    if (!on) return;
    on = false;
    process.off('exit', off);
    stdout.write(BRACKETED_PASTE_OFF);
  };
  stdout.write(BRACKETED_PASTE_ON);
  process.on('exit', off);
  return off;
}

/** `color`: the command's colour decision for stdout (config/colour.ts). */
export async function runPracticeScreen(session: PracticeSession, color: boolean): Promise<number> {
  const pasteOff = bracketedPaste(process.stdout);
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
    pasteOff();
    if (!session.ended) await session.quit();
  }
  process.stdout.write(`Session saved: ${session.file}\n`);
  return 0;
}
