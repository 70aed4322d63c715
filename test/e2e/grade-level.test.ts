// `sdcoach grade --level` and the session's own level target through the built CLI: the report's
// target section in JSON (valid against the committed schema), the score card's "for L6 you still
// need:" block, a clear usage error for an unknown level, and practice's end-of-session card.
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GRADE_REPORT_SCHEMA_FILE } from '../../src/schemas/json-schema.js';
import { readTranscript } from '../../src/storage/transcript-store.js';
import { tempHome } from '../support/env.js';
import { runCli } from '../support/run-cli.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
// Its meta records levelTarget L5; it says nothing about observability (L6 needs 3 there).
const NO_OBSERVABILITY = path.join(ROOT, 'sessions', 'pair-feed-no-observability.jsonl');
const LEVELS = ['L3', 'L4', 'L5', 'L6', 'L7'];

let home: Awaited<ReturnType<typeof tempHome>>;
beforeAll(async () => {
  home = await tempHome();
});
afterAll(() => home.cleanup());
const env = () => ({ SDCOACH_HOME: home.dir });

async function validator() {
  const schema = JSON.parse(await readFile(path.join(ROOT, GRADE_REPORT_SCHEMA_FILE), 'utf8'));
  return new Ajv2020.default({ strict: false, allErrors: true }).compile(schema);
}

describe('sdcoach grade --level', () => {
  it('exits 2 on a level that does not exist, naming the ones that do', async () => {
    const result = await runCli(['grade', NO_OBSERVABILITY, '--level', 'L9'], env());
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--level.*'L9' is invalid.*L3, L4, L5, L6, L7/);
    expect(result.stdout).toBe('');
  });

  it('uses the session’s own target without --level, and --level over it; the JSON validates against the committed schema', async () => {
    const validate = await validator();
    const own = await runCli(['grade', NO_OBSERVABILITY, '--format', 'json', '--no-cache'], env());
    expect(own.code, own.stderr).toBe(0);
    const [fromSession] = JSON.parse(own.stdout);
    expect(validate(fromSession), JSON.stringify(validate.errors)).toBe(true);
    expect(fromSession.target).toMatchObject({ level: 'L5', source: 'session' });
    const achieved = LEVELS.indexOf(fromSession.level.level);
    expect(fromSession.target.met).toBe(achieved >= LEVELS.indexOf('L5'));

    // The cached grade from the run before is measured against --level, not against L5.
    const flag = await runCli(['grade', NO_OBSERVABILITY, '--format', 'json', '--level', 'L6'], env());
    expect(flag.code, flag.stderr).toBe(0);
    const [fromFlag] = JSON.parse(flag.stdout);
    expect(validate(fromFlag), JSON.stringify(validate.errors)).toBe(true);
    expect(fromFlag.target).toMatchObject({ level: 'L6', source: 'option', met: false });
    const observability = fromFlag.target.missing.find((m: { dimension: string | null }) => m.dimension === 'observability');
    expect(observability).toMatchObject({ kind: 'minimum', needed: 3 });
    expect(observability.gap).toBeCloseTo(3 - fromFlag.dimensions.observability.score, 2);
    expect(observability.text).toBe(
      `Observability & operations ${fromFlag.dimensions.observability.score.toFixed(1)} → needs 3 for L6: ${fromFlag.dimensions.observability.missing[0]}`,
    );
  });

  it('prints the "for L6 you still need:" block in the score card, and "target L4: met" for a lower target', async () => {
    const six = await runCli(['grade', NO_OBSERVABILITY, '--level', 'L6'], env());
    expect(six.code, six.stderr).toBe(0);
    expect(six.stdout).toMatch(/^ {2}for L6 you still need:\n {4}- Observability & operations \d\.\d → needs 3 for L6: /m);
    const four = await runCli(['grade', NO_OBSERVABILITY, '--level', 'L4'], env());
    expect(four.stdout).toMatch(/^ {2}target L4: met$/m);
    expect(four.stdout).toMatch(/^file\s+overall\s+level\s+target\s/);
    const md = await runCli(['grade', NO_OBSERVABILITY, '--level', 'L6', '--format', 'md'], env());
    expect(md.stdout).toMatch(/\*\*For L6 you still need:\*\*\n\n- Observability & operations /);
  });
});

describe('sdcoach practice --level', () => {
  it('the end-of-session card shows what is still missing for the session’s target, and the stored grade keeps it', async () => {
    const script = path.join(home.dir, 'monologue.txt');
    await writeFile(script, 'I would store links in Cassandra keyed by the short code with a Redis cache in front.\n\n/end\n');
    const result = await runCli(['practice', 'url-shortener', '--mode', 'monologue', '--seed', '4', '--level', 'L6', '--script', script], env());
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^ {2}for L6 you still need:\n {4}- /m);
    // Continuation rows joined back: the card wraps to its width.
    expect(result.stdout.replace(/\n +/g, ' ')).toMatch(/- A fuller session: \d+ candidate words caps the level at L4 \(thin evidence\); L6 needs at least 800 candidate words/);
    const dir = path.join(home.dir, 'sessions');
    const [file] = (await readdir(dir)).filter((f) => f.endsWith('.jsonl'));
    const transcript = await readTranscript(path.join(dir, file!));
    const grade = transcript.events.find((e) => e.type === 'grade');
    expect(grade && grade.type === 'grade' && grade.report.target).toMatchObject({ level: 'L6', source: 'session', met: false });
  });
});
