import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { commitStep, committableLength, endsInsideFence, splitCommittable } from '../../src/interview/stream-buffer.js';
import { PaintThrottle, type Clock } from '../../src/ui/paint-throttle.js';

describe('splitCommittable', () => {
  it('commits whole paragraphs at blank lines and keeps the paragraph in progress live', () => {
    expect(splitCommittable('one\n\ntwo\n\nthr')).toEqual({ committed: 'one\n\ntwo\n\n', tail: 'thr' });
    expect(splitCommittable('one\ntwo')).toEqual({ committed: '', tail: 'one\ntwo' });
    expect(splitCommittable('one\n')).toEqual({ committed: '', tail: 'one\n' });
    expect(splitCommittable('one\n\n')).toEqual({ committed: 'one\n\n', tail: '' });
  });

  it('needs a complete blank line (a trailing half line of spaces is not one)', () => {
    expect(splitCommittable('one\n  ')).toEqual({ committed: '', tail: 'one\n  ' });
    expect(splitCommittable('one\n  \nx')).toEqual({ committed: 'one\n  \n', tail: 'x' });
    expect(splitCommittable('one\r\n\r\ntwo')).toEqual({ committed: 'one\r\n\r\n', tail: 'two' });
  });

  it('never splits inside a backtick or tilde fence', () => {
    const open = 'intro\n\n```ts\nconst a = 1;\n\nconst b = 2;\n';
    expect(splitCommittable(open)).toEqual({ committed: 'intro\n\n', tail: '```ts\nconst a = 1;\n\nconst b = 2;\n' });
    const closed = `${open}\`\`\`\n\nafter`;
    expect(splitCommittable(closed).tail).toBe('after');
    const tilde = 'a\n\n~~~\nx\n\ny\n';
    expect(splitCommittable(tilde).committed).toBe('a\n\n');
    // A tilde line does not close a backtick fence; a shorter fence does not close a longer one.
    expect(splitCommittable('````\n```\n\nstill code\n').committed).toBe('');
    expect(splitCommittable('```\n~~~\n\nstill code\n').committed).toBe('');
    // A fence inside a list item (indented) counts too.
    expect(splitCommittable('- step\n\n  ```sh\n  ls\n\n  pwd\n').committed).toBe('- step\n\n');
  });

  it('treats ``` inside a line, or with backticks in the info string, as inline code', () => {
    expect(splitCommittable('use ```x``` here\n\nnext').committed).toBe('use ```x``` here\n\n');
    expect(splitCommittable('```inline```\n\nnext').committed).toBe('```inline```\n\n');
  });

  const pieces = fc.constantFrom('para', 'x y z', '\n', '\n\n', '```', '```js', '~~~', '````', '  ', '- item', '**b**', 'a\r\n', '`');
  const markdownish = fc.array(pieces, { maxLength: 40 }).map((parts) => parts.join(''));

  it('property: committed + tail === input', () => {
    fc.assert(
      fc.property(fc.oneof(markdownish, fc.string()), (text) => {
        const { committed, tail } = splitCommittable(text);
        expect(committed + tail).toBe(text);
      }),
      { numRuns: 500 },
    );
  });

  it('property: committed never ends inside a fence and ends at a blank line', () => {
    fc.assert(
      fc.property(markdownish, (text) => {
        const { committed } = splitCommittable(text);
        expect(endsInsideFence(committed)).toBe(false);
        if (committed !== '') expect(committed).toMatch(/\n[ \t\r]*\n$|^[ \t\r]*\n$/);
      }),
      { numRuns: 1000 },
    );
  });

  it('property: streaming only ever adds to what is committed', () => {
    fc.assert(
      fc.property(markdownish, fc.array(fc.nat(), { maxLength: 8 }), (text, cuts) => {
        const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
        let previous = '';
        for (const at of [...points, text.length]) {
          const { committed } = splitCommittable(text.slice(0, at));
          expect(committed.startsWith(previous)).toBe(true);
          previous = committed;
        }
      }),
      { numRuns: 500 },
    );
  });

  it('commitStep returns only the new chunk', () => {
    const first = commitStep('a\n\nb', 0);
    expect(first).toEqual({ committed: 'a\n\n', chunk: 'a\n\n', tail: 'b' });
    const second = commitStep('a\n\nb\n\nc', first.committed.length);
    expect(second.chunk).toBe('b\n\n');
    expect(second.tail).toBe('c');
    expect(commitStep('a\n\nb', 3).chunk).toBe('');
    expect(committableLength('')).toBe(0);
  });
});

function fakeClock() {
  let now = 0;
  let timers: { at: number; fn: () => void; id: number }[] = [];
  let nextId = 1;
  const clock: Clock = {
    now: () => now,
    setTimeout: (fn, ms) => {
      const id = nextId++;
      timers.push({ at: now + ms, fn, id });
      return id;
    },
    clearTimeout: (id) => {
      timers = timers.filter((t) => t.id !== id);
    },
  };
  const advance = (ms: number) => {
    now += ms;
    for (;;) {
      const due = timers.filter((t) => t.at <= now).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      timers = timers.filter((t) => t !== due);
      due.fn();
    }
  };
  return { clock, advance, pendingTimers: () => timers.length };
}

describe('PaintThrottle', () => {
  it('paints the first value at once, then at most once per interval, and always the last value', () => {
    const { clock, advance } = fakeClock();
    const painted: string[] = [];
    const throttle = new PaintThrottle<string>((v) => painted.push(v), 50, clock);
    throttle.push('a');
    expect(painted).toEqual(['a']);
    for (let i = 0; i < 100; i++) {
      advance(1);
      throttle.push(`v${i}`);
    }
    // 100 updates over 100 ms: about two paints, never more than one per 50 ms.
    expect(painted.length).toBeLessThanOrEqual(3);
    advance(50);
    expect(painted[painted.length - 1]).toBe('v99');
  });

  it('flush paints the pending value now; dispose drops it', () => {
    const { clock, advance, pendingTimers } = fakeClock();
    const painted: number[] = [];
    const throttle = new PaintThrottle<number>((v) => painted.push(v), 50, clock);
    throttle.push(1);
    throttle.push(2);
    expect(throttle.hasPending).toBe(true);
    throttle.flush();
    expect(painted).toEqual([1, 2]);
    expect(pendingTimers()).toBe(0);
    advance(10);
    throttle.push(3);
    throttle.dispose();
    advance(100);
    expect(painted).toEqual([1, 2]);
  });
});
