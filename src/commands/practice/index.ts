// `sdcoach practice`: registers the command; the session is set up in
// ./action.ts and the ink screen is loaded only on a terminal.
import { InvalidArgumentError, Option, type Command } from 'commander';
import { addProviderOptions, providerFlags } from '../provider-options.js';
import { exitCodeOf } from '../exit-code.js';

function positiveNumber(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0 || n > 600) throw new InvalidArgumentError(`${name} must be a number of minutes between 0 and 600.`);
    return n;
  };
}

export function registerPractice(program: Command): void {
  const command = program
    .command('practice')
    .description('practise an interview (or a monologue) against a streaming interviewer; recorded and graded')
    .argument('[problem]', 'problem id (see `sdcoach problems`); a picker opens without one')
    .addOption(new Option('--mode <mode>', 'interview: the interviewer asks and pushes back; monologue: you talk, uninterrupted').choices(['interview', 'monologue']))
    .option('--minutes <n>', 'time budget (default 45 for an interview, 20 for a monologue)', positiveNumber('--minutes'))
    .addOption(new Option('--level <level>', 'the level you are aiming at').choices(['L3', 'L4', 'L5', 'L6', 'L7']))
    .option('--rubric <name|file>', 'rubric for the grade at the end (default: the default rubric)')
    .option('--resume <id>', 'continue an interrupted session (id or unique prefix, see `sdcoach sessions list`)')
    .option('--script <file>', 'play candidate turns from a file (- reads standard input) and print the replies and the score card (no terminal needed)')
    .addHelpText(
      'after',
      `
Keys: Enter sends · Ctrl+J or Alt+Enter new line · Up/Down your earlier turns · Esc cancels a reply
      Ctrl+C asks, a second Ctrl+C saves and quits (resume with --resume ID)
Slash commands: /help /time /hint /phase /pause /end

Script files: one candidate turn per paragraph (blank line between turns), or turns labelled
"Candidate:"; a line starting with / is a slash command (e.g. /end).

Examples:
  $ sdcoach practice url-shortener                    offline interview with the builtin interviewer
  $ sdcoach practice news-feed --mode monologue --minutes 15
  $ OPENAI_API_KEY=… sdcoach practice llm-chat --model gpt-4o-mini --level L6
  $ sdcoach practice rate-limiter --script answers.txt --seed 7`,
    );
  addProviderOptions(command).action(exitCodeOf(async (problem: string | undefined, options: Record<string, unknown>) => {
    const { runPractice } = await import('./action.js');
    return runPractice({
      problem: problem ?? null,
      mode: (options.mode as 'interview' | 'monologue' | undefined) ?? null,
      minutes: (options.minutes as number | undefined) ?? null,
      level: (options.level as 'L3' | 'L4' | 'L5' | 'L6' | 'L7' | undefined) ?? null,
      rubric: (options.rubric as string | undefined) ?? null,
      resume: (options.resume as string | undefined) ?? null,
      script: (options.script as string | undefined) ?? null,
      providerFlags: providerFlags(options),
    });
  }));
}
