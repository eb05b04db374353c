/**
 * Binds the values a user gave (config file, --param) to the parameters a
 * migration declares (`DECLARE $env AS Utf8;`). Shared by the offline
 * renderer (values become literals) and the online runner (typed parameters).
 */
import { MigrateError, type Warning } from './errors.js';
import type { MigrationSet } from './migration.js';
import { suggestions } from './suggest.js';
import type { Declaration } from './yql/blocks.js';
import { formatType, parseParamValue, parseType, type YqlType } from './yql/literal.js';

/** A parameter value as written by the user: flags give strings, the config file may give JSON scalars. */
export type RawParamValue = string | number | boolean | null;

export interface BoundParam {
  name: string;
  type: YqlType;
  value: unknown;
  declaration: Declaration;
  file: string;
}

export function bindParam(declaration: Declaration, file: string, values: Readonly<Record<string, RawParamValue>>): BoundParam {
  const location = { file, line: declaration.line, column: declaration.column };
  let type: YqlType;
  try {
    type = parseType(declaration.typeText);
  } catch (err) {
    throw relocate(err, location);
  }
  const name = declaration.name;
  if (!Object.prototype.hasOwnProperty.call(values, name)) {
    throw new MigrateError(
      'PARAM_MISSING',
      `parameter $${name} (${formatType(type)}) has no value: pass --param ${name}=VALUE or set "params": {"${name}": ...} in ydb-migrate.json`,
      { location },
    );
  }
  const raw = values[name];
  let value: unknown;
  try {
    value = raw === null ? nullFor(type, name) : parseParamValue(type, String(raw));
  } catch (err) {
    throw relocate(err, location, `parameter $${name}: `);
  }
  return { name, type, value, declaration, file };
}

/**
 * The values without those the config file gives for parameters no migration of `set` declares, and a
 * warning for each: one config file serves every --dir of a project. A --param value is never dropped
 * (requireDeclaredParams refuses it when nothing declares it).
 */
export function withoutUndeclaredFileParams(
  set: MigrationSet,
  values: Readonly<Record<string, RawParamValue>>,
  fileParams: readonly string[],
): { params: Readonly<Record<string, RawParamValue>>; warnings: Warning[] } {
  const declared = declaredNames(set);
  const unused = fileParams.filter((name) => !declared.includes(name));
  if (unused.length === 0) return { params: values, warnings: [] };
  const params = Object.fromEntries(Object.entries(values).filter(([name]) => !unused.includes(name)));
  const warnings = unused.map((name) => ({
    code: 'PARAM_UNUSED',
    message: `the config file's "params" sets '${name}', which no migration in ${set.manifest.path} declares, so it is not used here${hintFor(name, declared)}`,
  }));
  return { params: Object.freeze(params), warnings };
}

function declaredNames(set: MigrationSet): string[] {
  return [...new Set(set.migrations.flatMap((m) => [m.up, ...(m.down ? [m.down] : [])]).flatMap((t) => t.declarations.map((d) => d.name)))];
}

/** "; did you mean x?" when a declared name is close, else ''. */
function hintFor(name: string, declared: readonly string[]): string {
  const near = suggestions(name, declared);
  return near.length > 0 ? `; did you mean ${near.join(', ')}?` : '';
}

/**
 * Refuses values for parameters that no migration declares: a typo in
 * `--param enviroment=prod` would otherwise be ignored while the migration
 * that needs `environment` fails, or worse, is not run with it.
 */
export function requireDeclaredParams(set: MigrationSet, values: Readonly<Record<string, RawParamValue>>): void {
  if (Object.keys(values).length === 0) return;
  const declared = declaredNames(set);
  const unknown = Object.keys(values).filter((name) => !declared.includes(name));
  if (unknown.length === 0) return;
  const lines = unknown.map((name) => {
    const near = suggestions(name, declared);
    const hint = near.length > 0 ? `did you mean ${near.join(', ')}?` : declared.length > 0 ? `the declared ones are ${declared.join(', ')}` : 'no migration declares any parameter';
    return `'${name}' (${hint})`;
  });
  throw new MigrateError(
    'PARAM_UNKNOWN',
    `no migration in ${set.manifest.path} declares ${unknown.length === 1 ? 'the parameter' : 'the parameters'} ${lines.join(', ')}; fix the name in --param or in the config's "params", or remove it`,
  );
}

function nullFor(type: YqlType, name: string): null {
  if (type.kind !== 'optional') {
    throw new MigrateError('PARAM_INVALID', `null given for $${name}, but ${formatType(type)} is not Optional; declare it as ${formatType(type)}? or give a value`);
  }
  return null;
}

/** Gives an error from the type/value parsers the location of the DECLARE it concerns. */
function relocate(err: unknown, location: { file: string; line: number; column: number }, prefix = ''): MigrateError {
  if (err instanceof MigrateError) {
    return new MigrateError(err.code, `${prefix}${err.message}`, { location, kind: 'input', cause: err });
  }
  return new MigrateError('PARAM_INVALID', `${prefix}${String(err)}`, { location, cause: err });
}
