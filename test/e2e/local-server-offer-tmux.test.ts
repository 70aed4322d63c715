// The first `sdcoach practice` on a terminal with a model server running and nothing configured:
// it offers the server once, Enter says yes, the model interviews (streamed from the server), and
// the answer is kept in settings, so the next run uses it without asking. The server here is the
// local OpenAI-compatible fake, probed as an LM Studio (its /v1/models) on a random port.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeOpenAI } from '../support/fake-openai.js';
import { tempHome } from '../support/env.js';
import { TmuxApp } from '../support/tmux.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!().catch(() => {});
});

describe('a model server found on the first run (tmux)', () => {
  it('asks once, Enter means yes, the model interviews, and the choice is remembered', async () => {
    const home = await tempHome();
    cleanups.push(home.cleanup);
    const fake = await startFakeOpenAI({ models: ['qwen2.5-7b-instruct'], defaultReply: 'What scale should we plan for?' });
    cleanups.push(() => fake.close());
    const root = fake.url.replace(/\/v1$/, '');
    const app = await TmuxApp.start({
      args: ['practice', 'url-shortener'],
      env: { SDCOACH_HOME: home.dir, SDCOACH_LOCAL_SERVERS: `lmstudio=${root}` },
    });
    cleanups.push(() => app.kill());

    await app.waitForScreen(/serving qwen2\.5-7b-instruct\. Use qwen2\.5-7b-instruct as your interviewer from now on\? \[Y\/n\]/, 'the offer');
    await app.keys('Enter');
    await app.waitForScreen(/What scale should we plan for\?/, "the model's opening, streamed from the server");
    const settings = JSON.parse(await readFile(path.join(home.dir, 'config.json'), 'utf8')) as Record<string, unknown>;
    expect(settings).toMatchObject({ model: 'qwen2.5-7b-instruct' });
    expect(JSON.stringify(settings)).toContain(new URL(root).host);
    expect(fake.requests.some((r) => r.path.endsWith('/chat/completions'))).toBe(true);
    await app.kill();

    // The next run: the remembered model, no question.
    const again = await TmuxApp.start({ args: ['practice', 'url-shortener'], env: { SDCOACH_HOME: home.dir, SDCOACH_LOCAL_SERVERS: `lmstudio=${root}` } });
    cleanups.push(() => again.kill());
    const screen = await again.waitForScreen(/What scale should we plan for\?/, 'the opening without an offer');
    expect(screen).not.toContain('[Y/n]');
    expect(screen).toContain('qwen2.5-7b-instruct');
  });
});
