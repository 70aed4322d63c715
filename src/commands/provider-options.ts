// The flags every command that talks to a provider shares (doctor, practice, grade). `--seed`
// only drives the builtin interviewer, so only a command that runs one lists it.
import { InvalidArgumentError, type Command } from 'commander';
import type { ProviderFlags } from '../llm/config.js';

function parseSeed(value: string): number {
  const seed = Number(value);
  if (!Number.isInteger(seed)) throw new InvalidArgumentError('must be a whole number.');
  return seed;
}

function parseTokens(value: string): number {
  const tokens = Number(value.replace(/[_,]/g, ''));
  if (!Number.isInteger(tokens) || tokens <= 0) throw new InvalidArgumentError('must be a whole number of tokens above 0.');
  return tokens;
}

/** Commands that run the builtin interviewer: the only ones where `--seed` means something. */
const SEEDED_COMMANDS = new Set(['practice']);
/** Commands that grade with the LLM judge: the only ones with a judge of their own. */
const JUDGED_COMMANDS = new Set(['practice', 'grade']);

export interface ProviderOptionsConfig {
  /** Add `--seed` (default: only for the commands in SEEDED_COMMANDS). */
  seed?: boolean;
  /** Add `--judge-provider` and `--judge-model` (default: only for the commands in JUDGED_COMMANDS). */
  judge?: boolean;
}

export function addProviderOptions(command: Command, config: ProviderOptionsConfig = {}): Command {
  command
    .option('--provider <name>', 'builtin, openai, local (a pulled GGUF model), ollama or lmstudio (default: the configured one, else openai when an endpoint or key is configured)')
    .option('--model <name>', 'model name: for openai/ollama/lmstudio as the server names it, for local as `sdcoach models list` does (env SDCOACH_MODEL, setting model)')
    .option('--base-url <url>', 'OpenAI-compatible endpoint (env OPENAI_BASE_URL, setting baseURL)')
    .option('--api-key-env <VAR>', 'read the API key from this environment variable (keys never go on the command line)')
    .option('--context <tokens>', 'the model\'s context length, when its server does not say (env SDCOACH_CONTEXT_TOKENS, setting contextTokens); longer prompts are refused, never cut', parseTokens);
  if (config.seed ?? SEEDED_COMMANDS.has(command.name())) command.option('--seed <n>', 'seed for the builtin interviewer', parseSeed);
  if (config.judge ?? JUDGED_COMMANDS.has(command.name())) {
    command
      .option('--judge-provider <name>', 'provider of the LLM judge that grades, like --provider (env SDCOACH_JUDGE_PROVIDER, setting judgeProvider; default: the interviewer’s)')
      .option('--judge-model <name>', 'model of the LLM judge (env SDCOACH_JUDGE_MODEL, setting judgeModel; default: the interviewer’s)');
  }
  return command;
}

export function providerFlags(options: Record<string, unknown>): ProviderFlags {
  return {
    provider: options.provider as string | undefined,
    model: options.model as string | undefined,
    baseUrl: options.baseUrl as string | undefined,
    apiKeyEnv: options.apiKeyEnv as string | undefined,
    seed: options.seed as number | undefined,
    judgeProvider: options.judgeProvider as string | undefined,
    judgeModel: options.judgeModel as string | undefined,
    contextTokens: options.context as number | undefined,
  };
}
