/**
 * Every error code ydb-migrate throws, once, with its kind (which sets the exit
 * code) and what it means. `MigrateError` takes only these codes, YDB's own
 * status names as `YDB_<STATUS>`, and lint rule ids (lowercase), so a code that
 * is not listed here does not compile. docs/reference/errors.md is generated
 * from this list (`make docs`), and a test holds it to the list.
 */

/** 'input' → exit 2 (usage or input error, nothing was written); 'runtime' → exit 1 (runtime or database failure). */
export type ErrorKind = 'input' | 'runtime';

export interface ErrorCodeInfo {
  kind: ErrorKind;
  means: string;
  /** The CLI's exit code where it is not the kind's (the error reference shows it). */
  exit?: string;
}

const input = (means: string): ErrorCodeInfo => ({ kind: 'input', means });
const runtime = (means: string): ErrorCodeInfo => ({ kind: 'runtime', means });

export const ERROR_CODES = {
  USAGE: input('bad flags or arguments'),
  TARGET_BAD: input('a target that is not NAME, @TAG, head, base or a step count where one is allowed'),
  CONFIRM_NEEDED: input('`down` against a database that is not on this machine, without --yes'),
  NOT_CONFIRMED: input('`down` of several migrations was not confirmed'),
  BAD_SOURCE_DATE_EPOCH: input('SOURCE_DATE_EPOCH is not a number of seconds'),

  CONFIG_UNREADABLE: input('the config file cannot be read'),
  CONFIG_BAD_JSON: input('the config file is not valid JSON'),
  CONFIG_UNKNOWN_KEY: input('the config file has a key ydb-migrate does not know'),
  CONFIG_BAD_VALUE: input('a config key has a value of the wrong kind'),

  CONNECTION_CONFLICT: input('-c and -e/-d (or two ways to name the database) are both given'),
  CONNECTION_NO_DATABASE: input('an endpoint is given but no database'),
  CONNECTION_STRING_BAD: input('the connection string cannot be read'),
  CONNECTION_STRING_CREDENTIALS: input('the connection string carries USER:PASSWORD@, which is never read'),
  CREDENTIALS_AMBIGUOUS: input('several credential variables are set'),
  CREDENTIALS_BAD: input('a credential variable is set without its partner (a password without a user)'),
  CREDENTIALS_KEY_FILE: input('the service account key file cannot be read'),
  CREDENTIALS_METADATA_PACKAGE: input('metadata credentials need @yandex-cloud/nodejs-sdk, which is not installed'),
  CREDENTIALS_UNSUPPORTED: input('a credential variable that needs a token exchange ydb-sdk does not do'),
  PROFILE_UNREADABLE: input("the ydb CLI's profile file (or a file it names) cannot be read"),
  PROFILE_BAD_YAML: input("the ydb CLI's profile file is not valid YAML"),
  PROFILE_UNKNOWN: input('no profile of that name'),
  PROFILE_BAD: input('a profile entry of the wrong shape'),
  PROFILE_UNSUPPORTED: input('a profile that logs in a way ydb-sdk cannot'),
  TLS_FILE_UNREADABLE: input('a CA or client certificate file cannot be read'),
  YDB_ENDPOINT_CONFLICT: input('YDB_ENDPOINT names another address than the one given'),

  YDB_NOTHING_LISTENS: runtime('connection refused'),
  YDB_HOST_NOT_FOUND: runtime('the host name does not resolve'),
  YDB_NO_ANSWER: runtime('no answer within the timeout'),
  YDB_TLS_MISMATCH: runtime('grpcs:// against a plain port, or the reverse'),
  YDB_TLS_UNTRUSTED: runtime("the server's certificate is not trusted"),
  YDB_NOT_YDB: runtime('a server that is not YDB'),
  YDB_NETWORK: runtime('another network failure on the way to YDB'),
  YDB_UNKNOWN_DATABASE: runtime('YDB answered but has no such database'),
  YDB_AUTH_FAILED: runtime('YDB refused the login'),
  YDB_UNEXPECTED_TYPE: runtime('YDB returned a value of a type ydb-migrate does not read'),
  YDB_ERROR: runtime('a request failed without a YDB status (YDB_<STATUS> when YDB gave one)'),

  MIGRATIONS_DIR_NOT_FOUND: input('the migrations directory does not exist'),
  MIGRATIONS_DIR_NOT_DIRECTORY: input('the migrations directory is a file'),
  MANIFEST_NOT_FOUND: input('there is no manifest'),
  MANIFEST_UNREADABLE: input('the manifest cannot be read'),
  MANIFEST_CONFLICT: input('the manifest holds git conflict markers'),
  MANIFEST_BAD_NAME: input('a manifest line is not a migration name'),
  MANIFEST_UNSAFE_NAME: input('a migration name that could name a file outside the directory'),
  MANIFEST_BAD_TAG: input('a malformed @tag'),
  MANIFEST_MISPLACED_TAG: input('a tag with no migration before it'),
  MANIFEST_DUPLICATE_TAG: input('a tag given twice'),
  MANIFEST_DUPLICATE_NAME: input('a migration listed twice'),
  MANIFEST_MISSING_UP: input('a listed migration has no up file'),
  MIGRATION_IS_DIRECTORY: input('a migration file is a directory'),
  MIGRATION_OUTSIDE_DIR: input('a migration file is a symlink out of the migrations directory'),
  FILE_UNREADABLE: input('a file cannot be read'),
  FILE_NOT_REGULAR: input('a file is a FIFO, device or socket'),
  FILE_NOT_UTF8: input('a file is not valid UTF-8'),
  EMPTY_UP: input('an up file with no statements (a warning while watch waits for the file to be written)'),
  UNLISTED_FILE: input('a .yql file the manifest does not list, that looks like a migration (a warning in watch)'),
  DOWN_EMPTY: input('a down file with no statements, where one is needed'),
  DOWN_MISSING: input('no down file, where one is needed'),
  REDO_NOT_LISTED: input('`redo` of a migration no longer in the manifest'),

  YQL_UNTERMINATED: input('an unterminated string, comment or quoted name'),
  YQL_UNCLOSED_BRACE: input('a { that is never closed'),
  YQL_BAD_STRING: input('a malformed string literal'),
  YQL_BAD_TYPE: input('a type ydb-migrate cannot read in DECLARE'),
  YQL_BAD_DECLARE: input('a malformed DECLARE'),
  YQL_DUPLICATE_DECLARE: input('a parameter declared twice'),
  YQL_RESERVED_NAME: input("a parameter named like ydb-migrate's own"),
  YQL_UNKNOWN_STATEMENT: input('a statement that cannot run in a migration'),
  YQL_ANSI_LEXER: input('--!ansi_lexer, which ydb-migrate does not read'),
  YQL_PG_SYNTAX: input('--!syntax_pg, which ydb-migrate does not read'),
  LITERAL_INVALID: input('a value that is not valid for its YQL type'),

  PARAM_BAD_FLAG: input('--param is not NAME=VALUE'),
  PARAM_DUPLICATE: input('--param given twice for one name'),
  PARAM_INVALID: input('a parameter value that is not valid for its type'),
  PARAM_MISSING: input('a declared parameter has no value'),
  PARAM_UNKNOWN: input('a value for a parameter no migration declares'),
  PARAM_TYPE_CONFLICT: input('one parameter declared with two types'),

  PLAN_UNKNOWN_TARGET: input('no migration of that name'),
  PLAN_UNKNOWN_TAG: input('no tag of that name'),
  PLAN_WRONG_DIRECTION: input('a target behind the current state for `up`, or ahead of it for `down`'),
  PLAN_TOO_FAR: input('a step count past the first or last migration'),
  PLAN_OUT_OF_ORDER: input('a pending migration listed before applied ones, without --allow-out-of-order'),
  DRIFT: runtime('the database and the migration files disagree'),
  MIGRATION_UNFINISHED: runtime("the history holds a migration a run did not finish ('failed' or 'applying'): resume or resolve it"),
  RESUME_NOTHING: input('`--resume` when the history holds no unfinished migration to resume in that direction'),
  RESUME_EDITED: input('`--resume` of a migration whose requests that already ran were edited'),
  RESUME_UNCHECKABLE: input('`--resume` would re-run a request whose effect it cannot check, without --assume-not-applied'),

  HISTORY_BAD_TABLE: input('the history table name is not a valid path'),
  HISTORY_NOT_OURS: input('the history table exists but is not a ydb-migrate one'),
  HISTORY_BAD_ROW: runtime('a history row that cannot be read'),
  LOCK_TIMEOUT: runtime('another runner held the lock past --lock-timeout'),
  LOCK_LOST: runtime('this run lost the lock while it ran'),
  LOCK_RELEASE_FAILED: runtime('the lock could not be released'),
  // The CLI exits 128 + the signal's number once the run has recorded where it is (lib/cli/interrupt.ts).
  INTERRUPTED: { ...runtime('stopped by Ctrl-C or SIGTERM'), exit: '130 / 143' },
  BASELINE_UNKNOWN: input('`baseline` of a migration not in the manifest'),
  BASELINE_FAILED_ROWS: input('`baseline` while the history holds unfinished migrations'),
  RESOLVE_UNKNOWN: input('`resolve` of a migration the history does not hold'),
  RESOLVE_NOT_FAILED: input('`resolve` of a migration that is not failed'),
  REPAIR_UNKNOWN: input('`repair` of a migration not in the manifest'),
  REPAIR_NOT_APPLIED: input('`repair` of a migration that is not applied'),
  REPAIR_NEEDS_YES: input('`repair` of an edit that changes statements (or of a row with no applied text to compare), without --yes'),

  OFFLINE_UNSUPPORTED: input('a statement the offline script cannot hold'),
  OFFLINE_FOREIGN_NAME: input("a parameter another migration binds"),
  OFFLINE_NO_MIGRATION: input('the script would revert a migration not in the manifest'),
  OUTPUT_REFUSED: input('refusing to overwrite a file that is not an earlier output'),
  OUTPUT_UNWRITABLE: input('the output file cannot be written'),

  CREATE_NO_NAME: input('`create` without a name'),
  CREATE_NUMBERED: input('`create` of a name with a number'),
  CREATE_EXISTS: input('`create` would overwrite a file'),
  CREATE_BAD_MANIFEST: input('`create` into a manifest with errors'),
  CREATE_NOTHING: input('`create --schema` when the database already matches'),
  CREATE_WRITE: runtime('`create` cannot write its files'),
  SCHEMA_UNREADABLE: input('the desired schema file cannot be read'),
  SCHEMA_PARSE: input('the desired schema file is not CREATE TABLE statements ydb-migrate reads'),
  SCHEMA_UNKNOWN_TYPE: runtime('a column of a type the schema model does not describe'),
  SCHEMA_WRITE: runtime('`schema -o` cannot write its file'),
  SCHEMA_FILE_WRITE: runtime('the run succeeded but the schema file could not be written'),
  DIFF_DROP_REFUSED: input('reaching the desired schema drops something, without --allow-drop'),
  DIFF_IN_PLACE_IMPOSSIBLE: input('a change YDB cannot make in place (a type, a key)'),
  DIFF_RENAME_GUESS: input('a table goes and one with the same columns and key comes: --rename OLD=NEW or --no-rename-guess'),
  DIFF_REPLAY_INCOMPLETE: input('--from-migrations: the replayed schema cannot model a table exactly (TTL, changefeed, ...)'),
  LINT_REFUSED: input('`up` or `redo` would apply a migration lint rates an error (what YDB would refuse); --no-lint skips the check'),
  DIFF_LINT: input('the generated migration would be refused by YDB (its own lint finds an error)'),
  LINT_UNKNOWN_MIGRATION: input('`lint` of a name not in the manifest'),
  VERIFY_REMOTE_REFUSED: input('`verify` against a database that is not on this machine'),
  WATCH_REMOTE_REFUSED: input('`watch` against a database that is not on this machine'),
  WATCH_FAILED: runtime('watch mode stopped on a failure'),
  ERRORS: input('several problems at once (each listed with its own code)'),
} as const satisfies Record<string, ErrorCodeInfo>;

