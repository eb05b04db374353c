/**
 * The references in docs/reference/, generated from the code they describe: the CLI from the
 * yargs builders, the error codes from lib/error-codes.ts, the lint rules from lint's rule table,
 * the configuration from lib/config.ts and the variables lib/ reads. `make docs` writes them
 * (`node dist/test/docs/generate.js`); test/docs/references.test.ts fails when one is stale.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ERROR_CODES, type ErrorCodeInfo } from '../../lib/error-codes.js';
import { EXIT_INPUT, EXIT_OK, EXIT_RUNTIME } from '../../lib/errors.js';
import { EXIT_CHECK } from '../../lib/cli/commands/status.js';
import { DEFAULT_CONNECT_TIMEOUT_SECONDS, DEFAULT_DIR, DEFAULT_LOCK_TIMEOUT_SECONDS, DEFAULT_TABLE, FILE_KEYS } from '../../lib/config.js';
import { RULES } from '../../lib/lint/lint.js';
import { YDB_RULES } from '../../lib/rules/ydb-rules.js';
import { CREDENTIAL_VARIABLES } from '../../lib/ydb/credentials.js';
import { PACKAGE_ROOT } from '../../lib/package-info.js';
import { commandDocs, globalOptionDocs, type OptionDoc } from './cli-model.js';

const HEADER = (from: string): string =>
  `<!-- Generated from ${from} by \`make docs\`: do not edit by hand; change the code and run \`make docs\`. -->\n`;

/** A table cell: one line, `|` escaped. */
const cell = (text: string): string => text.replace(/\r?\n/g, ' ').replace(/(?<!\\)\|/g, '\\|');
const row = (cells: readonly string[]): string => `| ${cells.map(cell).join(' | ')} |`;
const table = (head: readonly string[], rows: readonly (readonly string[])[]): string =>
  [row(head), row(head.map(() => '---')), ...rows.map(row)].join('\n');
const code = (text: string): string => (text === '' ? '' : `\`${text}\``);

function optionRows(options: readonly OptionDoc[]): string[][] {
  return options.map((o) => [
    o.positional ? code(o.name.toUpperCase()) : [...o.aliases.map((a) => code(a.length === 1 ? `-${a}` : `--${a}`)), code(`--${o.name}`)].join(', '),
    o.type,
    o.required ? 'required' : code(o.default),
    o.describe,
  ]);
}

export function cliReference(): string {
  const parts = [
    HEADER('lib/cli/commands/*.ts and lib/cli/global-options.ts'),
    '# CLI reference',
    '',
    'Every command with its options, defaults and examples, as `ydb-migrate COMMAND --help` shows them. ' +
      'Exit codes and error codes: [errors.md](errors.md). Settings that also come from the environment or the config file: [configuration.md](configuration.md).',
    '',
    '## Global options',
    '',
    'Every command takes these (a command that does not use one leaves it out of its `--help`).',
    '',
    table(['option', 'type', 'default', 'description'], optionRows(globalOptionDocs())),
    '',
    '## Commands',
    '',
    table(['command', 'what it does'], commandDocs().map((c) => [`[${c.usage.split(' ')[0]}](#${anchor(c.usage)})`, c.describe])),
  ];
  for (const c of commandDocs()) {
    parts.push('', `## ydb-migrate ${c.usage}`, '', c.describe, '');
    if (c.options.length > 0) parts.push(table(['argument / option', 'type', 'default', 'description'], optionRows(c.options)), '');
    for (const [a, b] of c.conflicts) parts.push(`\`--${a}\` and \`--${b}\` cannot be given together.`, '');
    for (const [a, b] of c.implies) parts.push(`\`--${a}\` needs \`--${b}\`.`, '');
    if (c.examples.length > 0) parts.push('Examples:', '', '```text', ...alignedExamples(c.examples), '```', '');
    if (c.epilogue) parts.push(c.epilogue, '');
    parts.pop();
  }
  return `${parts.join('\n')}\n`;
}

/** GitHub's anchor for a heading `ydb-migrate up [target]`. */
function anchor(usage: string): string {
  return `ydb-migrate ${usage}`.toLowerCase().replace(/[^a-z0-9 _-]/g, '').replace(/ /g, '-');
}

