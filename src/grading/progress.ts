// Batch progress on stderr: a redrawn bar on a TTY, one plain line per file otherwise
// (logs and CI). stdout is left to the report itself.
export interface ProgressLine {
  file: string;
  ok: boolean;
  detail: string;
  cached?: boolean;
}

export class Progress {
  private drawn = false;
  constructor(
    private readonly total: number,
    private readonly stream: NodeJS.WriteStream = process.stderr,
    private readonly tty: boolean = Boolean(process.stderr.isTTY),
  ) {}

  update(done: number, line: ProgressLine): void {
    if (!this.tty) {
      const status = line.ok ? (line.cached ? 'cached' : 'graded') : 'FAILED';
      this.stream.write(`[${done}/${this.total}] ${status} ${line.file}: ${line.detail}\n`);
      return;
    }
    // Failures are printed above the bar so they stay visible after it is redrawn.
    if (!line.ok) this.stream.write(`\r\u001b[2K✗ ${line.file}: ${line.detail}\n`);
    const width = 24;
    const filled = Math.round((done / this.total) * width);
    const bar = '█'.repeat(filled) + '░'.repeat(width - filled);
    const name = line.file.length > 40 ? `…${line.file.slice(-39)}` : line.file;
    this.stream.write(`\r\u001b[2K${bar} ${done}/${this.total} ${name}`);
    this.drawn = true;
  }

  finish(): void {
    if (this.tty && this.drawn) this.stream.write('\r\u001b[2K');
  }
}
