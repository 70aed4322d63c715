// `sdcoach problems [list] | show ID | validate [paths…]`: registers the commands; the problem
// loader (zod, yaml) lives behind ./action.ts, imported inside each action so
// `sdcoach --help` stays light.
import type { Command } from 'commander';
// The listing reads a stat-validated index (no zod, no yaml), light enough to bundle: it runs as
// fast as --help. show and validate load the loader lazily.
import { runProblemsList } from './list.js';
import { rejectUnknownSubcommands } from '../unknown-subcommand.js';
import { exitCodeOf } from '../exit-code.js';

async function action() {
  return import('./action.js');
}

export function registerProblems(program: Command): void {
  const problems = program
    .command('problems')
    .description('list, show and check interview problems (the packaged bank and your own)')
    .addHelpText(
      'after',
      `
Problems are markdown files with YAML front-matter (fact sheet, reference estimates, components,
deep dives, pushbacks, level expectations); the statement is the body. Your own go in
$SDCOACH_HOME/problems/<id>.md and replace a packaged problem with the same id.

Examples:
  $ sdcoach problems                           every problem: id, title, difficulty, tags, source
  $ sdcoach problems show url-shortener        the statement and what the file covers
  $ sdcoach problems show url-shortener --full the whole fact sheet, pushbacks and levels (for coaches)
  $ sdcoach problems validate my-problem.md    errors name file:line:column
  $ sdcoach problems validate                  every packaged and user problem`,
    );
  // `problems shwo`: an unknown command with a did-you-mean, not an argument for `list`.
  rejectUnknownSubcommands(problems);

  problems
    .command('list', { isDefault: true })
    .description('list the problems (broken files are listed with their first error); the default')
    .option('--json', 'print the list as JSON')
    .action(exitCodeOf(async (options: { json?: boolean }) => {
      return runProblemsList({ json: Boolean(options.json) });
    }));

  problems
    .command('show')
    .description('show a problem: summary of its front-matter and the statement')
    .argument('<id|file>', 'problem id (e.g. url-shortener) or a path to a .md file')
    .option('--full', 'also print the fact sheet, estimates, components, deep dives, pushbacks and levels (spoilers)')
    .option('--json', 'print the parsed problem as JSON (everything, statement included)')
    .addHelpText('after', '\nExit codes: 0 shown, 1 the file has errors, 2 no such problem.')
    .action(exitCodeOf(async (idOrFile: string, options: { json?: boolean; full?: boolean }) => {
      const { runProblemsShow } = await action();
      return runProblemsShow(idOrFile, { json: Boolean(options.json), full: Boolean(options.full) });
    }));

  problems
    .command('validate')
    .description('check problem files; prints file:line:column: message for every problem found')
    .argument('[paths...]', 'problem .md files or folders (default: every packaged and user problem)')
    .option('--json', 'print the results as JSON')
    .addHelpText('after', '\nExit codes: 0 every file is valid, 1 some file has errors (or none was found).')
    .action(exitCodeOf(async (paths: string[], options: { json?: boolean }) => {
      const { runProblemsValidate } = await action();
      return runProblemsValidate(paths, { json: Boolean(options.json) });
    }));
}
