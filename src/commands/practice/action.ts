// The work behind `sdcoach practice`: resolve the problem, provider, rubric and session file
// (new or resumed), build the PracticeSession, then hand it to the ink screen on a terminal
// or to the plain script runner. Exit codes: 0 done, 1 failure, 2 usage error.
import { performance } from 'node:perf_hooks';
import type { ProviderFlags, ResolvedProviderConfig } from '../../llm/config.js';
import type { Settings } from '../../schemas/settings.js';
import type { Provider } from '../../llm/provider.js';
import type { LoadedProblem } from '../../schemas/problem.js';
import type { Flag, GradeReport } from '../../schemas/report.js';
import type { Level, Mode } from '../../schemas/transcript.js';
import { resolvePaths, type SdcoachPaths } from '../../storage/paths.js';
import { loadSettings } from '../../storage/settings.js';
import { priceTable, type Price } from '../../llm/pricing.js';
import { newSessionId, readTranscript, sessionFilePath, TranscriptWriter } from '../../storage/transcript-store.js';
import type { InterviewSetup } from '../../interview/engine/types.js';
import { interviewSetup } from '../../interview/engine/setup.js';
import { PracticeSession, type PracticeSessionOptions } from '../../interview/practice-session.js';
import { restoreSession, type Resumable } from '../../interview/restore-session.js';
import { SessionClock, type MonotonicNow } from '../../interview/session-clock.js';
import { useColour } from '../../config/colour.js';
import { SdcoachError, UsageError } from '../../errors.js';

export interface PracticeOptions {
  problem: string | null;
  mode: Mode | null;
  minutes: number | null;
  level: Level | null;
  rubric: string | null;
  resume: string | null;
  script: string | null;
  providerFlags: ProviderFlags;
}

/** Input tokens per model request: the persona, a summary of older turns and the latest turns. */
const CONTEXT_BUDGET_TOKENS = 6000;

/** A usage problem: told as `sdcoach practice: …` by main, exit 2. */
function fail(message: string): never {
  throw new UsageError(message, { command: 'practice' });
}

/** Pause between the builtin interviewer's streamed chunks, so it reads like a model typing. */
function builtinChunkDelay(env: NodeJS.ProcessEnv): number {
  const raw = env.SDCOACH_BUILTIN_CHUNK_MS;
  const value = raw === undefined ? 25 : Number(raw);
  return Number.isFinite(value) && value >= 0 ? value : 25;
}

async function pickOrLoadProblem(id: string | null, paths: SdcoachPaths, interactive: boolean): Promise<LoadedProblem> {
  const { loadProblem, listProblems, ProblemNotFoundError } = await import('../../content/problem-loader.js');
  if (id) {
    try {
      return await loadProblem(id, paths);
    } catch (error) {
      if (error instanceof ProblemNotFoundError) {
        const { didYouMean } = await import('../../storage/yaml-file.js');
        const guess = didYouMean(id, error.available);
        fail(`unknown problem "${id}"${guess ? ` (did you mean ${guess}?)` : ''}; see \`sdcoach problems\``);
      }
      throw error;
    }
  }
  if (!interactive) fail('name a problem (see `sdcoach problems`), e.g. `sdcoach practice url-shortener`');
  const problems = (await listProblems(paths)).filter((p) => p.ok).map((p) => (p as { problem: LoadedProblem }).problem);
  if (problems.length === 0) fail('no problems found');
  const { pickProblem } = await import('../../ui/pick-problem.js');
  const picked = await pickProblem(problems);
  if (!picked) fail('no problem picked');
  return picked;
}

async function findResumable(input: string, paths: SdcoachPaths): Promise<{ file: string; resumable: Resumable }> {
  const { resolveSession } = await import('../../storage/session-catalog.js');
  const found = await resolveSession(paths.sessionsDir, input);
  if (!found.ok) {
    if (found.reason === 'ambiguous') fail(`"${input}" matches ${found.matches.length} sessions: ${found.matches.map((m) => m.id).join(', ')}`);
    fail(`no session "${input}" in ${paths.sessionsDir} (see \`sdcoach sessions list\`)`);
  }
  const transcript = await readTranscript(found.file);
  const resumable = restoreSession(transcript);
  if (resumable.graded || (resumable.endReason && resumable.endReason !== 'interrupted' && resumable.endReason !== 'error')) {
    fail(`session ${found.id} already ended (${resumable.endReason ?? 'graded'}); see it with \`sdcoach sessions show ${found.id}\``);
  }
  return { file: found.file, resumable };
}

