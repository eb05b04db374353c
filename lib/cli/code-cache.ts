/**
 * CommonJS files loaded through V8's code cache. The bundled CLI is two CommonJS files (the CLI, and
 * ydb-sdk's megabytes of generated protobuf code that only online commands load), and compiling them
 * was most of a command's start-up. The build runs the CLI once and saves what V8 compiled meanwhile
 * beside each file, named after the V8 version (another Node finds none). At run time a cache is used
 * only when its digest binds it to this very source; V8 itself refuses a cache of another version or
 * flags. Without a usable cache the file is compiled as usual: slower, never different. Nothing is
 * written at run time.
 */
import { createHash } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire, Module } from 'node:module';
import { dirname } from 'node:path';
import v8 from 'node:v8';
import { Script } from 'node:vm';

/**
 * The CLI's one V8 setting, made here because V8 refuses a code cache made under other flags, so the
 * caches must be written and read with it: V8 doubles its young generation, up to two 16 MB halves,
 * while most of what is allocated survives, as when a run loads thousands of migrations. Kept at its
 * first size it costs no measurable time and a quarter of the peak memory (sql of 10,000 migrations:
 * 112 → 87 MiB on Node 20, 159 → 100 MiB on Node 24).
 */
v8.setFlagsFromString('--semi-space-growth-factor=1');

/** Node's own CommonJS wrapper, on the first line so that line numbers in stack traces stay the file's. */
const WRAP_START = '(function (exports, require, module, __filename, __dirname) { ';
const WRAP_END = '\n})';
const DIGEST_BYTES = 32;

/**
 * What became of a file's code cache: used; none for this V8; untrusted (damaged, or made for
 * another source); rejected by V8 (another build of V8, other V8 flags).
 */
export type CodeCacheUse = 'used' | 'none' | 'untrusted' | 'rejected';

/** Where the build puts the code cache of `file` for the V8 running this process. */
export function codeCacheFileOf(file: string): string {
  return `${file}.v8-${process.versions.v8}.cache`;
}

/**
 * Loads the CommonJS `file` from its code cache when one made for this source is there and V8 takes
 * it; else through require() itself, so that Node's own compile cache applies where one is enabled.
 */
export function loadCommonJs(file: string): { exports: unknown; cache: CodeCacheUse } {
  const require = createRequire(file);
  const trusted = trustedCache(file);
  if (typeof trusted === 'string') return { exports: require(file), cache: trusted };
  const script = compile(file, trusted.source, trusted.data);
  // Refused, the cache is ignored and V8 has compiled the source as usual.
  return { exports: run(script, file, require), cache: script.cachedDataRejected ? 'rejected' : 'used' };
}

/** Build time: a first code cache of `file`, made before any run, so that a run loads the file through its cache (and can save it again). */
export function seedCodeCache(file: string): void {
  saveCodeCache(compile(file, readFileSync(file)), file);
}

/** Build time: writes the code cache of `file` from `script`, its compiled source, with the functions compiled so far. */
export function saveCodeCache(script: Script, file: string): void {
  const data = script.createCachedData();
  const cacheFile = codeCacheFileOf(file);
  writeFileSync(`${cacheFile}.tmp`, Buffer.concat([digest(readFileSync(file), data), data]));
  renameSync(`${cacheFile}.tmp`, cacheFile);
}

/**
 * The source and the cached data, if the digest stored with the data matches both. V8 checks a cache
 * against its source's length only, and in release builds checks no checksum of the data: a cache of
 * an edited file would run the old code, a damaged one crash the process.
 */
function trustedCache(file: string): { source: Buffer; data: Buffer } | 'none' | 'untrusted' {
  let stored: Buffer;
  try {
    stored = readFileSync(codeCacheFileOf(file));
  } catch {
    return 'none';
  }
  const source = readFileSync(file);
  const data = stored.subarray(DIGEST_BYTES);
  return data.length > 0 && digest(source, data).equals(stored.subarray(0, DIGEST_BYTES)) ? { source, data } : 'untrusted';
}

function compile(file: string, source: Buffer, cachedData?: Buffer): Script {
  return new Script(`${WRAP_START}${source.toString('utf8')}${WRAP_END}`, { filename: file, ...(cachedData ? { cachedData } : {}) });
}

function digest(source: Buffer, data: Buffer): Buffer {
  return createHash('sha256').update(source).update(data).digest();
}

/** Runs the wrapped file as require() would, listed in require.cache as require() lists it (unless it throws). */
function run(script: Script, file: string, require: NodeJS.Require): unknown {
  const module = new Module(file);
  module.filename = file;
  require.cache[file] = module;
  try {
    const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
    wrapper.call(module.exports, module.exports, require, module, file, dirname(file));
  } catch (err) {
    delete require.cache[file];
    throw err;
  }
  module.loaded = true;
  return module.exports;
}
