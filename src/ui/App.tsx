// The practice screen. Finished history goes into <Static> (printed once, scrolls away); the
// live region below holds only the status bar, the unfinished tail of the reply and the
// composer, and is kept shorter than the terminal so ink never has to clear and repaint the
// whole screen. All session logic is in PracticeSession; this file maps keys to its methods.
import { Box, Text, useApp, useInput, useStdout } from 'ink';
import React, { useCallback, useEffect, useRef, useState } from 'react';
import type { PracticeSession } from '../interview/practice-session.js';
import { Composer } from './Composer.js';
import { LiveReply } from './LiveReply.js';
import { StatusBar } from './StatusBar.js';
import { theme } from '../term/theme.js';
import { stripControls } from '../term/strip.js';
import { Transcript } from './Transcript.js';
import type { GradeReport } from '../schemas/report.js';
import { useTerminalSize } from './useTerminalSize.js';
import { usePaintedView } from './usePaintedView.js';

export interface AppProps {
  session: PracticeSession;
  color: boolean;
  /** Test hook: the interval of the clock tick (ms). */
  tickMs?: number;
}

/** Rows the status bar (2), the composer's hint row (1), the live label (1) and spares take. */
const CHROME_ROWS = 6;

function hintLine(status: string, fallback: boolean, queued: boolean): string {
  switch (status) {
    case 'streaming':
      return queued ? 'Esc cancels the reply and sends your queued answer now' : 'Esc cancels · Enter queues an answer, runs a /command now';
    case 'confirm-quit':
      return 'Press Ctrl+C again to save and quit, any other key to carry on.';
    case 'offer-fallback':
      return 'The model is down. y: continue with the builtin interviewer · n: keep trying the model';
    case 'offer-replay':
      return 'y: adversarial replay · n: finish (the score card above is stored)';
    case 'grading':
      return 'Grading…';
    case 'ended':
      return 'Session over.';
    default:
      return `Enter sends · Ctrl+J new line · ↑ earlier turns · /help${fallback ? ' · builtin fallback active' : ''}`;
  }
}

/** One dim row under the live reply: what is queued, so the candidate sees it was taken. */
function queuedLine(queued: readonly string[], color: boolean): string {
  const text = queued.join(' ').replace(/\s+/g, ' ').trim();
  return theme(color).dim(`› queued, sent when the interviewer finishes: ${text}`);
}

export function App({ session, color, tickMs = 1000 }: AppProps): React.JSX.Element {
  // Session calls write to disk; a failure (full disk, a removed folder) is shown, never a crash.
  const run = (work: Promise<unknown>) =>
    void work.catch((error: unknown) => session.notice(`Could not save: ${(error as Error).message}`, 'error'));
  // One snapshot for history and live tail together, so a paragraph is never shown both
  // committed and still live. The session already limits streamed repaints to one per 50 ms.
  const view = usePaintedView(session);
  const { exit } = useApp();
  const { columns, rows } = useTerminalSize();
  const { stdout } = useStdout();
  // A resize reflows what the terminal already shows, so ink's idea of the live region is off.
  // As gemini-cli does: once the size settles, clear the screen and print the history again
  // (a new key remounts <Static>), wrapped at the new width.
  const [historyKey, setHistoryKey] = useState(0);
  const printedWidth = useRef(columns);
  useEffect(() => {
    if (columns === printedWidth.current) return;
    const timer = setTimeout(() => {
      printedWidth.current = columns;
      stdout.write('\u001b[2J\u001b[3J\u001b[H');
      setHistoryKey((k) => k + 1);
    }, 150);
    return () => clearTimeout(timer);
  }, [columns, stdout]);
  const [, setTick] = useState(0);
  // The live tail as shown: a model's stray escape sequence never reaches the terminal raw.
  const live = stripControls(view.live);

  // The clock: redraw the countdown and let the session notice time-up.
  useEffect(() => {
    const timer = setInterval(() => {
      setTick((n) => n + 1);
      run(session.tick());
    }, tickMs);
    return () => clearInterval(timer);
  }, [session, tickMs]);

  useEffect(() => {
    if (view.status === 'ended') exit();
  }, [view.status, exit]);

  useInput((input, key) => {
    if (key.ctrl && input === 'c') {
      run(session.interrupt());
      return;
    }
    if (view.status === 'confirm-quit') {
      run(session.keepGoing());
      return;
    }
    if (key.escape && view.status === 'streaming') {
      session.cancelReply();
      return;
    }
    if (view.status === 'offer-fallback' || view.status === 'offer-replay') {
      const answer = input.trim().toLowerCase();
      if (answer === 'y' || answer === 'n') run(session.answer(answer === 'y'));
    }
  });

  // The score card is wrapped to the width it is printed at (a resize reprints the history).
  const renderScore = useCallback((report: GradeReport, width: number) => session.renderReport(report, { colour: color, width }), [session, color]);
  const composerOpen = view.status === 'ready' || view.status === 'streaming';
  // Composer text rows, then whatever is left (minus the chrome) for the live reply: the live
  // region as a whole stays shorter than the terminal.
  const composerRows = Math.max(2, Math.min(8, Math.floor(rows / 4)));
  const liveHeight = Math.max(2, rows - CHROME_ROWS - composerRows);
  const remainingMs = session.clock.remainingMs();

  return (
    <Box flexDirection="column" width={columns}>
      <Transcript key={historyKey} items={view.items} width={columns} color={color} renderScore={renderScore} />
      <StatusBar
        width={columns}
        color={color}
        problem={session.setup.problem.title}
        mode={session.setup.mode}
        provider={view.providerLabel}
        fallback={view.fallback}
        phase={session.phaseLabel(view.phase)}
        remainingMs={remainingMs}
        paused={view.paused}
        usage={view.usage}
        notice={view.retry}
        hint={hintLine(view.status, view.fallback, view.queued.length > 0)}
      />
      {live.trim() ? <LiveReply text={live} width={columns} maxHeight={liveHeight} color={color} markdown label={view.replyHasItems ? undefined : 'Interviewer'} /> : null}
      {view.queued.length > 0 ? <Text wrap="truncate-end">{queuedLine(view.queued, color)}</Text> : null}
      {/* Always mounted, so a draft survives a Ctrl+C question, a fallback offer or grading. */}
      {view.status !== 'ended' ? (
        <Composer
          width={columns}
          color={color}
          history={view.ownTurns}
          placeholder={session.setup.mode === 'monologue' ? 'Talk through your design, a paragraph at a time…' : 'Your answer…'}
          onSubmit={(text) => run(session.submit(text))}
          maxHeight={composerRows}
          help={false}
          rule={false}
          hideWhenEmpty={!composerOpen || view.status === 'streaming'}
          focus={composerOpen}
        />
      ) : null}
    </Box>
  );
}
