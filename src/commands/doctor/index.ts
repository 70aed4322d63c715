// `sdcoach doctor`: registers the command; the checks run in ./action.ts (and llm/doctor.ts), loaded only when run.
import { InvalidArgumentError, type Command } from 'commander';
import { addProviderOptions } from '../provider-options.js';
import { exitCodeOf } from '../exit-code.js';

function parseTimeout(value: string): number {
  const ms = Number(value);
  if (!Number.isInteger(ms) || ms <= 0) throw new InvalidArgumentError('must be a positive number of milliseconds.');
  return ms;
}

export function registerDoctor(program: Command): void {
  const command = program
    .command('doctor')
    .description('check the configured provider: reachable, model exists, streaming works, time to first token')
    .option('--json', 'print the report as JSON')
    .option('--timeout <ms>', 'give up on each network step after this many milliseconds', parseTimeout, 15_000)
    .addHelpText(
      'after',
      `
Examples:
  $ sdcoach doctor                                   # whatever is configured (builtin when nothing is), and local servers found
  $ sdcoach doctor --provider ollama --model llama3.2  # Ollama on this machine (no key is sent)
  $ sdcoach doctor --provider local                  # the newest model pulled with \`sdcoach models pull\`
  $ sdcoach doctor --json | jq .firstTokenMs`,
    );
  addProviderOptions(command).action(exitCodeOf(async (options: Record<string, unknown>) => {
    const { runDoctorCommand } = await import('./action.js');
    return runDoctorCommand(options);
  }));
}
