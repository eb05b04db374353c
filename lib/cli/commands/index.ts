import type { CommandModule } from 'yargs';
import type { GlobalArgs } from '../context.js';
import { createCommand } from './create.js';
import { sqlCommand } from './sql.js';
import { validateCommand } from './validate.js';

// Each command's generic arguments differ; yargs only needs the common base here.
export const commands: CommandModule<GlobalArgs, any>[] = [sqlCommand, createCommand, validateCommand];
