/**
 * Errors are values: a stable code, a message that says what to do, and a
 * location whenever a file is involved. The CLI maps `kind` to exit codes:
 * 'input' → 2 (usage or input error), 'runtime' → 1 (runtime/database failure).
 * The codes and their kinds are listed once, in error-codes.ts.
 */
import { kindOf, type ErrorCode, type ErrorKind } from './error-codes.js';

export type { ErrorCode, ErrorKind } from './error-codes.js';

export interface SourceLocation {
  /** Path as the user should see it (relative to the working directory when possible). */
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based, counted in UTF-16 code units of the line. */
  column: number;
}

export interface MigrateErrorOptions {
  location?: SourceLocation;
  /** Only where one code serves both kinds (a list of errors, a re-worded one); else the catalogue's. */
  kind?: ErrorKind;
  /** Extra lines shown under the message (e.g. a list of drifted migrations). */
  details?: string[];
  cause?: unknown;
}

export class MigrateError extends Error {
  readonly code: ErrorCode;
  readonly kind: ErrorKind;
  readonly location: SourceLocation | undefined;
  readonly details: string[];

  constructor(code: ErrorCode, message: string, options: MigrateErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'MigrateError';
    this.code = code;
    this.kind = options.kind ?? kindOf(code);
    this.location = options.location;
    this.details = options.details ?? [];
  }

  /** `file:line:col: message [CODE]`, the form editors and CI annotators understand. */
  override toString(): string {
    const where = this.location ? `${formatLocation(this.location)}: ` : '';
    return `${where}${this.message} [${this.code}]`;
  }

  toJSON(): Record<string, unknown> {
    return {
      code: this.code,
      kind: this.kind,
      message: this.message,
      ...(this.location ? { location: this.location } : {}),
      ...(this.details.length ? { details: this.details } : {}),
    };
  }
}

/** A finding that does not stop the run (unlisted files, empty up file, ...). */
export interface Warning {
  code: string;
  message: string;
  location?: SourceLocation;
}

export function formatLocation(loc: SourceLocation): string {
  return `${loc.file}:${loc.line}:${loc.column}`;
}

export function formatWarning(w: Warning): string {
  const where = w.location ? `${formatLocation(w.location)}: ` : '';
  return `${where}warning: ${w.message} [${w.code}]`;
}

/** Thrown when several independent input errors are found at once (e.g. `validate`). */
export class MigrateErrors extends MigrateError {
  readonly errors: MigrateError[];
  constructor(errors: MigrateError[]) {
    super(errors[0]?.code ?? 'ERRORS', `${errors.length} problem(s) found`, {
      kind: errors.some((e) => e.kind === 'runtime') ? 'runtime' : 'input',
      details: errors.map((e) => e.toString()),
    });
    this.errors = errors;
  }
}

export const EXIT_OK = 0;
export const EXIT_RUNTIME = 1;
export const EXIT_INPUT = 2;

export function exitCodeOf(err: unknown): number {
  return err instanceof MigrateError && err.kind === 'input' ? EXIT_INPUT : EXIT_RUNTIME;
}
