// The flags every command that talks to a provider shares (doctor, practice, grade). `--seed`
// only drives the builtin interviewer, so only a command that runs one lists it.
import { InvalidArgumentError, type Command } from 'commander';
import type { ProviderFlags } from '../llm/config.js';

function parseSeed(value: string): number {
  const seed = Number(value);
  if (!Number.isInteger(seed)) throw new InvalidArgumentError('must be a whole number.');
  return seed;
}

/** Commands that run the builtin interviewer: the only ones where `--seed` means something. */
const SEEDED_COMMANDS = new Set(['practice']);

export interface ProviderOptionsConfig {
  /** Add `--seed` (default: only for the commands in SEEDED_COMMANDS). */
  seed?: boolean;
}

export function addProviderOptions(command: Command, config: ProviderOptionsConfig = {}): Command {
  command
    .option('--provider <name>', 'builtin or openai (default: openai when an endpoint or key is configured)')
    .option('--model <name>', 'model name for the openai provider (env SDCOACH_MODEL, setting model)')
    .option('--base-url <url>', 'OpenAI-compatible endpoint (env OPENAI_BASE_URL, setting baseURL)')
    .option('--api-key-env <VAR>', 'read the API key from this environment variable (keys never go on the command line)');
  if (config.seed ?? SEEDED_COMMANDS.has(command.name())) command.option('--seed <n>', 'seed for the builtin interviewer', parseSeed);
  return command;
}

export function providerFlags(options: Record<string, unknown>): ProviderFlags {
  return {
    provider: options.provider as string | undefined,
    model: options.model as string | undefined,
    baseUrl: options.baseUrl as string | undefined,
    apiKeyEnv: options.apiKeyEnv as string | undefined,
    seed: options.seed as number | undefined,
  };
}
