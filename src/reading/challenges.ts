// Whether an interviewer's turn pushes back on a choice ("why not X?", "are you sure…",
// "what happens when…"): the practice session records a model's challenge as a pushback with it,
// and the grader finds the challenges in a transcript with it, so both count the same turns.

/** A question that challenges a choice. Matched on lower-cased interviewer text. */
const CHALLENGE =
  /\bwhy not\b|\bwhy\b[^.?!]*\?|\bare you sure\b|\bis that (?:really|enough|necessary|wise)\b|\bwhat happens (?:when|if)\b|\bwhat if\b|\bwouldn'?t\b[^.?!]*\?|\bisn'?t (?:that|it|this)\b[^.?!]*\?|\bdoesn'?t (?:that|it|this)\b[^.?!]*\?|\bwon'?t (?:that|it|this)\b[^.?!]*\?|\bhave you considered\b|\bi'?m not (?:sure|convinced)\b|\bcouldn'?t you (?:just)?\b|\bthat (?:seems|sounds) (?:expensive|complicated|complex|slow|risky|like overkill|wasteful)\b|\bwhat about\b[^.?!]*\?|\bwhy do you need\b/;

export function isChallenge(text: string): boolean {
  const lower = text.toLowerCase().replace(/’/g, "'");
  if (!lower.includes('?') && !/\bi'?m not (?:sure|convinced)\b|\bthat (?:seems|sounds)\b/.test(lower)) return false;
  return CHALLENGE.test(lower);
}
