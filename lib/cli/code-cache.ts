/**
 * A CommonJS file loaded through V8's code cache: the bundled CLI keeps ydb-sdk's code (megabytes of
 * generated protobuf code) in one CommonJS file, and compiling it was most of an online command's
 * start-up. The build runs the file once and saves what V8 compiled meanwhile beside it, in a file
 * named after the V8 version (another Node finds none). At run time the cache is used only when its
 * digest binds it to this very source; V8 itself refuses a cache of another version or flags, and then
 * the file is compiled afresh: slower, never different. Nothing is written at run time.
 */
import { createHash } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire, Module } from 'node:module';
import { dirname } from 'node:path';
import { Script } from 'node:vm';

/** Node's own CommonJS wrapper, on the first line so that line numbers in stack traces stay the file's. */
const WRAP_START = '(function (exports, require, module, __filename, __dirname) { ';
const WRAP_END = '\n})';
const DIGEST_BYTES = 32;

/** Where the build puts the code cache of `file` for the V8 running this process. */
export function codeCacheFileOf(file: string): string {
  return `${file}.v8-${process.versions.v8}.cache`;
}

/** What became of a file's code cache: used; none for this V8; untrusted (damaged, or made for another source); rejected by V8 (another build of V8, other flags). */
export type CodeCacheUse = 'used' | 'none' | 'untrusted' | 'rejected';

/** The module.exports of the CommonJS `file`, compiled from its code cache when one made for this source is there and V8 takes it. */
export function loadCommonJs(file: string): unknown {
  return run(compileCommonJs(file).script, file);
}

/** Compiles the CommonJS `file` (not run yet), from its code cache if the cache is sound, else afresh. */
export function compileCommonJs(file: string): { script: Script; cache: CodeCacheUse } {
  const source = readFileSync(file);
  const cached = readCache(file, source);
  if (typeof cached === 'string') return { script: compile(file, source, undefined), cache: cached };
  const script = compile(file, source, cached);
  return { script, cache: script.cachedDataRejected ? 'rejected' : 'used' };
}

/** Build time: writes the code cache of `file` from `script`, its compiled and run source, with the functions compiled so far. */
export function saveCodeCache(script: Script, file: string): void {
  const data = script.createCachedData();
  const cacheFile = codeCacheFileOf(file);
  writeFileSync(`${cacheFile}.tmp`, Buffer.concat([digest(readFileSync(file), data), data]));
  renameSync(`${cacheFile}.tmp`, cacheFile);
}

/**
 * The cached data, if its digest matches this source and the data itself. V8 checks only the
 * source's length and, in release builds, not the data's checksum: a cache of an edited file, or a
 * damaged one, would run stale code or crash.
 */
function readCache(file: string, source: Buffer): Buffer | 'none' | 'untrusted' {
  let stored: Buffer;
  try {
    stored = readFileSync(codeCacheFileOf(file));
  } catch {
    return 'none';
  }
  const data = stored.subarray(DIGEST_BYTES);
  return data.length > 0 && digest(source, data).equals(stored.subarray(0, DIGEST_BYTES)) ? data : 'untrusted';
}

function digest(source: Buffer, data: Buffer): Buffer {
  return createHash('sha256').update(source).update(data).digest();
}

/** When V8 rejects cachedData (script.cachedDataRejected), it compiles the source as if none were given. */
function compile(file: string, source: Buffer, cachedData: Buffer | undefined): Script {
  return new Script(`${WRAP_START}${source.toString('utf8')}${WRAP_END}`, { filename: file, ...(cachedData ? { cachedData } : {}) });
}

/** Runs the wrapped file as require() would, and lists it in require.cache as require() does. */
function run(script: Script, file: string): unknown {
  const require = createRequire(file);
  const module = new Module(file);
  module.filename = file;
  require.cache[file] = module;
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  wrapper.call(module.exports, module.exports, require, module, file, dirname(file));
  module.loaded = true;
  return module.exports;
}
