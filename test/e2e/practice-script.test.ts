// `sdcoach practice --script` through the built CLI: a monologue played from a file. The script
// runner meets the same end as the screen: the statement first, then the score card, then the
// replay offer, which a script declines.
import { readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readTranscript } from '../../src/storage/transcript-store.js';
import { tempHome } from '../support/env.js';
import { runCli } from '../support/run-cli.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!().catch(() => {});
});

const MONOLOGUE = `Requirements first: shorten a long URL, redirect quickly, count clicks. Reads dominate writes about 100 to 1.

Estimates: 100M links a day is about 1,160 writes per second and 116k redirects per second. Five years is 182 billion links, about 91 TB.

I would store links in Cassandra keyed by the short code with a Redis cache in front.

/end
`;

describe('sdcoach practice --script', () => {
  it('a monologue: the statement first, the score card, then the replay offer, declined; one end and one grade stored', async () => {
    const home = await tempHome();
    cleanups.push(home.cleanup);
    const script = path.join(home.dir, 'monologue.txt');
    await writeFile(script, MONOLOGUE);
    const result = await runCli(['practice', 'url-shortener', '--mode', 'monologue', '--seed', '4', '--script', script], { SDCOACH_HOME: home.dir });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const out = result.stdout;
    const at = (pattern: RegExp) => {
      const index = out.search(pattern);
      expect(index, `${pattern} in the output`).toBeGreaterThan(-1);
      return index;
    };
    const statement = at(/Interviewer: URL shortener[^\n]*\n\nDesign a service like bit\.ly/);
    const firstTurn = at(/You: Requirements first/);
    const card = at(/Overall \S+ \/ 5 · /);
    const offer = at(/\[note\] Want an adversarial replay\?.*\(y\/n\)/);
    const declined = at(/^n \(a script takes no replay\)$/m);
    expect(statement).toBeLessThan(firstTurn);
    expect(firstTurn).toBeLessThan(card);
    expect(card).toBeLessThan(offer);
    expect(offer).toBeLessThan(declined);
    expect(out.match(/Overall \S+ \/ 5 · /g)).toHaveLength(1);

    const dir = path.join(home.dir, 'sessions');
    const [file] = (await readdir(dir)).filter((f) => f.endsWith('.jsonl'));
    const transcript = await readTranscript(path.join(dir, file!));
    const kinds = transcript.events.map((e) => (e.type === 'turn' ? e.role : e.type));
    expect(kinds.filter((k) => k !== 'phase')).toEqual(['interviewer', 'candidate', 'candidate', 'candidate', 'end', 'grade']);
    expect(transcript.events.find((e) => e.type === 'end')).toMatchObject({ reason: 'user-ended' });
  });
});
