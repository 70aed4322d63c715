// Markdown → terminal text with marked + marked-terminal, reflowed to a width. One configured
// Marked instance per (width, colour) is cached: building one costs far more than a render.
// marked is pinned to 12: marked-terminal 7.3 prints `**bold**` raw inside list items with ≥ 13.
import { Marked } from 'marked';
import { markedTerminal } from 'marked-terminal';
import { theme } from '../term/theme.js';
import { stripAnsi } from '../term/strip.js';

export interface MarkdownOptions {
  /** ANSI styling; false gives plain text (NO_COLOR, non-TTY). Default true. */
  color?: boolean;
}

const instances = new Map<string, Marked>();
const MAX_INSTANCES = 16;

function instance(width: number, color: boolean): Marked {
  const key = `${width}:${color ? 1 : 0}`;
  let marked = instances.get(key);
  if (marked) return marked;
  const t = theme(color);
  const compose = (...styles: ((s: string) => string)[]) => (text: string) => styles.reduceRight((acc, style) => style(acc), text);
  const plain = (text: string) => text;
  marked = new Marked();
  marked.use(
    // The @types package lags the runtime (extension object vs renderer); the cast is for that.
    markedTerminal(
      {
        width,
        reflowText: true,
        showSectionPrefix: false,
        emoji: false,
        tab: 2,
        unescape: true,
        code: t.yellow,
        blockquote: compose(t.gray, t.italic),
        html: t.gray,
        heading: compose(t.green, t.bold),
        firstHeading: compose(t.magenta, t.bold),
        hr: plain,
        listitem: plain,
        table: plain,
        paragraph: plain,
        strong: t.bold,
        em: t.italic,
        codespan: t.yellow,
        del: compose(t.gray, t.strikethrough),
        link: t.blue,
        href: compose(t.blue, t.underline),
        text: plain,
      } as never,
      { ignoreIllegals: true } as never,
    ) as never,
  );
  if (instances.size >= MAX_INSTANCES) {
    const oldest = instances.keys().next().value;
    if (oldest !== undefined) instances.delete(oldest);
  }
  instances.set(key, marked);
  return marked;
}

/**
 * Render markdown for the terminal, wrapped to `width` columns. Leading/trailing blank lines are
 * trimmed (callers add their own spacing). Never throws: on a parser error the text is returned
 * as it came.
 */
export function renderMarkdown(text: string, width: number, options: MarkdownOptions = {}): string {
  const color = options.color ?? true;
  const columns = Math.max(10, Math.floor(width));
  if (text.trim() === '') return '';
  let out: string;
  try {
    out = instance(columns, color).parse(text, { async: false }) as string;
  } catch {
    out = text;
  }
  // Code blocks are highlighted by cli-highlight with its own chalk; strip for plain output.
  if (!color) out = stripAnsi(out);
  return out.replace(/^(?:[ \t]*\n)+/, '').replace(/\s+$/, '');
}
