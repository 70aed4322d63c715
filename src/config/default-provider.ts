// Which interviewer `practice` uses when nothing says: the configured provider; else a model
// server running on this machine (offered once on a terminal, the answer remembered in
// settings; a script run never asks and keeps builtin); else the newest pulled local model;
// else the builtin interviewer. Nothing is ever downloaded here. Each outcome says why.
import type { Settings } from '../schemas/settings.js';
import { LOCAL_SERVER_URLS, type ProviderFlags, type ResolvedProviderConfig } from '../llm/config.js';
import { resolveProviderConfig } from './resolve.js';
import type { LocalServer } from '../llm/discovery.js';

export const NOTHING_CONFIGURED = 'no endpoint or API key configured';

export interface DefaultChoice {
  config: ResolvedProviderConfig;
  /** A line for stderr (script runs) or the session's first notice: what was chosen and why. */
  notice: string | null;
}

export interface DefaultChoiceOptions {
  flags: ProviderFlags;
  env: NodeJS.ProcessEnv;
  settings: Settings;
  /** A terminal where the user can be asked; false: never ask (scripts, CI). */
  interactive: boolean;
  /** Asks a yes/no question; true: yes. Only called when interactive. */
  ask: (question: string) => Promise<boolean>;
  saveSettings: (settings: Settings) => Promise<void>;
  discover: () => Promise<LocalServer[]>;
  newestLocalModel: () => Promise<{ name: string; file: string } | null>;
}

/** The provider setting that means this server: its shorthand (at its usual address), or the openai provider at its URL. */
function settingsFor(server: LocalServer, model: string): Partial<Settings> {
  if ((server.kind === 'ollama' || server.kind === 'lmstudio') && LOCAL_SERVER_URLS[server.kind] === server.baseURL) return { provider: server.kind, model };
  return { provider: 'openai', baseURL: server.baseURL, model };
}

export async function chooseDefaultProvider(options: DefaultChoiceOptions): Promise<DefaultChoice> {
  const { flags, env, settings } = options;
  const configured = resolveProviderConfig(flags, env, settings);
  // Anything configured (flag, env, setting, endpoint or key) wins; so does an explicit --model.
  if (configured.reason !== NOTHING_CONFIGURED || flags.model) return { config: configured, notice: null };

  if (settings.discoverLocalServers !== false) {
    const servers = (await options.discover()).filter((s) => s.models.length > 0);
    const server = servers[0];
    if (server) {
      const model = server.models[0]!;
      const where = `${server.name} at ${new URL(server.baseURL).host}`;
      if (!options.interactive) {
        return {
          config: configured,
          notice: `found ${where} (${server.models.slice(0, 3).join(', ')}); the builtin interviewer runs this session (use it with --provider ${server.kind === 'ollama' || server.kind === 'lmstudio' ? server.kind : `openai --base-url ${server.baseURL}`} --model ${model})`,
        };
      }
      const yes = await options.ask(`sdcoach found ${where} serving ${server.models.slice(0, 3).join(', ')}. Use ${model} as your interviewer from now on? [Y/n] `);
      const remembered: Settings = yes ? { ...settings, ...settingsFor(server, model) } : { ...settings, discoverLocalServers: false };
      await options.saveSettings(remembered);
      if (yes) {
        const config = resolveProviderConfig(flags, env, remembered);
        return { config: { ...config, reason: `found ${where} (remembered in settings)` }, notice: `Interviewer: ${model} on ${where} (saved in settings; \`sdcoach config set provider builtin\` to go back).` };
      }
      return { config: configured, notice: 'The builtin interviewer runs the session (you will not be asked again; `sdcoach config set discoverLocalServers true` to be).' };
    }
  }

  const pulled = await options.newestLocalModel();
  if (pulled) {
    const config = resolveProviderConfig({ ...flags, provider: 'local', model: pulled.name }, env, settings);
    return { config: { ...config, modelPath: pulled.file, reason: 'a pulled local model (sdcoach models list)' }, notice: `Interviewer: the local model ${pulled.name} (the newest you pulled; --provider builtin for the rule-based one).` };
  }
  return { config: configured, notice: null };
}
