// A session's setup, with the vocabulary its turns are read with: made once per session, so the
// engine's memos live as long as the session and no longer.
import { Vocabulary } from '../../reading/vocabulary.js';
import type { InterviewSetup } from './types.js';

export function interviewSetup(fields: Omit<InterviewSetup, 'vocabulary'>): InterviewSetup {
  return { ...fields, vocabulary: new Vocabulary() };
}
