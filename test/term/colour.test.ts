// One set of ANSI styles: the plain-output styler is the ink layer's theme.
import { describe, expect, it } from 'vitest';
import { styler } from '../../src/term/colour.js';
import { theme } from '../../src/term/theme.js';

describe('styler', () => {
  it('is the theme: same codes, nothing when colour is off', () => {
    expect(styler(true)).toBe(theme(true));
    expect(styler(true).green('ok')).toBe('\u001b[32mok\u001b[39m');
    expect(styler(true).bold('x')).toBe('\u001b[1mx\u001b[22m');
    const plain = styler(false);
    expect([plain.bold('a'), plain.dim('b'), plain.red('c'), plain.green('d'), plain.yellow('e'), plain.cyan('f')].join('')).toBe('abcdef');
  });

  it('reopens an outer style after a nested close of the same kind', () => {
    const style = styler(true);
    expect(style.bold(`a ${style.dim('b')} c`)).toBe('\u001b[1ma \u001b[2mb\u001b[22m\u001b[1m c\u001b[22m');
  });
});
