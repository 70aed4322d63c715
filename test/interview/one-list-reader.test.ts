// The interviewer and the grader read lists with one reader (reading/lists.ts). Before, each had
// its own rule: "Microservices, Kubernetes, Redis, Kafka." was a list to the interviewer but
// full-depth claims to the grader (it wanted six words), and "We use microservices, Kafka, Redis,
// …" was a list to the grader but a choice of Kafka to challenge for the interviewer (a verb
// made it a claim). Each case here failed on one side or the other. The grader's note also says
// when a concept was only listed, instead of "with a named technology".
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeText } from '../../src/reading/text.js';
import { isListSentence } from '../../src/reading/lists.js';
import { Vocabulary } from '../../src/reading/vocabulary.js';
import { gradeEvidence, NO_CEILINGS } from '../../src/grading/evidence-grader.js';
import { loadRubric } from '../../src/content/rubric-loader.js';
import { importPlainTranscript } from '../../src/storage/plain-transcript.js';
import { resolvePaths } from '../../src/storage/paths.js';
import type { LoadedProblem } from '../../src/schemas/problem.js';
import type { Rubric } from '../../src/schemas/rubric.js';
import { packagedProblems, paced, play, setupFor } from './engine/support.js';

const LISTS = [
  'Microservices, Kubernetes, Redis, Kafka.',
  'We use microservices, Kafka, Redis, sharding, replication, CDN, gRPC and Kubernetes.',
  'Kafka, Redis, Cassandra, sharding, CDN, consistent hashing, circuit breakers.',
];
const CLAIMS = [
  'Redis, Cassandra and a CDN in front, because reads dominate.',
  // A stated choice, whatever the contraction (found in review: "we'd" slipped through).
  "We'd use Kafka, Redis, Cassandra and Postgres.",
  "I'll use Kafka, Redis, Cassandra, Postgres.",
  "I'd put Redis in front of Cassandra, and Kafka between the API and the counters, so clicks never block a redirect.",
];

let problem: LoadedProblem;
let rubric: Rubric;
beforeAll(async () => {
  problem = (await packagedProblems()).get('url-shortener')!;
  rubric = await loadRubric('default', resolvePaths({ SDCOACH_HOME: '/dev/null/one-list-reader' }));
});

/** Whether the interviewer answered the turn as a bare list. */
function interviewerSaysList(text: string): boolean {
  return /\blist\b/.test(play(setupFor(problem), paced([text])).moves[1]!.text);
}

/** Whether the grader says every concept it found in the turn was named only in a list. */
function graderSaysList(text: string): boolean {
  const analysis = gradeEvidence({ transcript: importPlainTranscript(`Candidate: ${text}`), rubric, problem }, NO_CEILINGS);
  const notes = ['architecture', 'scalability'].flatMap((id) => analysis.dimensions[id]!.evidence.map((e) => e.note ?? ''));
  expect(notes.length, text).toBeGreaterThan(0);
  return notes.every((note) => note.includes('named only in a list'));
}

describe('one list reader for the interviewer and the grader', () => {
  it('a bare list of names is a list to both', () => {
    for (const text of LISTS) {
      expect(isListSentence(analyzeText(text, new Vocabulary()), 0), text).toBe(true);
      expect(interviewerSaysList(text), text).toBe(true);
      expect(graderSaysList(text), text).toBe(true);
    }
  });

  it('a sentence that says what its items do is a claim to both', () => {
    for (const text of CLAIMS) {
      expect(isListSentence(analyzeText(text, new Vocabulary()), 0), text).toBe(false);
      expect(interviewerSaysList(text), text).toBe(false);
      expect(graderSaysList(text), text).toBe(false);
    }
  });
});
