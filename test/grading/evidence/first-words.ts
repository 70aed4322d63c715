// Test helper: strings matching each top-level alternative of a regex, to check that the word
// lists the token-guided regex searches rely on hold every word a match can start with.
import fc from 'fast-check';

/** The top-level alternatives of a regex source. */
function alternatives(source: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let current = '';
  let escaped = false;
  let inClass = false;
  for (const c of source) {
    if (escaped) {
      current += c;
      escaped = false;
      continue;
    }
    if (c === '\\') {
      current += c;
      escaped = true;
      continue;
    }
    if (inClass) {
      current += c;
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') inClass = true;
    if (c === '(') depth++;
    if (c === ')') depth--;
    if (c === '|' && depth === 0) {
      out.push(current);
      current = '';
    } else current += c;
  }
  out.push(current);
  return out;
}

/**
 * Strings that `re` matches at their start, one set per alternative: generated from the
 * alternative with assertions dropped and open-ended parts bounded, then kept only when the real
 * regex (sticky, at 0) does match them.
 */
export function matchingSamples(re: RegExp, perAlternative = 300): string[] {
  const sticky = new RegExp(re.source, 'y');
  const out: string[] = [];
  for (const alternative of alternatives(re.source)) {
    const simplified = alternative
      .replace(/\\b/g, '')
      .replace(/\(\?!(?:[^()]|\([^()]*\))*\)/g, '')
      .replace(/\[\^\.;!\?\]\*/g, ' ')
      .replace(/\\w\*/g, '[a-z]{0,3}')
      .replace(/\\s\*/g, '\\s?')
      .replace(/\\s\+/g, ' ');
    const samples = fc.sample(fc.stringMatching(new RegExp(`^(?:${simplified})$`)), { numRuns: perAlternative, seed: 7 });
    for (const s of samples) {
      sticky.lastIndex = 0;
      if (sticky.test(s)) out.push(s);
    }
  }
  return out;
}

/** The regex word ([a-z0-9_]+) a lower-case string starts with. */
export function firstRegexWord(s: string): string {
  return /^[a-z0-9_]*/.exec(s)![0];
}
