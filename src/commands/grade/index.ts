// `sdcoach grade`: registers the command; the batch runs in ./action.ts, loaded on use.
import { Option, type Command } from 'commander';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { useColour } from '../../config/colour.js';
import type { ResolvedProviderConfig } from '../../llm/config.js';
import { addProviderOptions, providerFlags } from '../provider-options.js';
import { exitCodeOf } from '../exit-code.js';
import { positiveInt } from '../number-option.js';


export function registerGrade(program: Command): void {
  const command = program
    .command('grade')
    .description('grade saved sessions and plain-text transcripts against a rubric')
    .argument('[files...]', 'transcript files, folders or globs (.jsonl sessions, .txt/.md transcripts, .vtt/.srt captions, ChatGPT/Claude .json exports); - reads one from standard input')
    .option('--examples', "also grade the example sessions shipped with sdcoach (its sessions/ folder), from any directory")
    .option('--rubric <name|file>', 'rubric name or YAML file (default: the rubric setting, else default)')
    .addOption(
      new Option('--grader <grader>', 'auto (the LLM judge when a model is configured and reachable, else evidence), evidence (offline) or llm (a model as judge)')
        .choices(['auto', 'evidence', 'llm'])
        .default('auto'),
    )
    .addOption(
      new Option('--level <level>', "level you are aiming at: the report says what is still missing for it (default: the session's own target)")
        .choices(['L3', 'L4', 'L5', 'L6', 'L7']),
    )
    .option('--problem <id>', 'problem id for transcripts that do not name one (reference estimates, components)')
    .option('--concurrency <n>', 'files graded at once (llm grader)', positiveInt('--concurrency'), 4)
    .option('--jobs <n>', 'threads for the evidence grader: this one and N-1 workers (building and collecting a Batch API batch: N workers) (default: the number of cores, from 100 files on; 1: the main thread only)', positiveInt('--jobs'))
    .option('--batch-api', 'llm grader: send the judge requests as one OpenAI Batch API batch (cheaper, results within 24 h); prints the batch id')
    .option('--wait', 'with --batch-api or collect: wait for the batch to end (progress on stderr), then print the grades')
    .option('--resubmit-failed', 'collect: send the requests that gave no grade again, as a new batch')
    .option('--json', 'status: JSON output')
    .option('--samples <n>', 'llm grader: judge each transcript N times, report median and spread', positiveInt('--samples'), 1)
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json', 'jsonl', 'md', 'csv']).default('table'))
    .option('--out <file>', 'also write each report (and each file not graded) to this JSONL file as soon as it is known')
    .option('--force', 'overwrite the --out file if it exists')
    .option('--no-cache', 'grade again even when a cached grade exists')
    .addHelpText(
      'after',
      `
--grader auto (the default) checks the configured model once per run (a short GET /models, as
\`sdcoach doctor\` does) and says on stderr which grader it uses; with no model configured, the
builtin provider, or an endpoint that does not answer, it grades offline with the evidence grader.
The judge is given the evidence grader's verified facts (estimate checks, time per phase,
pushback outcomes, quotes) and must ground each score in quotes found in the transcript; a file
or a dimension the judge cannot grade gets the evidence grader's score, marked "evidence".

Files that cannot be graded are listed on stderr and in the output: {"file", "error"} entries in
json/jsonl/--out, a row with an error column in csv, a "Not graded" section in md.
Exit codes: 0 every file graded, 1 some failed (the rest are still reported), 2 usage error
(including an --out file that already exists without --force).

Batch API (the LLM judge at batch prices; any endpoint that implements /v1/files and /v1/batches):
  sdcoach grade FILES --batch-api [--wait]    submit; prints the batch id (the manifest goes to the data folder)
  sdcoach grade status [BATCH] [--json]       one batch's status and counts, or every recorded batch
  sdcoach grade collect BATCH [--wait] [--resubmit-failed]
                                              grade from the batch's results (fills the cache); list and resend failures
A file or folder literally named "collect" or "status" in the current directory is graded as a file.

Examples:
  $ sdcoach grade --examples                         the shipped example sessions: overall, level, every dimension
  $ sdcoach grade 'transcripts/**/*.txt' --problem url-shortener --format csv > grades.csv
  $ sdcoach grade sessions/ --format json | jq '.[] | {file, overall, level: .level.label}'
  $ sdcoach grade my-session.jsonl --level L6         what is still missing for L6
  $ sdcoach grade big-folder/ --grader llm --model gpt-4o-mini --concurrency 8 --out grades.jsonl`,
    );
  addProviderOptions(command).action(exitCodeOf(async (patterns: string[], options: Record<string, unknown>) => {
    // `grade collect BATCH` / `grade status [BATCH]`: words, not files, unless such a file exists
    // here (then it is graded, as it always was; ./collect or a batch id says the other thing).
    const verb = patterns[0];
    if ((verb === 'collect' || verb === 'status') && !existsSync(verb)) {
      const rest = patterns.slice(1);
      if (verb === 'collect' && rest.length !== 1) command.error('error: grade collect takes one batch id (sdcoach grade status lists them)', { code: 'commander.missingArgument', exitCode: 2 });
      if (verb === 'status' && rest.length > 1) command.error('error: grade status takes at most one batch id', { code: 'commander.excessArguments', exitCode: 2 });
      if (verb === 'status') {
        const { statusCommand } = await import('../../grading/batch-api/status.js');
        return statusCommand(rest[0] ?? null, { judgeConfig: judgeConfigOf(options), json: Boolean(options.json) });
      }
      const { collectBatch } = await import('../../grading/batch-api/collect.js');
      // A batch is collected with the rubric it was submitted with (its manifest names it).
      return collectBatch(rest[0]!, { ...gradeOptions(options), rubric: '', resubmitFailed: Boolean(options.resubmitFailed) });
    }
    // <files...> is optional only so that --examples can stand alone.
    if (patterns.length === 0 && !options.examples) command.error("error: missing required argument 'files' (or --examples)", { code: 'commander.missingArgument', exitCode: 2 });
    const { runGrade } = await import('./action.js');
    return runGrade(patterns, gradeOptions(options));
  }));
}

