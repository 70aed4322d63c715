// The rubric's signals and the problem's components are matched in one scan; per key, coverage
// must be what separate scans give.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileRubric, conceptsInternals } from '../../../src/grading/evidence/concepts.js';
import type { EvidenceContext } from '../../../src/grading/evidence/context.js';
import { analyzeText } from '../../../src/reading/text.js';
import { loadProblem } from '../../../src/content/problem-loader.js';
import { loadRubric } from '../../../src/content/rubric-loader.js';
import { resolvePaths } from '../../../src/storage/paths.js';
import { Vocabulary } from '../../../src/reading/vocabulary.js';

const vocabulary = new Vocabulary();

const RUNS = { numRuns: 200, seed: Number(process.env.FC_SEED ?? 20261122) };

describe('concept scan', () => {
  it('one scan for signals and components gives each key the coverage of its own scan', async () => {
    const paths = resolvePaths({ SDCOACH_HOME: '/dev/null/concepts-scan' });
    for (const [rubricName, problemName] of [
      ['default', 'url-shortener'],
      ['staff-ml-infra', 'url-shortener'],
    ] as const) {
      const rubric = await loadRubric(rubricName, paths);
      const problem = await loadProblem(problemName, paths);
      const compiled = compileRubric(rubric);
      const combined = conceptsInternals.compileCombined(rubric, problem);
      const components = conceptsInternals.compileComponents(problem);
      // Words from the patterns themselves, so hits (and overlapping ones) are common.
      const words = [
        ...rubric.dimensions.flatMap((d) => d.signals.flatMap((s) => s.patterns)),
        ...problem.components.flatMap((c) => [c.name, ...c.synonyms]),
      ].flatMap((p) => p.replace(/\*/g, 's').split(/\s+/));
      const piece = fc.oneof(
        { arbitrary: fc.constantFrom(...words), weight: 10 },
        { arbitrary: fc.constantFrom('not', "don't", 'no', 'without', 'because', '100', 'redis', 'but', '.', ',', '\n'), weight: 3 },
      );
      const turn = fc.array(piece, { maxLength: 60 }).map((p) => p.join(' '));
      fc.assert(
        fc.property(fc.array(turn, { minLength: 1, maxLength: 5 }), (texts) => {
          const ctx = { candidate: texts.map((t) => ({ doc: analyzeText(t, vocabulary) })) } as unknown as EvidenceContext;
          const n = compiled.groupCount;
          const m = problem.components.length;
          const both = conceptsInternals.collect(ctx, combined, n + m);
          const signals = conceptsInternals.collect(ctx, compiled.matcher, n);
          const parts = conceptsInternals.collect(ctx, components, m);
          for (const field of ['seen', 'depth', 'position', 'first', 'last'] as const) {
            expect([...both[field]]).toEqual([...signals[field], ...parts[field]]);
          }
        }),
        RUNS,
      );
    }
  });
});
