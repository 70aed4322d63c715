// The sdcoach program. Each command module registers itself; heavy modules (ink, react,
// openai, marked, zod-heavy loaders) are imported inside actions so `--help` stays fast.
import { Command, CommanderError } from 'commander';
import { registerDoctor } from './commands/doctor/index.js';
import { packageVersion } from './storage/paths.js';
import { registerRubric } from './commands/rubric/index.js';
import { registerProblems } from './commands/problems/index.js';
import { registerGrade } from './commands/grade/index.js';
import { registerPractice } from './commands/practice/index.js';
import { registerSessions } from './commands/sessions/index.js';
import { registerProgress } from './commands/progress/index.js';
import { registerConfig } from './commands/config/index.js';
import { registerCompletion } from './commands/completion/index.js';
import { registerModels } from './commands/models/index.js';
import { stdoutIsTerminal, writeStdout } from './fast-stdout.js';
import { unknownCommandText } from './commands/unknown-subcommand.js';
import { errorText, SdcoachError } from './errors.js';

/** `error: unknown command 'shwo'` and commander's optional `(Did you mean show?)` line. */
const COMMANDER_UNKNOWN = /unknown command '([^'\n]*)'(?:\n\(Did you mean ([^?\n]*)\?\))?/;

export function buildProgram(): Command {
  const program = new Command('sdcoach');
  // Help and version text without creating process.stdout unless it is a terminal (fast-stdout.ts);
  // set before the subcommands exist, which inherit it.
  const defaults = program.configureOutput();
  program.configureOutput({
    writeOut: writeStdout,
    // undefined: commander's own default width (80) for a pipe or a file.
    getOutHelpWidth: () => (stdoutIsTerminal() ? defaults.getOutHelpWidth!() : (undefined as unknown as number)),
    getOutHasColors: () => (stdoutIsTerminal() ? defaults.getOutHasColors!() : false),
    // Commander's own unknown-command error, reworded as the groups with a default subcommand
    // say it (unknown-subcommand.ts), so every mistyped command reads the same.
    outputError: (text, write) => write(text.replace(COMMANDER_UNKNOWN, (_all, word: string, guess?: string) => unknownCommandText(word, guess))),
  });
  program
    .description('A terminal coach for system design interviews: practise, record, grade.')
    .version(packageVersion(), '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .addHelpText(
      'after',
      `
Examples:
  $ sdcoach practice url-shortener       offline mock interview (builtin interviewer), graded at the end
  $ sdcoach grade --examples             grade the shipped example sessions: overall, level, every dimension
  $ sdcoach doctor                       check the provider (builtin works offline, no key needed)
  $ OPENAI_BASE_URL=http://localhost:11434/v1 sdcoach doctor --model llama3.1
  $ sdcoach models pull OWNER/REPO/FILE.gguf   a model that runs on this machine, no server (README: Models)
  $ sdcoach rubric validate my.yaml      check a rubric you edited (errors name file:line:column)
  $ source <(sdcoach completion bash)    Tab completion for commands, flags, problem ids, rubrics, sessions

Environment:
  SDCOACH_HOME       where sessions, settings and caches live (default: your user data folder)
  OPENAI_API_KEY     OpenAI key (sent only to api.openai.com unless SDCOACH_SHARE_OPENAI_KEY=1)
  OPENAI_BASE_URL    any OpenAI-compatible endpoint (Ollama, LM Studio, vLLM, llama.cpp, OpenRouter)
  SDCOACH_API_KEY    key for the configured endpoint
  SDCOACH_MODEL      model name
  SDCOACH_PROVIDER   builtin, openai, local, ollama or lmstudio (after --provider, before settings)
  SDCOACH_MODELS_DIR where \`sdcoach models pull\` puts GGUF files (default: <home>/models)
  NO_COLOR           plain output (FORCE_COLOR=0 and TERM=dumb too; FORCE_COLOR=1 colour without a terminal)`,
    );
  registerPractice(program);
  registerGrade(program);
  registerDoctor(program);
  registerRubric(program);
  registerProblems(program);
  registerSessions(program);
  registerProgress(program);
  registerConfig(program);
  registerModels(program);
  registerCompletion(program);
  return program;
}

/** Runs the CLI and returns the exit code: 0 ok, 1 failure, 2 usage error. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version "fail" with exit code 0.
      return error.exitCode === 0 ? 0 : 2;
    }
    // The one mapping of errors to exit codes and stderr text: every failure a user is told
    // about is an SdcoachError (errors.ts), whatever layer threw it.
    if (error instanceof SdcoachError) {
      process.stderr.write(errorText(error));
      return error.exitCode;
    }
    throw error;
  }
}

/**
 * Build step only (bin/sdcoach.js with SDCOACH_WRITE_CODE_CACHE=1, from scripts/bundle.mjs): runs
 * the paths that must start fast, printing nothing, so V8's code cache holds what they compile.
 */
export async function warmUp(): Promise<void> {
  const write = process.stdout.write;
  process.stdout.write = () => true;
  try {
    for (const args of [['--help'], ['--version'], ['problems', '--help'], ['__complete', 'problems']]) {
      await main(['node', 'sdcoach', ...args]);
    }
  } finally {
    process.stdout.write = write;
    process.exitCode = 0;
  }
}
