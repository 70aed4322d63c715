// `sdcoach rubric list|show|validate|init`: registers the commands; the work is in ./action.ts,
// imported inside each action so `sdcoach --help` stays light.
import type { Command } from 'commander';
import { exitCodeOf } from '../exit-code.js';

export function registerRubric(program: Command): void {
  const rubric = program
    .command('rubric')
    .description('list, show, check and create rubric files (what transcripts are graded against)')
    .addHelpText(
      'after',
      `
Rubrics are found by name in your rubrics folder ($SDCOACH_HOME/rubrics) first, then among the
packaged ones; any command also takes a path to a .yaml file.

Examples:
  $ sdcoach rubric list                        every rubric, with its version and source
  $ sdcoach rubric show default                dimensions, weights, anchors and level rules
  $ sdcoach rubric init coach.yaml             a commented starter rubric to edit
  $ sdcoach rubric validate coach.yaml rubrics/*.yaml`,
    );

  rubric
    .command('list')
    .description('list the available rubrics (broken files are listed with their first error)')
    .option('--json', 'print the list as JSON')
    .action(async (options: { json?: boolean }) => {
      const { runRubricList } = await import('./action.js');
      await runRubricList(options);
    });

  rubric
    .command('show')
    .description('show a rubric: dimensions with weights, modes and anchors, and level rules')
    .argument('<name|file>', 'rubric name (e.g. default) or YAML file')
    .option('--json', 'print the parsed rubric as JSON')
    .action(exitCodeOf(async (nameOrFile: string, options: { json?: boolean }) => {
      const { runRubricShow } = await import('./action.js');
      return runRubricShow(nameOrFile, options);
    }));

  rubric
    .command('validate')
    .description('check rubric files; prints file:line:column: message for every problem (and warnings)')
    .argument('<files...>', 'rubric YAML files (a folder checks every .yaml/.yml in it)')
    .addHelpText(
      'after',
      '\nWarnings (file:line:column: warning: …) point at signals a dimension\'s analyzer never reads and at\n' +
        'patterns that are everyday words; they do not fail the check.\n' +
        '\nExit codes: 0 every file is valid, 1 some file has errors, 2 usage error.',
    )
    .action(exitCodeOf(async (files: string[]) => {
      const { runRubricValidate } = await import('./action.js');
      return runRubricValidate(files);
    }));

  rubric
    .command('init')
    .description('write a commented starter rubric to edit (default ./my-rubric.yaml)')
    .argument('[file]', 'where to write it (.yaml is added when missing)', 'my-rubric.yaml')
    .option('--force', 'overwrite the file if it exists')
    .action(exitCodeOf(async (file: string, options: { force?: boolean }) => {
      const { runRubricInit } = await import('./action.js');
      return runRubricInit(file, options);
    }));
}
