import type { CommandModule } from 'yargs';
import type { GlobalArgs } from '../context.js';
import { baselineCommand } from './baseline.js';
import { createCommand } from './create.js';
import { diffCommand } from './diff.js';
import { lintCommand } from './lint.js';
import { downCommand } from './down.js';
import { redoCommand } from './redo.js';
import { repairCommand } from './repair.js';
import { resolveCommand } from './resolve.js';
import { schemaCommand } from './schema.js';
import { sqlCommand } from './sql.js';
import { statusCommand } from './status.js';
import { unlockCommand } from './unlock.js';
import { upCommand } from './up.js';
import { validateCommand } from './validate.js';
import { verifyCommand } from './verify.js';
import { watchCommand } from './watch.js';

// Each command's generic arguments differ; yargs only needs the common base here.
export const commands: CommandModule<GlobalArgs, any>[] = [
  upCommand,
  downCommand,
  redoCommand,
  statusCommand,
  baselineCommand,
  resolveCommand,
  repairCommand,
  unlockCommand,
  watchCommand,
  sqlCommand,
  createCommand,
  validateCommand,
  lintCommand,
  schemaCommand,
  verifyCommand,
  diffCommand,
];