function alignedExamples(examples: readonly { command: string; says: string }[]): string[] {
  const width = Math.max(...examples.map((e) => e.command.length));
  return examples.map((e) => `${e.command.padEnd(width)}   # ${e.says}`);
}

/** What to do about a family of codes; a code joins the first family whose pattern it matches. */
const ERROR_FAMILIES: readonly { title: string; match: RegExp; advice: string }[] = [
  { title: 'Usage and confirmation', match: /^(USAGE|TARGET_BAD|CONFIRM_NEEDED|NOT_CONFIRMED|BAD_SOURCE_DATE_EPOCH|ERRORS)$/, advice: 'Fix the command line as the message says (`ydb-migrate COMMAND --help` lists what it takes); nothing was changed. `ERRORS` lists several problems, each with its own code.' },
  { title: 'Configuration', match: /^CONFIG_/, advice: 'Fix the config file at the `file:line:col` given; its keys are in [configuration.md](configuration.md).' },
  { title: 'Connection settings and credentials', match: /^(CONNECTION_|CREDENTIALS_|PROFILE_|TLS_|YDB_ENDPOINT_)/, advice: 'Fix the flags, variables or profile the message names (never their values); the settings order is in the [getting started guide](../getting-started.md#connection-and-credentials).' },
  { title: 'Reaching YDB', match: /^YDB_/, advice: 'Check what the message names: the host, the port, the scheme (`grpc://` or `grpcs://`), the database path, the credentials; `--connect-timeout` if YDB is only slow. No database at hand: `make emulator` (the test emulator) or `make ydb` (a real YDB in Docker).' },
  { title: 'Migration files and manifest', match: /^(MIGRATIONS_DIR_|MANIFEST_|MIGRATION_(?!UNFINISHED)|FILE_|EMPTY_UP|UNLISTED_FILE|DOWN_|REDO_)/, advice: 'Fix the file at the `file:line:col` given; see the [writing migrations guide](../writing-migrations.md). Nothing was changed.' },
  { title: 'YQL text and parameters', match: /^(YQL_|LITERAL_|PARAM_)/, advice: 'Fix the statement or the `--param` at the position given; see [writing migrations](../writing-migrations.md#parameters).' },
  { title: 'Planning a run', match: /^PLAN_/, advice: 'Name a target that exists and lies in the direction of the command (`ydb-migrate status` shows where the database is); nothing was changed.' },
  { title: 'History, lock and drift', match: /^(DRIFT|HISTORY_|LOCK_|INTERRUPTED|MIGRATION_UNFINISHED|RESUME_|BASELINE_|RESOLVE_|REPAIR_)/, advice: 'See [when something fails](../when-something-fails.md): each code there has its recovery commands.' },
  { title: 'Offline script and output files', match: /^(OFFLINE_|OUTPUT_)/, advice: 'See the [DBA workflow](../dba-workflow.md): what the single script cannot hold goes into `--format parts` or runs online; `-o` refuses to overwrite what `sql` did not write unless `--force`.' },
  { title: 'Schema, diff, create, verify, lint and watch', match: /^(CREATE_|SCHEMA_|DIFF_|LINT_|VERIFY_|WATCH_)/, advice: 'See [schema, verify and generating migrations](../schema-and-generating.md) and [local development](../local-development.md); the message gives the manual recipe where YDB cannot make a change in place.' },
];

function exitOf(info: ErrorCodeInfo): string {
  return info.exit ?? String(info.kind === 'input' ? EXIT_INPUT : EXIT_RUNTIME);
}

