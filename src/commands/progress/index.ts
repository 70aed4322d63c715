// `sdcoach progress`: registers the command; the trend (graders, asciichart) loads in ./action.ts.
import { Option, type Command } from 'commander';
import { exitCodeOf } from '../exit-code.js';

export function registerProgress(program: Command): void {
  program
    .command('progress')
    .description('your trend per rubric dimension over sessions (a chart), the weakest three, and what to practise next')
    .option('--since <when>', 'only sessions started since a date (2026-11-20) or a span (7d, 2w, 3mo)')
    .option('--problem <id>', 'only sessions on this problem')
    .addOption(new Option('--mode <mode>', 'only interviews or monologues').choices(['interview', 'monologue']))
    .option('--dir <folder>', 'read sessions from this folder instead of your sessions folder')
    .option('--rubric <name|file>', 'rubric for sessions without a stored grade (graded now, offline)')
    .option('--json', 'print the same numbers as JSON (the chart is drawn from its "chart" arrays)')
    .addHelpText(
      'after',
      `
Sessions without a stored grade are graded now by the offline evidence grader (cached, not written
back). Weakest = lowest mean over each dimension's last 3 sessions.

Examples:
  $ sdcoach progress
  $ sdcoach progress --since 30d --json | jq '.weakest'
  $ sdcoach progress --dir ./sessions          the example sessions shipped with sdcoach`,
    )
    .action(exitCodeOf(async (options: { since?: string; problem?: string; mode?: 'interview' | 'monologue'; dir?: string; rubric?: string; json?: boolean }) => {
      const { runProgress } = await import('./action.js');
      return runProgress(options);
    }));
}
