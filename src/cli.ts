// The sdcoach program. Each command module registers itself; heavy modules (ink, react,
// openai, marked, zod-heavy loaders) are imported inside actions so `--help` stays fast.
import { Command, CommanderError } from 'commander';
import { registerDoctor } from './commands/doctor.js';
import { packageVersion } from './storage/paths.js';
import { registerRubric } from './commands/rubric.js';
import { registerProblems } from './commands/problems.js';
import { registerGrade } from './commands/grade.js';
import { registerPractice } from './commands/practice.js';
import { registerSessions } from './commands/sessions.js';
import { registerProgress } from './commands/progress.js';
import { registerConfig } from './commands/config.js';

export function buildProgram(): Command {
  const program = new Command('sdcoach')
    .description('A terminal coach for system design interviews: practise, record, grade.')
    .version(packageVersion(), '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .addHelpText(
      'after',
      `
Examples:
  $ sdcoach practice url-shortener       offline mock interview (builtin interviewer), graded at the end
  $ sdcoach grade sessions/*             grade transcripts: overall, level and every dimension
  $ sdcoach doctor                       check the provider (builtin works offline, no key needed)
  $ OPENAI_BASE_URL=http://localhost:11434/v1 sdcoach doctor --model llama3.1
  $ sdcoach rubric validate my.yaml      check a rubric you edited (errors name file:line:column)

Environment:
  SDCOACH_HOME       where sessions, settings and caches live (default: your user data folder)
  OPENAI_API_KEY     OpenAI key (sent only to api.openai.com unless SDCOACH_SHARE_OPENAI_KEY=1)
  OPENAI_BASE_URL    any OpenAI-compatible endpoint (Ollama, LM Studio, vLLM, llama.cpp, OpenRouter)
  SDCOACH_API_KEY    key for the configured endpoint
  SDCOACH_MODEL      model name
  SDCOACH_PROVIDER   builtin or openai (after --provider, before settings)
  NO_COLOR           plain output`,
    );
  registerPractice(program);
  registerGrade(program);
  registerDoctor(program);
  registerRubric(program);
  registerProblems(program);
  registerSessions(program);
  registerProgress(program);
  registerConfig(program);
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
    if (error instanceof Error && ['ConfigError', 'SettingsError'].includes(error.name)) {
      process.stderr.write(`sdcoach: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}
