/**
 * A live line for long statements, on a terminal only: it appears when a
 * statement has run for a second and shows how long it has been running,
 * and what the run will do once asked to stop (Ctrl-C). Pipes, files and
 * --json never see it.
 */
const SHOW_AFTER_MS = 1000;
const TICK_MS = 1000;

export class ProgressLine {
  private timer: NodeJS.Timeout | null = null;
  private shown = false;
  private label = '';
  private started = 0;
  private note = '';

  constructor(
    private readonly stream: NodeJS.WritableStream & { isTTY?: boolean },
    private readonly enabled: boolean,
  ) {}

  static for(stream: NodeJS.WritableStream & { isTTY?: boolean }, json: boolean): ProgressLine {
    return new ProgressLine(stream, Boolean(stream.isTTY) && !json);
  }

  /** Starts timing `label` (replacing what was shown). */
  start(label: string): void {
    this.clear();
    if (!this.enabled) return;
    this.label = label;
    this.started = performance.now();
    this.timer = setTimeout(() => {
      this.draw();
      this.timer = setInterval(() => this.draw(), TICK_MS);
      this.timer.unref();
    }, SHOW_AFTER_MS);
    this.timer.unref();
  }

  /** Shows `note` after the label from now on (e.g. what the run does once stopped), every line after included. */
  setNote(note: string): void {
    this.note = ` (${note})`;
    if (this.shown) this.draw();
  }

  /** Prints with `write` (a warning) without garbling the line: it is erased first and drawn again after. */
  interject(write: () => void): void {
    if (this.shown) this.stream.write('\r\u001b[K');
    write();
    if (this.shown) this.draw();
  }

  /** Removes the line, e.g. before a result line is printed. */
  clear(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.shown) this.stream.write('\r\u001b[K');
    this.shown = false;
  }

  private draw(): void {
    const seconds = Math.floor((performance.now() - this.started) / 1000);
    this.stream.write(`\r\u001b[K  … ${this.label} ${seconds} s${this.note}`);
    this.shown = true;
  }
}