/** The grade command's options, as its action and the Batch API take them. */
function gradeOptions(options: Record<string, unknown>) {
  return {
    colour: useColour(process.stdout),
    judgeConfig: judgeConfigOf(options),
    rubric: (options.rubric as string | undefined) ?? null,
    grader: options.grader as 'auto' | 'evidence' | 'llm',
    problem: (options.problem as string | undefined) ?? null,
    concurrency: options.concurrency as number,
    samples: options.samples as number,
    format: options.format as 'table' | 'json' | 'jsonl' | 'md' | 'csv',
    out: (options.out as string | undefined) ?? null,
    force: Boolean(options.force),
    cache: options.cache as boolean,
    providerFlags: providerFlags(options),
    level: (options.level as 'L3' | 'L4' | 'L5' | 'L6' | 'L7' | undefined) ?? null,
    examples: Boolean(options.examples),
    jobs: (options.jobs as number | undefined) ?? availableParallelism(),
    jobsGiven: options.jobs !== undefined,
    batchApi: Boolean(options.batchApi),
    wait: Boolean(options.wait),
  };
}

/** The judge's model configuration, resolved once, when first asked for (config/provider.ts: flags, env, settings). */
function judgeConfigOf(options: Record<string, unknown>): () => Promise<ResolvedProviderConfig> {
  let config: Promise<ResolvedProviderConfig> | null = null;
  return () =>
    (config ??= Promise.all([import('../../config/provider.js'), import('../../storage/paths.js')]).then(([{ loadJudgeConfig }, { resolvePaths }]) =>
      loadJudgeConfig(providerFlags(options), resolvePaths()),
    ));
}
