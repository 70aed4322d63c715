import { stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolvePaths } from '../../src/storage/paths.js';
import { SettingsError, loadSettings, saveSettings } from '../../src/storage/settings.js';
import { tempHome } from '../support/env.js';

describe('paths', () => {
  it('puts everything under SDCOACH_HOME when it is set', () => {
    const paths = resolvePaths({ SDCOACH_HOME: '/tmp/coach' }, 'linux');
    for (const value of Object.values(paths)) expect(value.startsWith('/tmp/coach')).toBe(true);
    expect(paths.sessionsDir).toBe('/tmp/coach/sessions');
    expect(paths.settingsFile).toBe('/tmp/coach/config.json');
  });

  it('uses the per-user data folder otherwise', () => {
    expect(resolvePaths({ XDG_DATA_HOME: '/x/data' }, 'linux').home).toBe('/x/data/sdcoach');
    expect(resolvePaths({}, 'darwin').home).toMatch(/Library\/Application Support\/sdcoach$/);
    expect(resolvePaths({ LOCALAPPDATA: 'C:\\Users\\a\\AppData\\Local' }, 'win32').home).toContain('sdcoach');
  });
});

describe('settings', () => {
  let home: Awaited<ReturnType<typeof tempHome>>;
  beforeEach(async () => {
    home = await tempHome();
  });
  afterEach(() => home.cleanup());

  it('reads nothing as empty settings, and round-trips a saved file with mode 0600', async () => {
    const paths = resolvePaths({ SDCOACH_HOME: path.join(home.dir, 'h') });
    expect(await loadSettings(paths)).toEqual({});
    await saveSettings(paths, { baseURL: 'http://localhost:11434/v1', model: 'llama3.1', apiKey: 'k' });
    expect(await loadSettings(paths)).toEqual({ baseURL: 'http://localhost:11434/v1', model: 'llama3.1', apiKey: 'k' });
    expect((await stat(paths.settingsFile)).mode & 0o777).toBe(0o600);
    expect((await stat(paths.home)).mode & 0o777).toBe(0o700);
  });

  it('names the file and the bad key when settings are invalid', async () => {
    const paths = resolvePaths({ SDCOACH_HOME: home.dir });
    await writeFile(paths.settingsFile, JSON.stringify({ modle: 'x', timeoutMs: -1 }));
    const error = await loadSettings(paths).catch((e) => e);
    expect(error).toBeInstanceOf(SettingsError);
    expect(error.message).toContain(paths.settingsFile);
    expect(error.message).toMatch(/modle/);
    expect(error.message).toMatch(/timeoutMs/);
  });

  it('reports a settings file that is not JSON instead of crashing', async () => {
    const paths = resolvePaths({ SDCOACH_HOME: home.dir });
    await writeFile(paths.settingsFile, '{ "model": ');
    await expect(loadSettings(paths)).rejects.toThrow(SettingsError);
  });
});
