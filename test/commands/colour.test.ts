// One colour decision for every command (config/colour.ts useColour over term/colour.ts):
// NO_COLOR, then FORCE_COLOR, then the `colour` setting, then TERM=dumb, then whether the stream
// is a terminal. Commands decide once and pass it down (test/e2e/colour.test.ts runs each).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useColour } from '../../src/config/colour.js';

const tty = { isTTY: true };
const pipe = { isTTY: false };
let noSettings: string;
let always: string;
let never: string;

beforeAll(async () => {
  const home = (colour?: string) =>
    mkdtemp(path.join(os.tmpdir(), 'sdcoach-colour-')).then(async (dir) => {
      if (colour) await writeFile(path.join(dir, 'config.json'), JSON.stringify({ colour }));
      return dir;
    });
  [noSettings, always, never] = await Promise.all([home(), home('always'), home('never')]);
});
afterAll(async () => {
  await Promise.all([noSettings, always, never].map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('useColour: the one colour decision', () => {
  const env = (home: string, extra: Record<string, string> = {}) => ({ SDCOACH_HOME: home, ...extra });

  it('a terminal is coloured, a pipe is not (no variables, no setting)', () => {
    expect(useColour(tty, env(noSettings))).toBe(true);
    expect(useColour(pipe, env(noSettings))).toBe(false);
  });

  it('FORCE_COLOR=0 (or false) turns colour off on a terminal', () => {
    expect(useColour(tty, env(noSettings, { FORCE_COLOR: '0' }))).toBe(false);
    expect(useColour(tty, env(noSettings, { FORCE_COLOR: 'false' }))).toBe(false);
    expect(useColour(tty, env(always, { FORCE_COLOR: '0' }))).toBe(false);
  });

  it('FORCE_COLOR=1 turns colour on without a terminal, over `colour never`', () => {
    expect(useColour(pipe, env(noSettings, { FORCE_COLOR: '1' }))).toBe(true);
    expect(useColour(pipe, env(never, { FORCE_COLOR: '1' }))).toBe(true);
  });

  it('NO_COLOR wins over FORCE_COLOR and the setting', () => {
    expect(useColour(tty, env(always, { NO_COLOR: '1', FORCE_COLOR: '1' }))).toBe(false);
  });

  it('TERM=dumb turns colour off on a terminal', () => {
    expect(useColour(tty, env(noSettings, { TERM: 'dumb' }))).toBe(false);
    expect(useColour(tty, env(noSettings, { TERM: 'xterm-256color' }))).toBe(true);
  });

  it('the `colour` setting from the settings file: never on a terminal, always on a pipe', () => {
    expect(useColour(tty, env(never))).toBe(false);
    expect(useColour(pipe, env(always))).toBe(true);
  });

  it('an explicit setting (as loaded by sessions/progress/config) is used as given', () => {
    expect(useColour(tty, env(noSettings), 'never')).toBe(false);
    expect(useColour(pipe, env(noSettings), 'always')).toBe(true);
    expect(useColour(tty, env(noSettings, { TERM: 'dumb' }), 'never')).toBe(false);
  });

  it('a broken settings file is `auto` here', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'sdcoach-colour-'));
    try {
      await writeFile(path.join(dir, 'config.json'), '{ not json');
      expect(useColour(tty, env(dir))).toBe(true);
      expect(useColour(pipe, env(dir))).toBe(false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
