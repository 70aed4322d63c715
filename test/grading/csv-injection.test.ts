// CSV cells are guarded against spreadsheet formula injection (OWASP "CSV Injection"): file names
// and error messages come from outside, and a cell starting with = + - @ tab or CR would run as a
// formula when the CSV is opened in a spreadsheet.
import { describe, expect, it } from 'vitest';
import { guardFormula, renderCsv } from '../../src/grading/render/csv.js';

const rowOf = (file: string, error: string) => renderCsv([], [{ file, error }]).split('\r\n')[1]!;

describe('renderCsv: formula injection', () => {
  it.each([
    ['=HYPERLINK("http://example.test","x").txt', `"'=HYPERLINK(""http://example.test"",""x"").txt"`],
    ['+1+cmd.txt', "'+1+cmd.txt"],
    ['-2+3.md', "'-2+3.md"],
    ['@SUM(A1).jsonl', "'@SUM(A1).jsonl"],
    ['\tnotes.txt', "'\tnotes.txt"],
    ['\rnotes.txt', `"'\rnotes.txt"`],
  ])('a file named %j becomes text', (file, cell) => {
    expect(rowOf(file, 'no such file').startsWith(`${cell},`)).toBe(true);
  });

  it('guards the error column too, and leaves ordinary text alone', () => {
    expect(rowOf('talk.md', '=1+1').endsWith(",'=1+1")).toBe(true);
    expect(rowOf('sessions/talk.md', 'no such file')).toMatch(/^sessions\/talk\.md,+no such file$/);
  });

  it('keeps plain numbers as numbers, negative ones included', () => {
    for (const n of ['-0.5', '-3', '+2', '1e-3', '-.5', '0']) expect(guardFormula(n)).toBe(n);
    expect(guardFormula('-0.5x')).toBe("'-0.5x");
    expect(guardFormula('-')).toBe("'-");
    expect(guardFormula('a=b')).toBe('a=b');
  });
});
