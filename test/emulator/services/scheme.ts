/**
 * Scheme service: ListDirectory and DescribePath over the engine's tables,
 * answered as YDB's SchemeShard does (Ydb.Scheme.ListDirectoryResult,
 * DescribePathResult; paths absolute, a trailing `/` ignored). Folders are
 * the ones table paths create; the database root also holds YDB's `.sys`.
 * Other scheme operations are refused.
 */
import { Ydb, type YdbTypes } from '../ydb-proto.js';
import type { Engine } from '../engine/index.js';
import { operationFailed, operationOk, resultType } from '../operation.js';
import { defineService, unary, type Gate } from '../rpc.js';
import { YdbFailure } from '../status.js';

const S = Ydb.Scheme;
const { DIRECTORY, TABLE } = S.Entry.Type;
const listDirectoryResult = resultType('Ydb.Scheme.ListDirectoryResult', S.ListDirectoryResult);
const describePathResult = resultType('Ydb.Scheme.DescribePathResult', S.DescribePathResult);
/** The system view folder every YDB database has. */
const SYSTEM_FOLDER = '.sys';

export function schemeService(gate: Gate, engine: Engine) {
  const tree = (): SchemeTree => new SchemeTree(engine.listTables());
  return defineService(gate, 'scheme', 'Ydb.Scheme.V1.SchemeService', {
    ListDirectory: unary({
      request: S.ListDirectoryRequest,
      response: S.ListDirectoryResponse,
      failure: operationFailed,
      handle(req) {
        const path = inDatabase(gate.database, req.path);
        const scheme = tree();
        const self = scheme.entry(path);
        if (self.type === TABLE) throw YdbFailure.of('BAD_REQUEST', `The ydb-migrate test emulator does not list a table's children (indexes, changefeeds): ${req.path}`);
        return operationOk(listDirectoryResult, { self, children: scheme.children(path) });
      },
    }),
    DescribePath: unary({
      request: S.DescribePathRequest,
      response: S.DescribePathResponse,
      failure: operationFailed,
      handle(req) {
        return operationOk(describePathResult, { self: tree().entry(inDatabase(gate.database, req.path)) });
      },
    }),
  });
}

/** The database's paths at one moment: tables and the folders above them, relative to the database ('' is its root). */
class SchemeTree {
  private readonly tables: Set<string>;
  private readonly folders = new Set<string>(['', SYSTEM_FOLDER]);

  constructor(tables: readonly string[]) {
    this.tables = new Set(tables);
    for (const table of tables) {
      const parts = table.split('/');
      for (let i = 1; i < parts.length; i++) this.folders.add(parts.slice(0, i).join('/'));
    }
  }

  entry(path: string): YdbTypes.Scheme.IEntry {
    const name = path.split('/').pop()!;
    if (this.tables.has(path)) return { name, type: TABLE };
    if (this.folders.has(path)) return { name, type: DIRECTORY };
    throw YdbFailure.of('SCHEME_ERROR', 'Path not found');
  }

  children(folder: string): YdbTypes.Scheme.IEntry[] {
    const prefix = folder === '' ? '' : `${folder}/`;
    const names = new Set<string>();
    for (const path of [...this.tables, ...this.folders]) {
      if (path === folder || !path.startsWith(prefix)) continue;
      const rest = path.slice(prefix.length);
      if (!rest.includes('/')) names.add(rest);
    }
    return [...names].sort().map((name) => this.entry(`${prefix}${name}`));
  }
}

/** `/local/dir/` → `dir`; `/local` → ''. Paths outside the database are not found, as in YDB. */
function inDatabase(database: string, requested: string): string {
  const path = `/${requested.split('/').filter((p) => p !== '').join('/')}`;
  if (path === database) return '';
  if (!path.startsWith(`${database}/`)) throw YdbFailure.of('SCHEME_ERROR', 'Path not found');
  return path.slice(database.length + 1);
}
