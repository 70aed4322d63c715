// `sdcoach grade` on files from elsewhere through the built CLI: meeting captions are graded as an
// interview on their real clock; a chat export as its conversation; other JSON is a failed file.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempHome } from '../support/env.js';
import { runCli } from '../support/run-cli.js';

const FIXTURES = path.resolve(import.meta.dirname, '..', 'fixtures', 'imports');
let home: Awaited<ReturnType<typeof tempHome>>;
beforeAll(async () => {
  home = await tempHome();
});
afterAll(() => home.cleanup());
const env = () => ({ SDCOACH_HOME: home.dir });

describe('sdcoach grade: imports', () => {
  it('a .vtt meeting is an interview with recorded times, not a monologue of tags', async () => {
    const result = await runCli(['grade', path.join(FIXTURES, 'teams-meeting.vtt'), '--grader', 'evidence', '--format', 'json', '--no-cache', '--problem', 'url-shortener'], env());
    expect(result.code).toBe(0);
    const [report] = JSON.parse(result.stdout);
    expect(report.mode).toBe('interview');
    expect(report.time.estimated).toBe(false);
    expect(report.flags.map((f: { kind: string }) => f.kind)).not.toContain('timing-estimated');
    expect(result.stdout).not.toMatch(/-->|<v |WEBVTT/);
  });

  it('a folder includes captions and chat exports', async () => {
    const result = await runCli(['grade', FIXTURES, '--grader', 'evidence', '--format', 'json', '--no-cache', '--problem', 'url-shortener'], env());
    const out = JSON.parse(result.stdout) as { file: string }[];
    const names = out.map((r) => path.basename(r.file)).sort();
    expect(names).toEqual(['chatgpt-conversations.json', 'chatgpt-two-conversations.json', 'teams-meeting.vtt', 'zoom-meeting.vtt']);
  });

  it('a ChatGPT export is graded as its conversation; several conversations or other JSON fail that file', async () => {
    const other = path.join(home.dir, 'data.json');
    await writeFile(other, '{"users": [1, 2]}');
    const files = [path.join(FIXTURES, 'chatgpt-conversations.json'), path.join(FIXTURES, 'chatgpt-two-conversations.json'), other];
    const result = await runCli(['grade', ...files, '--grader', 'evidence', '--format', 'json', '--no-cache'], env());
    expect(result.code).toBe(1);
    const out = JSON.parse(result.stdout);
    expect(out[0]).toMatchObject({ mode: 'interview', file: files[0] });
    expect(JSON.stringify(out[0].dimensions)).not.toMatch(/"mapping"|content_type|current_node/);
    expect(out.slice(1)).toEqual([
      { file: files[1], error: expect.stringMatching(/^this export holds 2 conversations .*grade one at a time/) },
      { file: other, error: expect.stringMatching(/^not a transcript: JSON that is neither a saved session/) },
    ]);
  });
});