/** The interviewer, the judge's configuration, and what to tell the user about either. */
interface ProviderSetup {
  provider: Provider;
  /** null: the judge is whatever model runs the session (no judge flag or setting). */
  judge: ResolvedProviderConfig | null;
  /** What was chosen and why, when practice chose it (no flag or setting said). */
  notice: string | null;
  /** The chosen model could not be loaded or created: why; the builtin interviewer runs instead. */
  failure: string | null;
  /** The user asked for this provider (flag, env, setting): a failure is a fallback a script run reports. */
  explicit: boolean;
}

async function makeProvider(
  flags: ProviderFlags,
  paths: SdcoachPaths,
  setup: Omit<InterviewSetup, 'seed'>,
  seed: number,
  chunkDelayMs: number,
  how: { env: NodeJS.ProcessEnv; settings: Settings; interactive: boolean; resumed: boolean },
): Promise<ProviderSetup> {
  const [{ resolveProviderConfig, resolveJudgeConfig }, { completeProviderConfig }, { createProvider }, { ProviderError }] = await Promise.all([
    import('../../config/resolve.js'),
    import('../../config/provider.js'),
    import('../providers.js'),
    import('../../llm/provider.js'),
  ]);
  let config: ResolvedProviderConfig;
  let notice: string | null = null;
  if (how.resumed) config = resolveProviderConfig(flags, how.env, how.settings);
  else {
    const [{ chooseDefaultProvider }, { discoverLocalServers }, { newestLocalModel }, { saveSettings }] = await Promise.all([
      import('../../config/default-provider.js'),
      import('../../llm/discovery.js'),
      import('../../llm/model-store.js'),
      import('../../storage/settings.js'),
    ]);
    const choice = await chooseDefaultProvider({
      flags,
      env: how.env,
      settings: how.settings,
      interactive: how.interactive,
      ask: askYesNo,
      saveSettings: (settings) => saveSettings(paths, settings),
      discover: () => discoverLocalServers({ env: how.env }),
      newestLocalModel: () => newestLocalModel(paths.modelsDir),
    });
    config = choice.config;
    notice = choice.notice;
  }
  config = await completeProviderConfig(config, paths);
  const judgeConfig = resolveJudgeConfig(flags, how.env, how.settings, config);
  const judge = judgeConfig === config ? null : await completeProviderConfig(judgeConfig, paths);
  const explicit = notice === null;
  const builtin = async () => {
    const { createBuiltinProvider } = await import('../../interview/builtin-provider.js');
    return createBuiltinProvider({ seed, chunkDelayMs, setup });
  };
  if (config.provider === 'builtin') return { provider: await builtin(), judge, notice, failure: null, explicit };
  try {
    if (config.provider === 'local') process.stderr.write(`Loading the local model ${config.model}…\n`);
    return { provider: await createProvider(config), judge, notice, failure: null, explicit };
  } catch (error) {
    // A model that cannot load (node-llama-cpp missing, a corrupt file, no memory) must not cost the session.
    if (!(error instanceof ProviderError)) throw error;
    return { provider: await builtin(), judge, notice, failure: error.message, explicit };
  }
}

/** "local qwen2.5-1.5b-instruct-q4_k_m", "ollama llama3.1:8b", "gpt-4o @ api.openai.com". */
function describeJudge(config: ResolvedProviderConfig): string {
  if (config.provider === 'builtin') return 'the offline evidence grader';
  if (config.provider === 'local') return `the local model ${config.model}`;
  return `${config.model} (${config.server ?? new URL(config.baseURL).host})`;
}

/** One yes/no question on the terminal before the screen starts; Enter means yes. */
async function askYesNo(question: string): Promise<boolean> {
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = (await rl.question(question)).trim().toLowerCase();
    return answer === '' || answer === 'y' || answer === 'yes';
  } finally {
    rl.close();
  }
}

