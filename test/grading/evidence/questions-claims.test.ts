// A question is not a claim. The evidence grader credits a design signal named in a question
// only when the candidate answers it yes in the next sentence; a clarifying question left to the
// interviewer is evidence for requirements alone; one the candidate answers themselves is not a
// clarifying question. The interviewer reads the same self-answer (reading/questions.ts).
import { beforeAll, describe, expect, it } from 'vitest';
import { gradeEvidence } from '../../../src/grading/evidence-grader.js';
import type { Analysis } from '../../../src/grading/types.js';
import { loadProblem } from '../../../src/content/problem-loader.js';
import { loadRubric } from '../../../src/content/rubric-loader.js';
import { analyzeText } from '../../../src/reading/text.js';
import { selfAnswer } from '../../../src/reading/questions.js';
import type { LoadedProblem } from '../../../src/schemas/problem.js';
import type { Rubric } from '../../../src/schemas/rubric.js';
import { resolvePaths } from '../../../src/storage/paths.js';
import { importPlainTranscript } from '../../../src/storage/plain-transcript.js';
import { Vocabulary } from '../../../src/reading/vocabulary.js';

const vocabulary = new Vocabulary();

let rubric: Rubric;
let problem: LoadedProblem;
beforeAll(async () => {
  const paths = resolvePaths({ SDCOACH_HOME: '/dev/null/questions-claims' });
  rubric = await loadRubric('default', paths);
  problem = await loadProblem('url-shortener', paths);
});

function grade(candidate: string): Analysis {
  return gradeEvidence({ transcript: importPlainTranscript(`Interviewer: Design a URL shortener.\nCandidate: ${candidate}`), rubric, problem });
}
const quotes = (analysis: Analysis, id: string) => analysis.dimensions[id]!.evidence.map((e) => e.quote);

describe('questions are not claims', () => {
  it('reads how the candidate answers their own question', () => {
    const answer = (text: string) => selfAnswer(analyzeText(text, vocabulary), 0);
    expect(['Do we need a cache? Yes.', 'Do we need a cache? Probably.', 'Do we need a cache? Of course.', 'Do we need a cache? I think so.'].map(answer)).toEqual([1, 1, 1, 1]);
    expect(["Do we need Kafka? I don't think so.", 'Do we need Kafka? No.', 'Do we need Kafka? Probably not.', 'Should we shard? Later.', 'Do we need Kafka? Not yet.'].map(answer)).toEqual([-1, -1, -1, -1, -1]);
    expect(['Do we need Kafka?', 'Do we need Kafka? Redis handles it.', 'Do we need Kafka? Is it worth it?'].map(answer)).toEqual([0, 0, 0]);
  });

  it('a clarifying question credits no design signal', () => {
    const analysis = grade('Is this per user, per API key, or per IP? How many new links per day?');
    expect(quotes(analysis, 'architecture')).not.toContain('Is this per user, per API key, or per IP?');
    expect(quotes(analysis, 'security')).not.toContain('Is this per user, per API key, or per IP?');
    expect(quotes(analysis, 'requirements')).toContain('How many new links per day?');
  });

  it('a question answered no credits nothing; answered yes it is a claim, not a clarifying question', () => {
    const analysis = grade("Do we need Kafka? I don't think so. Do we need a cache? Yes.");
    expect(quotes(analysis, 'architecture')).not.toContain('Do we need Kafka?');
    expect(quotes(analysis, 'requirements')).toEqual([]);
    expect(quotes(analysis, 'scalability')).toContain('Do we need a cache?');
  });
});
