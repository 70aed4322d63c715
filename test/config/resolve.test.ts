// The one precedence (config/resolve.ts): flag, then environment variable, then setting, then
// default; every variable sdcoach reads is either a setting's override in OVERRIDES or one of
// the few that are not settings at all (where data lives, test and tuning hooks).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { chooseRubric, chooseSetting, envOverride, OVERRIDES, practiceSetup } from '../../src/config/resolve.js';

const SRC = path.resolve(import.meta.dirname, '..', '..', 'src');

/** Variables that are not a setting's override: paths resolved before settings exist, and hooks. */
const NOT_SETTINGS = new Set([
  'SDCOACH_HOME', // where the settings file itself is
  'SDCOACH_MODELS_DIR', // a storage path (storage/paths.ts), no setting
  'SDCOACH_BATCH_POLL_MS', // how often --wait polls (tests, impatient servers)
  'SDCOACH_BUILTIN_CHUNK_MS', // the builtin interviewer's typing speed (tests)
  'SDCOACH_LOCAL_SERVERS', // where discovery looks (tests)
  'SDCOACH_LOCAL_THREADS', // node-llama-cpp threads
  'SDCOACH_WRITE_CODE_CACHE', // the build writing the V8 code cache
  'OPENAI_LIST_KEYS', // a redaction list's name, not read from the environment
]);

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sources(path.join(dir, entry.name)) : /\.tsx?$/.test(entry.name) ? [path.join(dir, entry.name)] : [],
  );
}

describe('the precedence table', () => {
  it('names every variable sdcoach reads that overrides a setting', () => {
    const inTable = new Set(Object.values(OVERRIDES).flatMap((o) => o?.env ?? []));
    const read = new Set(sources(SRC).flatMap((file) => readFileSync(file, 'utf8').match(/\b(SDCOACH_[A-Z_]+|OPENAI_[A-Z_]+|NO_COLOR|FORCE_COLOR)\b/g) ?? []));
    expect([...read].filter((name) => !inTable.has(name) && !NOT_SETTINGS.has(name)).sort()).toEqual([]);
    expect(inTable.has('SDCOACH_JUDGE_MODEL') && inTable.has('SDCOACH_SESSIONS_DIR')).toBe(true);
  });

  it('a flag beats a variable, a variable beats the setting, a blank value counts as unset', () => {
    const settings = { model: 'from-settings' };
    expect(chooseSetting('model', 'from-flag', { SDCOACH_MODEL: 'from-env' }, settings)).toEqual({ value: 'from-flag', source: '--model' });
    expect(chooseSetting('model', undefined, { SDCOACH_MODEL: 'from-env' }, settings)).toEqual({ value: 'from-env', source: 'SDCOACH_MODEL' });
    expect(chooseSetting('model', '  ', { SDCOACH_MODEL: ' ' }, settings)).toEqual({ value: 'from-settings', source: 'settings (model)' });
    expect(chooseSetting('model', undefined, {}, {})).toBeUndefined();
    // SDCOACH_API_KEY is meant for the configured endpoint: it is named first.
    expect(envOverride('apiKey', { OPENAI_API_KEY: 'a', SDCOACH_API_KEY: 'b' })).toEqual({ name: 'SDCOACH_API_KEY', value: 'b' });
    expect(envOverride('judgeProvider', { SDCOACH_JUDGE_PROVIDER: 'local' })).toEqual({ name: 'SDCOACH_JUDGE_PROVIDER', value: 'local' });
  });

  it("grading's rubric: the flag, then the setting, then the session's own, then the default", () => {
    expect(chooseRubric(undefined, {})).toBe('default');
    expect(chooseRubric(undefined, {}, 'monologue-short')).toBe('monologue-short');
    expect(chooseRubric(null, { rubric: 'strict' }, 'monologue-short')).toBe('strict');
    expect(chooseRubric('  ', { rubric: 'strict' })).toBe('strict');
    expect(chooseRubric('mine.yaml', { rubric: 'strict' }, 'monologue-short')).toBe('mine.yaml');
  });

  it("practice: a flag, then the resumed session's choice, then the setting, then the default", () => {
    expect(practiceSetup({}, null, {})).toEqual({ mode: 'interview', minutes: 45, level: 'L5', rubric: 'default' });
    expect(practiceSetup({}, null, { mode: 'monologue' })).toMatchObject({ mode: 'monologue', minutes: 20 });
    expect(practiceSetup({ minutes: 10 }, { minutes: 30, level: 'L6' }, { minutes: 60, level: 'L4', rubric: 'strict' })).toEqual({
      mode: 'interview',
      minutes: 10,
      level: 'L6',
      rubric: 'strict',
    });
    expect(practiceSetup({ mode: null, level: null }, { mode: 'monologue' }, {})).toMatchObject({ mode: 'monologue', minutes: 20, level: 'L5' });
  });
});
