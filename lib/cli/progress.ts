/**
 * A live line for long statements, on a terminal only: it appears when a
 * statement has run for a second and shows how long it has been running.
 * Pipes, files and --json never see it.
 */
const SHOW_AFTER_MS = 1000;
const TICK_MS = 1000;

export class ProgressLine {
  private timer: NodeJS.Timeout | null = null;
  private shown = false;

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
    const started = performance.now();
    const draw = (): void => {
      const seconds = Math.floor((performance.now() - started) / 1000);
      this.stream.write(`\r\u001b[K  … ${label} ${seconds} s`);
      this.shown = true;
    };
    this.timer = setTimeout(() => {
      draw();
      this.timer = setInterval(draw, TICK_MS);
      this.timer.unref();
    }, SHOW_AFTER_MS);
    this.timer.unref();
  }

  /** Removes the line, e.g. before a result line is printed. */
  clear(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.shown) this.stream.write('\r\u001b[K');
    this.shown = false;
  }
}
