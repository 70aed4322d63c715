// `sdcoach sessions list|show|export|rm|resume`: registers the commands; the work (catalogue,
// marked, graders) lives in ./action.ts and is imported inside each action.
import { Option, type Command } from 'commander';
import { rejectUnknownSubcommands } from '../unknown-subcommand.js';
import { exitCodeOf } from '../exit-code.js';
import { positiveInt } from '../number-option.js';

const dirOption = () => new Option('--dir <folder>', 'read sessions from this folder instead of your sessions folder');

export function registerSessions(program: Command): void {
  const sessions = program
    .command('sessions')
    .description('your recorded practice sessions: list, show, export, resume, remove')
    .addHelpText(
      'after',
      `
A session is named by its ID or any unique prefix of it (like git): 20261120-1500 is enough
when no other session starts with it. A path to a .jsonl file works too.

Examples:
  $ sdcoach sessions list --since 7d              the last week's sessions
  $ sdcoach sessions list --problem payments --json
  $ sdcoach sessions show 20261120                transcript and score card
  $ sdcoach sessions export 20261120 --format md --out for-my-mentor.md
  $ sdcoach sessions rm 20261120 --yes
  $ sdcoach sessions list --dir ./sessions        the example sessions shipped with sdcoach`,
    );
  // `sessions shwo`: an unknown command with a did-you-mean, not an argument for `list`.
  rejectUnknownSubcommands(sessions);

  sessions
    .command('list', { isDefault: true })
    .description('list sessions, newest first: date, problem, mode, provider/model, duration, overall, level')
    .option('--problem <id>', 'only sessions on this problem')
    .option('--since <when>', 'only sessions started since a date (2026-11-20) or a span (7d, 2w, 3mo)')
    .addOption(new Option('--mode <mode>', 'only interviews or monologues').choices(['interview', 'monologue']))
    .option('--limit <n>', 'show at most N sessions (the newest)', positiveInt('--limit'))
    .addOption(dirOption())
    .option('--json', 'print the list as JSON')
    .addHelpText('after', '\nUnreadable session files are listed with the reason (and make the exit code 1).')
    .action(exitCodeOf(async (options: { problem?: string; since?: string; mode?: 'interview' | 'monologue'; limit?: number; dir?: string; json?: boolean }) => {
      const { runSessionsList } = await import('./action.js');
      return runSessionsList(options);
    }));

  sessions
    .command('show')
    .description('show a session: the transcript as formatted Markdown, then its score card')
    .argument('<id>', 'session ID or unique prefix')
    .addOption(dirOption())
    .option('--rubric <name|file>', 'rubric for sessions without a stored grade (graded now, offline)')
    .action(exitCodeOf(async (id: string, options: { dir?: string; rubric?: string }) => {
      const { runSessionsShow } = await import('./action.js');
      return runSessionsShow(id, options);
    }));

  sessions
    .command('export')
    .description('export a session: md (a clean document to share), json (every event and the report), txt (labelled turns)')
    .argument('<id>', 'session ID or unique prefix')
    .addOption(new Option('--format <format>', 'output format').choices(['md', 'json', 'txt']).default('md'))
    .option('--out <file>', 'write to this file instead of stdout')
    .option('--force', 'overwrite --out if it exists')
    .addOption(dirOption())
    .option('--rubric <name|file>', 'rubric for sessions without a stored grade (graded now, offline)')
    .action(exitCodeOf(async (id: string, options: { format: 'md' | 'json' | 'txt'; out?: string; force?: boolean; dir?: string; rubric?: string }) => {
      const { runSessionsExport } = await import('./action.js');
      return runSessionsExport(id, options);
    }));

  sessions
    .command('rm')
    .description('delete a session file (asks first on a terminal)')
    .argument('<id>', 'session ID or unique prefix')
    .option('-y, --yes', 'do not ask (for scripts; required when not on a terminal)')
    .addOption(dirOption())
    .action(exitCodeOf(async (id: string, options: { yes?: boolean; dir?: string }) => {
      const { runSessionsRm } = await import('./action.js');
      return runSessionsRm(id, options);
    }));

  sessions
    .command('resume')
    .description('continue a session where it stopped (same as practice --resume)')
    .argument('<id>', 'session ID or unique prefix')
    .addOption(dirOption())
    .action(exitCodeOf(async (id: string, options: { dir?: string }) => {
      const { runSessionsResume } = await import('./action.js');
      return runSessionsResume(id, options);
    }));
}
