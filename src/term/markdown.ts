// The one markdown renderer: markdown → terminal text with marked + marked-terminal, reflowed to
// a width, for the practice UI and `sessions show`. One configured Marked instance per
// (width, colour, prefix) is cached: building one costs far more than a render. Nothing here
// touches the shared global `marked`. Import this module lazily (it loads marked, marked-terminal
// and cli-highlight): `sdcoach --help` must not pay for them.
// marked is pinned to 12: marked-terminal 7.3 prints `**bold**` raw inside list items with ≥ 13.
import { Marked } from 'marked';
import { markedTerminal } from 'marked-terminal';
import { theme } from './theme.js';

export interface MarkdownOptions {
  /** ANSI styling; false gives plain text (NO_COLOR, non-TTY): nothing is coloured, so nothing is stripped. Default true. */
  color?: boolean;
  /** Keep the `#`/`##` before headings (a document read as text); default false (the UI's bare headings). */
  sectionPrefix?: boolean;
}

const instances = new Map<string, Marked>();
const MAX_INSTANCES = 16;

const identity = (text: string) => text;
/** A cli-highlight theme that styles no token: code blocks stay plain whatever chalk's level. */
const PLAIN_CODE = new Proxy({}, { get: () => identity });

function instance(width: number, color: boolean, sectionPrefix: boolean): Marked {
  const key = `${width}:${color ? 1 : 0}:${sectionPrefix ? 1 : 0}`;
  let marked = instances.get(key);
  if (marked) return marked;
  const t = theme(color);
  const compose = (...styles: ((s: string) => string)[]) => (text: string) => styles.reduceRight((acc, style) => style(acc), text);
  marked = new Marked();
  marked.use(
    // The @types package lags the runtime (extension object vs renderer); the cast is for that.
    markedTerminal(
      {
        width,
        reflowText: true,
        showSectionPrefix: sectionPrefix,
        emoji: false,
        tab: 2,
        unescape: true,
        code: t.yellow,
        blockquote: compose(t.gray, t.italic),
        html: t.gray,
        heading: compose(t.green, t.bold),
        firstHeading: compose(t.magenta, t.bold),
        hr: identity,
        listitem: identity,
        table: identity,
        paragraph: identity,
        strong: t.bold,
        em: t.italic,
        codespan: t.yellow,
        del: compose(t.gray, t.strikethrough),
        link: t.blue,
        href: compose(t.blue, t.underline),
        text: identity,
        // cli-table3 colours its header and border itself; plain means none.
        ...(color ? {} : { tableOptions: { style: { head: [], border: [] } } }),
      } as never,
      // Code blocks are highlighted by cli-highlight with its own chalk: plain gets a theme that styles nothing.
      (color ? { ignoreIllegals: true } : { ignoreIllegals: true, theme: PLAIN_CODE }) as never,
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
    out = instance(columns, color, options.sectionPrefix ?? false).parse(text, { async: false }) as string;
  } catch {
    out = text;
  }
  return out.replace(/^(?:[ \t]*\n)+/, '').replace(/\s+$/, '');
}