export function errorsReference(): string {
  const entries = Object.entries(ERROR_CODES) as [string, ErrorCodeInfo][];
  const familyOf = (code: string): number => {
    const i = ERROR_FAMILIES.findIndex((f) => f.match.test(code));
    if (i < 0) throw new Error(`test/docs/generate.ts: error code ${code} is in no family of ERROR_FAMILIES: add it to one`);
    return i;
  };
  const parts = [
    HEADER('lib/error-codes.ts and lib/errors.ts'),
    '# Exit codes and error codes',
    '',
    '## Exit codes',
    '',
    table(['code', 'meaning'], [
      [String(EXIT_OK), 'success, also "nothing to do" (warnings may have been printed)'],
      [String(EXIT_RUNTIME), 'runtime or database failure (an error of kind `runtime`); `lint`: an error-level finding'],
      [String(EXIT_INPUT), 'usage or input error (kind `input`): bad flags, manifest or migration errors, bad parameter values, a target that cannot be planned, an error-level lint finding in `validate`; nothing was written'],
      [String(EXIT_CHECK), '`status --check`: a migration is pending or failed, or the database drifted from the files'],
      ['130', 'stopped by Ctrl-C (SIGINT) after recording where the run was and releasing the lock'],
      ['143', 'stopped by SIGTERM, likewise'],
    ]),
    '',
    'An error reads `file:line:col: message [CODE]`; with `--json` it is `{"ok": false, "error": {code, kind, message, location}}`. ' +
      'Besides the codes below, a request YDB refused carries `YDB_` and YDB\'s status name (`YDB_SCHEME_ERROR`, `YDB_PRECONDITION_FAILED`, ...; exit 1), ' +
      'and `validate` reports an error-level lint finding under its rule id ([lint-rules.md](lint-rules.md); exit 2).',
    '',
    '## Error codes',
    '',
  ];
  ERROR_FAMILIES.forEach((family, i) => {
    const codes = entries.filter(([c]) => familyOf(c) === i);
    if (codes.length === 0) return;
    parts.push(`### ${family.title}`, '', `**What to do.** ${family.advice}`, '', table(['code', 'kind', 'exit', 'what happened'], codes.map(([c, info]) => [code(c), info.kind, exitOf(info), info.means])), '');
  });
  parts.pop();
  return `${parts.join('\n')}\n`;
}

export function lintRulesReference(): string {
  const source = (id: string): string => (Object.hasOwn(YDB_RULES, id) ? `YDB answers ${YDB_RULES[id as keyof typeof YDB_RULES].status} (${YDB_RULES[id as keyof typeof YDB_RULES].source})` : '');
  return `${[
    HEADER('lint\'s rule table (lib/lint/, lib/rules/ydb-rules.ts)'),
    '# Lint rules',
    '',
    'What `ydb-migrate lint` reports, most serious first. Every error-level rule is one of YDB\'s refusals, with YDB\'s answer and where its sources hold the rule; ' +
      '`validate` runs the error-level rules too. Suppressing a finding and running lint in CI: [lint in CI](../lint-in-ci.md).',
    '',
    table(['rule', 'severity', 'what it finds', 'what to do', 'YDB source'], [...RULES].sort((a, b) => severityRank(a.severity) - severityRank(b.severity)).map((r) => [code(r.id), r.severity, r.summary, r.fix, source(r.id)])),
  ].join('\n')}\n`;
}

const severityRank = (s: string): number => ['error', 'warning', 'info'].indexOf(s);

/** What each config file key means; typed by lib/config.ts's keys, so a new key does not compile until it is described here. */
const CONFIG_KEYS: Record<keyof typeof FILE_KEYS, { type: string; means: string; default: string }> = {
  dir: { type: 'string', means: 'migrations directory (flag `--dir`, env `YDB_MIGRATE_DIR`)', default: DEFAULT_DIR },
  table: { type: 'string', means: 'history table (flag `--table`, env `YDB_MIGRATE_TABLE`); the lock table is `TABLE_lock`', default: DEFAULT_TABLE },
  params: { type: 'object of string, number, boolean or null', means: 'values of declared parameters (flag `--param NAME=VALUE` wins); a name no migration declares is a warning here, an error from `--param`', default: '{}' },
  connectionString: { type: 'string', means: 'where YDB is, `grpc[s]://HOST:PORT/DATABASE`: ranked after flags, `--profile`, the environment and the active profile', default: 'grpc://localhost:2136/local' },
  lockTimeoutSeconds: { type: 'number ≥ 0', means: 'seconds to wait for the migration lock (flag `--lock-timeout`; 0: do not wait)', default: String(DEFAULT_LOCK_TIMEOUT_SECONDS) },
  connectTimeoutSeconds: { type: 'number > 0', means: 'seconds to wait for YDB to answer while connecting (flag `--connect-timeout`)', default: String(DEFAULT_CONNECT_TIMEOUT_SECONDS) },
  schemaFile: { type: 'string', means: 'a file (relative to the config file) that `up`, `down`, `redo` and `watch` rewrite with `ydb-migrate schema` after each successful run; `status` warns when it is stale', default: 'none' },
};

