/**
 * `create NAME`: the next numbered migration pair from templates/, appended
 * to the manifest. Never overwrites: if either file exists, nothing is written.
 */
import { mkdir, readFile, unlink, writeFile, appendFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { MigrateError } from './errors.js';
import { nameProblem, parseManifest } from './manifest.js';
import { MANIFEST_FILE } from './migration.js';
import { renderTemplate } from './templates.js';

export interface CreatedMigration {
  name: string;
  upFile: string;
  downFile: string;
  manifestFile: string;
}

const DEFAULT_NUMBER_WIDTH = 4;

export async function createMigration(dir: string, requested: string, cwd: string = process.cwd()): Promise<CreatedMigration> {
  const slash = requested.lastIndexOf('/');
  const folder = requested.slice(0, slash + 1);
  const base = requested.slice(slash + 1);
  if (/^\d+[_-]/.test(base)) {
    throw new MigrateError('CREATE_NUMBERED', `give the name without a number ('${base.replace(/^\d+[_-]/, '')}'): create numbers it`);
  }
  const manifestPath = join(dir, MANIFEST_FILE);
  const manifestText = await readOptional(manifestPath);
  const display = (p: string) => relative(cwd, p) || p;
  const entries = manifestText === null ? [] : parsedEntries(manifestText, display(manifestPath));
  const name = `${folder}${nextNumber(entries)}_${base}`;
  const problem = nameProblem(name);
  if (problem) throw new MigrateError(problem.code, problem.message);
  if (entries.includes(name)) throw new MigrateError('CREATE_EXISTS', `${name} is already in the manifest`);

  const upFile = join(dir, `${name}.up.yql`);
  const downFile = join(dir, `${name}.down.yql`);
  await mkdir(dirname(upFile), { recursive: true });
  await writeNew(upFile, renderTemplate('migration.up.yql.hbs', { name }), display);
  try {
    await writeNew(downFile, renderTemplate('migration.down.yql.hbs', { name }), display);
  } catch (err) {
    await unlink(upFile);
    throw err;
  }
  if (manifestText === null) {
    await writeFile(manifestPath, `${renderTemplate('manifest.txt.hbs', {})}${name}\n`);
  } else {
    const eol = manifestText.includes('\r\n') ? '\r\n' : '\n';
    const lead = manifestText === '' || manifestText.endsWith('\n') ? '' : eol;
    await appendFile(manifestPath, `${lead}${name}${eol}`);
  }
  return { name, upFile: display(upFile), downFile: display(downFile), manifestFile: display(manifestPath) };
}

function parsedEntries(text: string, path: string): string[] {
  const { manifest, errors } = parseManifest(text, path);
  if (errors.length > 0) {
    throw new MigrateError('CREATE_BAD_MANIFEST', `fix the manifest before adding to it: ${errors[0]!.toString()}`, {
      ...(errors[0]!.location ? { location: errors[0]!.location } : {}),
    });
  }
  return manifest.entries.map((e) => e.name);
}

/** One more than the highest leading number of any manifest entry, as wide as the widest one (4 by default). */
function nextNumber(names: string[]): string {
  let highest = 0n;
  let width = DEFAULT_NUMBER_WIDTH;
  for (const name of names) {
    const match = /^(\d+)[_-]/.exec(name.slice(name.lastIndexOf('/') + 1));
    if (!match) continue;
    const digits = match[1]!;
    width = Math.max(width, digits.length);
    if (BigInt(digits) > highest) highest = BigInt(digits);
  }
  return (highest + 1n).toString().padStart(width, '0');
}

async function readOptional(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new MigrateError('MANIFEST_UNREADABLE', `cannot read ${path}: ${(err as Error).message}`, { cause: err });
  }
}

async function writeNew(path: string, text: string, display: (p: string) => string): Promise<void> {
  try {
    await writeFile(path, text, { flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new MigrateError('CREATE_EXISTS', `${display(path)} already exists; create never overwrites: pick another name or remove the file`);
    }
    throw new MigrateError('CREATE_WRITE', `cannot write ${display(path)}: ${(err as Error).message}`, { kind: 'runtime', cause: err });
  }
}
