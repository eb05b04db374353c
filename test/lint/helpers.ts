/** Migrations built from strings, as loadMigrationSet would give them, for lint tests without files. */
import { checksumOf } from '../../lib/checksum.js';
import type { Migration, MigrationText } from '../../lib/migration.js';
import { toBlocks } from '../../lib/yql/blocks.js';

export function migrationText(path: string, text: string): MigrationText {
  return { path, text, checksum: checksumOf(text), ...toBlocks(text, path) };
}

/** `[name, up, down]` triples; a down of `null` means no down file. */
export function migrations(...specs: [name: string, up: string, down: string | null][]): Migration[] {
  return specs.map(([name, up, down], index) => ({
    name,
    index,
    manifestLine: index + 1,
    up: migrationText(`${name}.up.yql`, up),
    down: down === null ? null : migrationText(`${name}.down.yql`, down),
  }));
}