/** Every environment variable lib/ reads besides the credential ones; test/docs/references.test.ts holds lib/ to this list. */
export const ENVIRONMENT: Readonly<Record<string, string>> = {
  YDB_MIGRATE_DIR: 'migrations directory (after `--dir`, before the config file\'s `dir`)',
  YDB_MIGRATE_TABLE: 'history table (after `--table`, before the config file\'s `table`)',
  YDB_CONNECTION_STRING: 'where YDB is (after flags and `--profile`, before the active profile and the config file); also shown in the offline script\'s header',
  YDB_SSL_ROOT_CERTIFICATES_FILE: 'CA file for `grpcs://` (ydb-sdk\'s variable; a profile\'s `ca-file` plays the same part)',
  YDB_ENDPOINT: 'ydb-sdk would silently send every query there: refused unless it names the connection\'s own endpoint',
  YDB_MIGRATE_RETRY_SECONDS: 'how long a request that is safe to repeat is retried, in seconds (default 60)',
  HOME: 'where the `ydb` CLI\'s profiles are: `$HOME/ydb/config/config.yaml`',
  SOURCE_DATE_EPOCH: 'the generation time `sql --timestamp` writes, in seconds since 1970 (wins over the clock)',
  NO_COLOR: 'any non-empty value: no colour in messages',
  FORCE_COLOR: '`0`: no colour in messages',
  USER: 'who applied a migration (`applied_by` in the history), with `USERNAME` where `USER` is not set',
  USERNAME: 'see `USER`',
};

export function configurationReference(): string {
  return `${[
    HEADER('lib/config.ts, lib/ydb/credentials.ts and the variables lib/ reads'),
    '# Configuration: config file and environment variables',
    '',
    'Each setting comes from the first source that has it: command-line flags, then environment variables, then the config file, then the default. ' +
      'The connection (endpoint, database, credentials, CA file) follows the `ydb` CLI\'s order instead: flags, a profile named with `--profile`, the environment, ' +
      'the CLI\'s active profile, the config file, the default ([getting started](../getting-started.md#connection-and-credentials)).',
    '',
    '## The config file',
    '',
    '`ydb-migrate.json` in the working directory, or the file given with `--config FILE`. A key it does not know, or a value of the wrong type, is an error ' +
      '(`CONFIG_UNKNOWN_KEY`, `CONFIG_BAD_VALUE`): a typo never silently does nothing.',
    '',
    table(['key', 'type', 'default', 'meaning'], Object.entries(CONFIG_KEYS).map(([key, k]) => [code(key), k.type, code(k.default), k.means])),
    '',
    '## Environment variables',
    '',
    table(['variable', 'meaning'], Object.entries(ENVIRONMENT).map(([name, means]) => [code(name), means])),
    '',
    '## Credential variables',
    '',
    'Those of the `ydb` CLI and of ydb-sdk, in the order the CLI ranks them; set at most one kind (two at once is `CREDENTIALS_AMBIGUOUS`, naming the variables, never their values). ' +
      'A profile named with `--profile` beats them all; without any, the active profile\'s login, else anonymous.',
    '',
    CREDENTIAL_VARIABLES.map(code).join(', '),
  ].join('\n')}\n`;
}

/** docs/reference/FILE → its text. */
export function references(): Record<string, string> {
  return {
    'docs/reference/cli.md': cliReference(),
    'docs/reference/errors.md': errorsReference(),
    'docs/reference/lint-rules.md': lintRulesReference(),
    'docs/reference/configuration.md': configurationReference(),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const [path, text] of Object.entries(references())) {
    await mkdir(dirname(join(PACKAGE_ROOT, path)), { recursive: true });
    await writeFile(join(PACKAGE_ROOT, path), text);
    process.stdout.write(`wrote ${path}\n`);
  }
}