async function makeGrader(options: {
  rubricName: string;
  paths: SdcoachPaths;
  provider: () => Provider;
  /** The judge's own configuration (--judge-model, judgeModel…); null: the model that runs the session judges. */
  judge: ResolvedProviderConfig | null;
  /** The LLM judge failed and the evidence grader graded instead (the flag the report carries). */
  onFallback?: (flag: Flag) => void;
}): Promise<(file: string) => Promise<GradeReport>> {
  const [{ loadRubric }, { gradeFile, judgeFallbackFlag }, { problemFinder }] = await Promise.all([
    import('../../content/rubric-loader.js'),
    import('../../grading/grade-file.js'),
    import('../../content/problem-loader.js'),
  ]);
  const rubric = await loadRubric(options.rubricName, options.paths);
  const findProblem = problemFinder(options.paths);
  return async (file: string) => {
    let provider: Provider | null = options.provider();
    let failure: unknown = null;
    try {
      if (options.judge) {
        // A judge of its own: created only now, at the end (a local model is loaded only for grading).
        const { createProvider } = await import('../providers.js');
        provider = options.judge.provider === 'builtin' ? null : await createProvider(options.judge);
      }
    } catch (error) {
      failure = error;
      provider = null;
    }
    // The LLM judge when a model runs the session (or is named as judge). If it fails, the
    // evidence grader grades, and the report says so (a judge-fallback flag on the score card
    // and in the saved grade), on screen as in a script.
    if (provider && provider.id !== 'builtin') {
      try {
        const { report } = await gradeFile(file, { rubric, grader: 'llm', provider, findProblem, now: () => new Date(), cache: null, fallbackToEvidence: true });
        const fellBack = report.flags.find((f) => f.kind === 'judge-fallback');
        if (fellBack) options.onFallback?.(fellBack);
        return report;
      } catch (error) {
        // Failed before the judge was asked (its prompt file, the provider): still graded offline.
        failure = error;
      }
    }
    const { report } = await gradeFile(file, { rubric, grader: 'evidence', findProblem, now: () => new Date(), cache: null });
    if (failure !== null) {
      const flag = judgeFallbackFlag(failure, provider ? 'failed' : 'could not start');
      report.flags.push(flag);
      options.onFallback?.(flag);
    }
    return report;
  };
}

/** Grading's score card, for the screen and the script runner (the session itself knows no grading). */
async function reportRenderer(): Promise<PracticeSessionOptions['renderReport']> {
  const [{ renderCard }, { styler }] = await Promise.all([import('../../grading/render/card.js'), import('../../term/colour.js')]);
  return (report, { colour, width }) => renderCard(report, styler(colour), width === undefined ? {} : { width });
}

export async function runPractice(options: PracticeOptions, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const interactive = Boolean(process.stdin.isTTY && process.stdout.isTTY);
  if (!options.script && !interactive) fail('needs an interactive terminal. To play candidate turns from a file instead: sdcoach practice PROBLEM --script FILE');
  try {
    return await practise(options, env, interactive);
  } catch (error) {
    // Configuration, settings, rubric and problem errors (exit 2), told as practice's own; main tells them.
    if (error instanceof SdcoachError) throw error.under('practice');
    throw error;
  }
}

