/** Everything the CLI prints goes through here: human text or one JSON document, colour only where wanted. */
import { MigrateError, MigrateErrors, exitCodeOf, formatWarning, type Warning } from '../errors.js';

export interface OutputOptions {
  json: boolean;
  stdout?: NodeJS.WritableStream & { isTTY?: boolean };
  stderr?: NodeJS.WritableStream & { isTTY?: boolean };
  env?: NodeJS.ProcessEnv;
}

export class Output {
  readonly json: boolean;
  private readonly out: NodeJS.WritableStream & { isTTY?: boolean };
  private readonly err: NodeJS.WritableStream & { isTTY?: boolean };
  private readonly color: boolean;

  constructor(options: OutputOptions) {
    this.json = options.json;
    this.out = options.stdout ?? process.stdout;
    this.err = options.stderr ?? process.stderr;
    const env = options.env ?? process.env;
    // https://no-color.org: any non-empty NO_COLOR disables colour; FORCE_COLOR=0 too.
    this.color = Boolean(this.err.isTTY) && !env.NO_COLOR && env.FORCE_COLOR !== '0';
  }

  /** A line for people (suppressed in --json mode, where only the data document is printed). */
  line(text: string): void {
    if (!this.json) this.out.write(`${text}\n`);
  }

  /** Raw text to stdout, e.g. a generated script. */
  raw(text: string): void {
    this.out.write(text);
  }

  data(value: unknown): void {
    if (this.json) this.out.write(`${JSON.stringify(value, jsonReplacer)}\n`);
  }

  warn(w: Warning): void {
    if (!this.json) this.err.write(`${this.paint('33', formatWarning(w))}\n`);
  }

  /** Prints an error and returns the exit code the process should end with. */
  error(err: unknown): number {
    const code = exitCodeOf(err);
    if (this.json) {
      const body = err instanceof MigrateError ? err.toJSON() : { code: 'INTERNAL', kind: 'runtime', message: String(err) };
      this.out.write(`${JSON.stringify({ ok: false, error: body }, jsonReplacer)}\n`);
      return code;
    }
    if (err instanceof MigrateErrors) {
      for (const e of err.errors) this.err.write(`${this.paint('31', 'error')}: ${e.toString()}\n`);
      this.err.write(`${err.errors.length} error(s)\n`);
    } else if (err instanceof MigrateError) {
      this.err.write(`${this.paint('31', 'error')}: ${err.toString()}\n`);
      for (const d of err.details) this.err.write(`  ${d}\n`);
    } else {
      // Not one of ours: a bug. Show the stack so it can be reported.
      this.err.write(`${this.paint('31', 'internal error')}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    }
    return code;
  }

  private paint(code: string, text: string): string {
    return this.color ? `\u001b[${code}m${text}\u001b[0m` : text;
  }
}

function jsonReplacer(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Map) return Object.fromEntries(value);
  return value;
}
