// `sdcoach config get|set|unset|list|path`: registers the commands; the work is in ./action.ts.
import type { Command } from 'commander';
import { exitCodeOf } from '../exit-code.js';

export function registerConfig(program: Command): void {
  const config = program
    .command('config')
    .description('read and change your settings (provider, model, defaults, colour, where sessions live)')
    .addHelpText(
      'after',
      `
Precedence, highest first: command-line flags > environment variables > settings > defaults.
An API key is best kept in the environment (SDCOACH_API_KEY / OPENAI_API_KEY); one stored in
settings stays in a file only you can read (0600) and is masked when shown.

Examples:
  $ sdcoach config list                        every setting, its value and where it comes from
  $ sdcoach config set baseURL http://localhost:11434/v1
  $ sdcoach config set minutes 30
  $ sdcoach config set colour never
  $ sdcoach config unset model
  $ sdcoach config path                        the settings file`,
    );

  config
    .command('list')
    .description('every setting with its effective value and its source (settings, env, default)')
    .option('--json', 'print as JSON')
    .action(exitCodeOf(async (options: { json?: boolean }) => {
      const { runConfigList } = await import('./action.js');
      return runConfigList(options);
    }));

  config
    .command('get')
    .description('print one setting (its effective value)')
    .argument('<key>', 'setting name, e.g. model')
    .option('--json', 'print {key, value, source} as JSON')
    .action(exitCodeOf(async (key: string, options: { json?: boolean }) => {
      const { runConfigGet } = await import('./action.js');
      return runConfigGet(key, options);
    }));

  config
    .command('set')
    .description('store a setting (checked: a wrong value is refused with the allowed ones)')
    .argument('<key>', 'setting name')
    .argument('<value>', 'new value (numbers and true/false are parsed)')
    .action(exitCodeOf(async (key: string, value: string) => {
      const { runConfigSet } = await import('./action.js');
      return runConfigSet(key, value);
    }));

  config
    .command('unset')
    .description('remove a setting (its default applies again)')
    .argument('<key>', 'setting name')
    .action(exitCodeOf(async (key: string) => {
      const { runConfigUnset } = await import('./action.js');
      return runConfigUnset(key);
    }));

  config
    .command('path')
    .description('print the settings file path')
    .action(async () => {
      const { resolvePaths } = await import('../../storage/paths.js');
      process.stdout.write(resolvePaths().settingsFile + '\n');
    });
}
