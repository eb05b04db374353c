/** `validate`: every manifest and file check, offline, plus the parameter values that were given. */
import type { RawParamValue } from './params.js';
import { emptyDownWarning, isUnmarkedEmptyDown } from './down-text.js';
import { MigrateErrors, type Warning } from './errors.js';
import { lintErrors } from './lint/lint.js';
import { loadMigrationSet } from './migration.js';
import { bindParam, requireDeclaredParams, withoutUndeclaredFileParams } from './params.js';

export interface ValidationReport {
  migrations: number;
  blocks: number;
  statements: number;
  warnings: Warning[];
}

/** `fileParams`: the names in `given` that come from the config file, which need no declaration (a warning when none has one). */
export async function validateMigrations(dir: string, given: Readonly<Record<string, RawParamValue>>, fileParams: readonly string[] = []): Promise<ValidationReport> {
  const set = await loadMigrationSet(dir);
  // What is wrong in the files first: a parameter the config names may be declared by the fix.
  const errors = lintErrors(set.migrations);
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new MigrateErrors(errors);
  const { params, warnings: unused } = withoutUndeclaredFileParams(set, given, fileParams);
  requireDeclaredParams(set, params);
  const warnings = [...set.warnings, ...unused];
  let blocks = 0;
  let statements = 0;
  for (const migration of set.migrations) {
    if (migration.down && isUnmarkedEmptyDown(migration.down)) warnings.push(emptyDownWarning(migration.name, migration.down.path));
    for (const text of migration.down ? [migration.up, migration.down] : [migration.up]) {
      blocks += text.blocks.length;
      statements += text.statements.filter((s) => s.role !== 'commit').length;
      for (const declaration of text.declarations) {
        const location = { file: text.path, line: declaration.line, column: declaration.column };
        if (Object.prototype.hasOwnProperty.call(params, declaration.name)) {
          bindParam(declaration, text.path, params);
        } else {
          warnings.push({ code: 'PARAM_NO_VALUE', message: `$${declaration.name} has no value yet; up and sql will need --param ${declaration.name}=VALUE`, location });
        }
      }
    }
  }
  return { migrations: set.migrations.length, blocks, statements, warnings };
}
