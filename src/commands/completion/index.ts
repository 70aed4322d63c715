// `sdcoach completion bash|zsh|fish` prints a completion script; the hidden `sdcoach __complete
// problems|rubrics|sessions` prints the ids the script offers, one a line. __complete is in the
// start-up bundle and only lists folders (no YAML, no zod), so a Tab costs about one --help.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { Argument, type Command } from 'commander';
import { writeStdout } from '../../fast-stdout.js';
import { packagedDirs, resolvePaths, type SdcoachPaths } from '../../storage/paths.js';
import { DYNAMIC_KINDS, SHELLS, type DynamicKind, type Shell } from './kinds.js';


/** File names in `dir` with one of `extensions` (not hidden, not README), without it; sorted. */
function namesIn(dir: string, extensions: string[]): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const name of names) {
    const ext = path.extname(name);
    if (name.startsWith('.') || !extensions.includes(ext.toLowerCase())) continue;
    const base = name.slice(0, -ext.length);
    if (base.toLowerCase() !== 'readme') out.push(base);
  }
  return out.sort();
}

/**
 * What `sdcoach __complete <kind>` prints: problem ids (yours and the packaged ones), rubric
 * names (what `--rubric NAME` finds: yours, then the packaged ones), or session ids in the
 * sessions folder (or `dir`). Names only: files are not read, so a broken one is still offered.
 */
export function completionValues(kind: DynamicKind, paths: SdcoachPaths = resolvePaths(), dir?: string): string[] {
  const packaged = packagedDirs();
  const unique = (lists: string[][]) => [...new Set(lists.flat())].sort();
  switch (kind) {
    case 'problems':
      return unique([namesIn(paths.userProblemsDir, ['.md']), namesIn(packaged.problems, ['.md'])]);
    case 'rubrics':
      return unique([namesIn(paths.userRubricsDir, ['.yaml', '.yml']), namesIn(packaged.rubrics, ['.yaml', '.yml'])]);
    case 'sessions':
      return namesIn(dir ? path.resolve(dir) : paths.sessionsDir, ['.jsonl']);
  }
}

export function registerCompletion(program: Command): void {
  program
    .command('completion')
    .description('print a shell completion script (commands, flags, problem ids, rubric names, session ids)')
    .addArgument(new Argument('<shell>', 'bash, zsh or fish').choices(SHELLS))
    .addHelpText(
      'after',
      `
Load it in this shell, or install it for every new one:
  $ source <(sdcoach completion bash)
  $ sdcoach completion bash > ~/.local/share/bash-completion/completions/sdcoach
  $ source <(sdcoach completion zsh)            # or save it as _sdcoach in a folder on $fpath
  $ sdcoach completion fish > ~/.config/fish/completions/sdcoach.fish

Problem ids, rubric names and session ids are looked up when you press Tab, so new ones appear
without reinstalling the script.`,
    )
    .action(async (shell: Shell, _options: unknown, command: Command) => {
      const { completionScript } = await import('./action.js');
      writeStdout(await completionScript(shell, command.parent!));
    });

  program
    .command('__complete', { hidden: true })
    .description('print completion values, one a line (used by the completion scripts)')
    .addArgument(new Argument('<kind>').choices(DYNAMIC_KINDS))
    .option('--dir <folder>', 'sessions folder (as given to sessions --dir)')
    .action((kind: DynamicKind, options: { dir?: string }) => {
      const values = completionValues(kind, resolvePaths(), options.dir);
      if (values.length > 0) writeStdout(values.join('\n') + '\n');
    });
}
