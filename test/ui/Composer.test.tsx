import { render } from 'ink-testing-library';
import React from 'react';
import { describe, expect, it, vi } from 'vitest';
import { Composer, layoutComposer } from '../../src/ui/Composer.js';
import { stripAnsi } from '../../src/term/strip.js';
import { displayWidth } from '../../src/term/width.js';

const tick = () => new Promise((resolve) => setTimeout(resolve, 20));
const ENTER = '\r';
const UP = '\u001b[A';
const DOWN = '\u001b[B';
const LEFT = '\u001b[D';

async function setup(props: Partial<React.ComponentProps<typeof Composer>> = {}) {
  const onSubmit = vi.fn();
  const r = render(<Composer width={60} color={false} onSubmit={onSubmit} {...props} />);
  await tick();
  const type = async (...chunks: string[]) => {
    for (const chunk of chunks) {
      r.stdin.write(chunk);
      await tick();
    }
  };
  const text = () => stripAnsi(r.lastFrame() ?? '');
  return { ...r, onSubmit, type, text };
}

describe('Composer', () => {
  it('Enter sends the text and clears the input', async () => {
    const c = await setup();
    await c.type('hello', ' world', ENTER);
    expect(c.onSubmit).toHaveBeenCalledWith('hello world');
    expect(c.text()).not.toContain('hello');
    await c.type(ENTER); // blank input: nothing to send
    expect(c.onSubmit).toHaveBeenCalledTimes(1);
    c.unmount();
  });

  it('a pasted multi-line chunk arrives whole and is not sent', async () => {
    const c = await setup();
    await c.type('line one\r\nline two\nline three\r');
    expect(c.onSubmit).not.toHaveBeenCalled();
    expect(c.text()).toContain('line one');
    expect(c.text()).toContain('line three');
    await c.type(ENTER);
    expect(c.onSubmit).toHaveBeenCalledWith('line one\nline two\nline three');
    c.unmount();
  });

  it('"text\\r" as one chunk (tmux send-keys) types and sends', async () => {
    const c = await setup();
    await c.type('we need 10k QPS\r');
    expect(c.onSubmit).toHaveBeenCalledWith('we need 10k QPS');
    c.unmount();
  });

  it('Ctrl+J, Alt+Enter and a trailing backslash insert a newline', async () => {
    const c = await setup();
    await c.type('a', '\n', 'b', '\u001b\r', 'c\\', ENTER, 'd', ENTER);
    expect(c.onSubmit).toHaveBeenCalledTimes(1);
    expect(c.onSubmit).toHaveBeenCalledWith('a\nb\nc\nd');
    c.unmount();
  });

  it('Up/Down browse your previous turns from the first/last line', async () => {
    const c = await setup({ history: ['first answer', 'second answer'] });
    await c.type('draft', UP);
    expect(c.text()).toContain('second answer');
    await c.type(UP);
    expect(c.text()).toContain('first answer');
    await c.type(DOWN, DOWN);
    expect(c.text()).toContain('draft');
    await c.type(UP, UP, ENTER);
    expect(c.onSubmit).toHaveBeenCalledWith('first answer');
    c.unmount();
  });

  it('editing keys: Left, Backspace (DEL), Ctrl+A, Ctrl+E, Ctrl+U', async () => {
    const c = await setup();
    await c.type('abcd', LEFT, '\u007f', '\u0001', 'X', '\u0005', 'Y', ENTER);
    expect(c.onSubmit).toHaveBeenLastCalledWith('XabdY');
    await c.type('junk', '\u0015', 'ok', ENTER);
    expect(c.onSubmit).toHaveBeenLastCalledWith('ok');
    c.unmount();
  });

  it('while disabled, typing works but Enter is refused with a hint', async () => {
    const c = await setup({ disabled: true, disabledHint: 'wait for the reply' });
    await c.type('my answer', ENTER);
    expect(c.onSubmit).not.toHaveBeenCalled();
    expect(c.text()).toContain('wait for the reply');
    expect(c.text()).toContain('my answer');
    c.rerender(<Composer width={60} color={false} onSubmit={c.onSubmit} />);
    await tick();
    expect(c.text()).not.toContain('wait for the reply');
    await c.type(ENTER);
    expect(c.onSubmit).toHaveBeenCalledWith('my answer');
    c.unmount();
  });

  it('a bracketed paste that ends in a newline is sent as one turn; one without stays in the draft', async () => {
    const c = await setup();
    const text = Array.from({ length: 45 }, (_, i) => `Paragraph ${i + 1}: the redirect path reads a cache in front of a key-value store, keyed by the short code.`).join('\n');
    expect(text.length).toBeGreaterThan(4000);
    // The terminal's paste markers, split over reads as a pty delivers a large paste.
    await c.type(`\u001b[200~${text.slice(0, 2000)}`, text.slice(2000), '\n\u001b[201~');
    expect(c.onSubmit).toHaveBeenCalledTimes(1);
    expect(c.onSubmit).toHaveBeenCalledWith(text);
    expect(c.text()).not.toContain('Paragraph');
    expect(c.text()).not.toContain('[200~');

    await c.type('\u001b[200~first line\rsecond line\u001b[201~');
    expect(c.onSubmit).toHaveBeenCalledTimes(1);
    expect(c.text()).toContain('first line');
    expect(c.text()).toContain('second line');
    expect(c.text()).not.toContain('[201~');
    await c.type(ENTER);
    expect(c.onSubmit).toHaveBeenLastCalledWith('first line\nsecond line');
    c.unmount();
  });

  it('a bracketed paste whose end marker never comes gives way after a quiet moment: Enter sends again', async () => {
    const c = await setup();
    await c.type('\u001b[200~half a paste\r');
    await c.type(ENTER); // still inside the paste: a line break, not a send
    expect(c.onSubmit).not.toHaveBeenCalled();
    await new Promise((resolve) => setTimeout(resolve, 2200));
    await c.type(ENTER);
    expect(c.onSubmit).toHaveBeenCalledWith('half a paste');
    c.unmount();
  });

  it('shows the placeholder and a visible cursor', async () => {
    const c = await setup({ placeholder: 'Your answer…' });
    expect(c.text()).toContain('Your answer…');
    expect(c.lastFrame()).toContain('\u001b[7m'); // inverse video even without colour
    c.unmount();
  });
});

describe('layoutComposer', () => {
  it('wraps long input within the width and scrolls to keep the cursor row visible', () => {
    const value = Array.from({ length: 30 }, (_, i) => `row ${i} ${'z'.repeat(70)}`).join('\n');
    const rows = layoutComposer({ value, cursor: value.length, width: 40, color: false, maxHeight: 5 });
    expect(rows.length).toBe(5);
    for (const row of rows) expect(displayWidth(stripAnsi(row))).toBeLessThanOrEqual(40);
    expect(stripAnsi(rows[4]!)).toContain('z ');
    const top = layoutComposer({ value, cursor: 0, width: 40, color: false, maxHeight: 5 });
    expect(stripAnsi(top[0]!)).toContain('row 0');
  });
});