async function practise(options: PracticeOptions, env: NodeJS.ProcessEnv, interactive: boolean): Promise<number> {
  // The script first (a file, or standard input for `-`): one that cannot be read or has no
  // turns is a usage error before anything, a session file included, is made.
  let scriptTurns: string[] | null = null;
  if (options.script) {
    const { loadScript } = await import('../../interview/script-runner.js');
    const loaded = await loadScript(options.script);
    if ('error' in loaded) fail(loaded.error);
    scriptTurns = loaded.turns;
  }
  const paths = resolvePaths(env);
  const settings = await loadSettings(paths);
  const resumed = options.resume ? await findResumable(options.resume, paths) : null;
  const r = resumed?.resumable;

  const { practiceSetup } = await import('../../config/resolve.js');
  const { mode, minutes, level, rubric: rubricName } = practiceSetup(options, r, settings);
  const seed = options.providerFlags.seed ?? r?.seed ?? Math.floor(Math.random() * 2 ** 31);
  const problemId = options.problem ?? r?.problem ?? null;
  const problem = await pickOrLoadProblem(problemId, paths, interactive && !options.script);
  const setup: InterviewSetup = interviewSetup({ problem, mode, minutes, level, seed });
  // A resumed session keeps its provider unless a flag says otherwise.
  const flags: ProviderFlags = { ...options.providerFlags, seed };
  if (r && !flags.provider) flags.provider = r.provider === 'openai' || r.provider === 'local' ? r.provider : 'builtin';
  if (r && !flags.model && r.model && (r.provider === 'openai' || r.provider === 'local')) flags.model = r.model;

  const chunkDelayMs = options.script ? 0 : builtinChunkDelay(env);
  const chosen = await makeProvider(flags, paths, setup, seed, chunkDelayMs, {
    env,
    settings: settings as Settings,
    interactive: interactive && !options.script,
    resumed: Boolean(r),
  });
  let provider = chosen.provider;
  const requested = provider.id !== 'builtin' ? `the model ${provider.model}` : `the ${provider.id} provider`;
  // What the user asked for that did not happen: a script run reports it and exits 1.
  const fallbacks: string[] = [];
  // Said before the session starts: on stderr for a script run, as the first notices on the screen.
  const startNotices: { text: string; tone: 'info' | 'warn' }[] = [];
  if (chosen.notice) startNotices.push({ text: chosen.notice, tone: 'info' });
  if (chosen.failure) {
    startNotices.push({ text: `${chosen.failure}; the builtin interviewer runs the session.`, tone: 'warn' });
    if (chosen.explicit) fallbacks.push(`${chosen.failure}, so the builtin interviewer ran the session`);
  }
  if (chosen.judge) startNotices.push({ text: `Judge: ${describeJudge(chosen.judge)} grades the session at the end (interviewer: ${provider.label}).`, tone: 'info' });
  if (options.script) for (const notice of startNotices) process.stderr.write(`sdcoach practice: ${notice.text}\n`);
  const makeFallback = async (): Promise<Provider> => {
    const { createBuiltinProvider } = await import('../../interview/builtin-provider.js');
    if (provider.id !== 'builtin') fallbacks.push(`${requested} did not answer, so the builtin interviewer ran the session`);
    provider = createBuiltinProvider({ seed, chunkDelayMs, setup });
    return provider;
  };
  const grade = await makeGrader({
    rubricName,
    paths,
    provider: () => provider,
    judge: chosen.judge,
    onFallback: (flag) => fallbacks.push(`${flag.message.replace(/^graded by the evidence grader: /, '')}, so the offline evidence grader graded the session`),
  });

  let systemPrompt: ((elapsedMs: number) => Promise<string>) | undefined;
  let countTokens: ((text: string) => number) | undefined;
  let modelReplay: PracticeSessionOptions['modelReplay'];
  if (provider.id !== 'builtin') {
    const [{ renderInterviewerSystemPrompt, renderMonologueEvaluatorPrompt, monologueMessage }, { estimateTokens }] = await Promise.all([
      import('../../interview/persona-prompt.js'),
      import('../../llm/tokens.js'),
    ]);
    countTokens = estimateTokens;
    systemPrompt = async (elapsedMs) => renderInterviewerSystemPrompt(problem, { mode, minutes, level, elapsedMs });
    modelReplay = {
      systemPrompt: () => renderMonologueEvaluatorPrompt(problem, { minutes, level, elapsedMs: clock.elapsedMs() }),
      monologueMessage: (monologue) => monologueMessage(monologue),
    };
  }

  let writer: TranscriptWriter;
  if (resumed) writer = await TranscriptWriter.openForAppend(resumed.file);
  else {
    const id = newSessionId(new Date(), Math.random);
    writer = await TranscriptWriter.create(sessionFilePath(paths, id), {
      id,
      problem: problem.id,
      mode,
      provider: provider.id,
      model: provider.id === 'builtin' ? null : provider.model,
      rubric: rubricName,
      levelTarget: level,
      started: new Date().toISOString(),
      minutes,
      seed,
      timing: options.script ? 'estimated' : 'recorded',
    });
  }

  // The script runner moves a simulated clock by speaking time; a live session uses the real one.
  let virtualNow = 0;
  const now: MonotonicNow = options.script ? () => virtualNow : () => performance.now();
  const clock = new SessionClock({ now, minutes, offsetMs: r?.offsetMs ?? 0 });
  const session = new PracticeSession({
    setup,
    provider,
    makeFallback,
    writer,
    clock,
    grade,
    renderReport: await reportRenderer(),
    systemPrompt,
    countTokens,
    modelReplay,
    // A local model's context may be smaller than the budget: keep room for the reply.
    contextBudgetTokens: provider.contextTokens ? Math.min(CONTEXT_BUDGET_TOKENS, Math.floor(provider.contextTokens * 0.75)) : CONTEXT_BUDGET_TOKENS,
    prices: priceTable(settings.prices as Record<string, Price> | undefined),
    restored: r,
    autoFallback: Boolean(options.script),
  });

  if (!options.script) for (const notice of startNotices) session.notice(notice.text, notice.tone);

  if (scriptTurns) {
    const { runScript } = await import('../../interview/script-runner.js');
    const code = await runScript(session, scriptTurns, { advance: (ms) => (virtualNow += ms), out: process.stdout, err: process.stderr, colour: useColour(process.stdout) });
    if (code !== 0 || fallbacks.length === 0) return code;
    // Saved and graded, but not as asked: nobody is there to see the notice, so the exit code says it.
    for (const what of fallbacks) process.stderr.write(`sdcoach practice: ${what}; the session is saved in ${session.file}\n`);
    return 1;
  }
  const { runPracticeScreen } = await import('../../ui/run-practice-screen.js');
  return runPracticeScreen(session, useColour(process.stdout));
}