/** A code of the catalogue above. */
export type CatalogueCode = keyof typeof ERROR_CODES;

/** YDB's status names (ydb-sdk's StatusCode, whose client-side ones start with CLIENT_ or name the transport). */
export const YDB_STATUSES = [
  'STATUS_CODE_UNSPECIFIED', 'SUCCESS', 'BAD_REQUEST', 'UNAUTHORIZED', 'INTERNAL_ERROR', 'ABORTED', 'UNAVAILABLE',
  'OVERLOADED', 'SCHEME_ERROR', 'GENERIC_ERROR', 'TIMEOUT', 'BAD_SESSION', 'PRECONDITION_FAILED', 'ALREADY_EXISTS',
  'NOT_FOUND', 'SESSION_EXPIRED', 'CANCELLED', 'UNDETERMINED', 'UNSUPPORTED', 'SESSION_BUSY', 'EXTERNAL_ERROR',
  'TRANSPORT_UNAVAILABLE', 'CLIENT_RESOURCE_EXHAUSTED', 'CLIENT_DEADLINE_EXCEEDED', 'CLIENT_CANCELED',
  'UNAUTHENTICATED', 'SESSION_POOL_EMPTY', 'RETRIES_EXCEEDED',
] as const;

/** A request YDB refused, by YDB's status: always a runtime failure. */
export type YdbStatusCode = `YDB_${(typeof YDB_STATUSES)[number]}`;

/** A lint rule id (lowercase, kebab-case), the code of an error-level finding `validate` reports; lint's own union types them. */
export type LintRuleCode = Lowercase<`${string}-${string}`>;

export type ErrorCode = CatalogueCode | YdbStatusCode | LintRuleCode;

const STATUS_SET: ReadonlySet<string> = new Set(YDB_STATUSES);

/** The code of a request that failed with YDB status `status` (null: no status). */
export function ydbStatusCode(status: string | null): YdbStatusCode | 'YDB_ERROR' {
  return status !== null && STATUS_SET.has(status) ? (`YDB_${status}` as YdbStatusCode) : 'YDB_ERROR';
}

/** The kind of a code: the catalogue's, runtime for a YDB status, input for a lint finding. */
export function kindOf(code: ErrorCode): ErrorKind {
  if (Object.hasOwn(ERROR_CODES, code)) return ERROR_CODES[code as CatalogueCode].kind;
  return code.startsWith('YDB_') ? 'runtime' : 'input';
}
