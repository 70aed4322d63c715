// What every analyzer shares for one grading run: the turns, each candidate turn tokenised
// once, and lazily computed facts several analyzers need (challenges, quantities). Built per
// transcript; nothing here is global except caches keyed by immutable inputs.
import type { Dimension } from '../../schemas/rubric.js';
import type { Mode } from '../../schemas/transcript.js';
import type { DimensionResult, GradeInput } from '../types.js';
import { turnsOf, type IndexedTurn } from '../turns.js';
import { mayAddressGrader, maskGraderDirectives } from './injection.js';
import { analyzeText, sentenceKey, type TextDoc } from '../../reading/text.js';
import type { Vocabulary } from '../../reading/vocabulary.js';

export interface CandidateTurn {
  turn: IndexedTurn;
  doc: TextDoc;
  words: number;
}

export class EvidenceContext {
  readonly turns: IndexedTurn[];
  readonly mode: Mode;
  /** Candidate turns only, in order: the only text that earns credit. */
  readonly candidate: CandidateTurn[];
  private readonly docs = new Map<number, TextDoc>();
  private readonly memo = new Map<string, unknown>();

  constructor(
    readonly input: GradeInput,
    /** The word ids the run reads with (see gradeEvidence). */
    private readonly vocabulary: Vocabulary,
  ) {
    this.turns = turnsOf(input.transcript);
    this.mode = input.transcript.meta.mode;
    this.candidate = [];
    for (const turn of this.turns) {
      if (turn.role !== 'candidate') continue;
      const doc = this.doc(turn.index);
      this.candidate.push({ turn, doc, words: doc.tokens.length });
    }
  }

  /** Sentences blanked out of candidate turns because they address the grader. */
  readonly directives: { turn: number; sentence: string }[] = [];

  /**
   * The tokenised text of any turn (interviewer turns are analysed only when asked for). In a
   * candidate turn, sentences that speak to the grader are blanked out first (same length, so
   * quotes taken from the rest stay verbatim).
   */
  doc(turnIndex: number): TextDoc {
    let doc = this.docs.get(turnIndex);
    if (!doc) {
      const turn = this.turns[turnIndex];
      const text = turn?.text ?? '';
      doc = analyzeText(text, this.vocabulary);
      if (turn?.role === 'candidate' && mayAddressGrader(doc)) {
        const masked = maskGraderDirectives(text);
        if (masked.sentences.length > 0) {
          for (const sentence of masked.sentences) this.directives.push({ turn: turnIndex, sentence });
          doc = analyzeText(masked.text, this.vocabulary);
        }
      }
      this.docs.set(turnIndex, doc);
    }
    return doc;
  }

  /** A turn's text as graded: a candidate turn without the sentences that address the grader. */
  textOf(turn: IndexedTurn): string {
    return turn.role === 'candidate' ? this.doc(turn.index).text : turn.text;
  }

  /** Compute once per run. */
  once<T>(key: string, compute: () => T): T {
    if (this.memo.has(key)) return this.memo.get(key) as T;
    const value = compute();
    this.memo.set(key, value);
    return value;
  }

  /** Candidate words in sentences not said before (a paragraph pasted twenty times counts once). */
  get distinctCandidateWords(): number {
    return this.once('distinctCandidateWords', () => {
      const seen = new Set<number>();
      let words = 0;
      for (const { doc } of this.candidate) {
        for (let s = 0; s < doc.sentences.length; s++) {
          const key = sentenceKey(doc, s);
          if (seen.has(key)) continue;
          seen.add(key);
          words += doc.sentences[s]!.tokenEnd - doc.sentences[s]!.tokenStart;
        }
      }
      return words;
    });
  }

  /** Total candidate words. */
  get candidateWords(): number {
    return this.once('candidateWords', () => this.candidate.reduce((sum, c) => sum + c.words, 0));
  }
}

export type Analyzer = (ctx: EvidenceContext, dimension: Dimension) => DimensionResult;

export function result(score: number | null, partial: Partial<DimensionResult> = {}): DimensionResult {
  return { score, evidence: partial.evidence ?? [], missing: partial.missing ?? [], notes: partial.notes ?? [] };
}
