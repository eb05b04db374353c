/**
 * An Alembic project equivalent to bench/offline's synthetic migrations (a table and a row per
 * revision, a drop in the downgrade), for timing `alembic upgrade head --sql` side by side.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface AlembicPython {
  executable: string;
  version: string;
}

/** The first python3 that has Alembic: the one on PATH, then Debian's (python3-alembic). */
export function findAlembicPython(): AlembicPython | null {
  for (const executable of ['python3', '/usr/bin/python3']) {
    const probe = spawnSync(executable, ['-m', 'alembic', '--version'], { encoding: 'utf8' });
    const version = /alembic (\S+)/.exec(probe.stdout ?? '')?.[1];
    if (probe.status === 0 && version) return { executable, version };
  }
  return null;
}

const ENV_PY = `from alembic import context

context.configure(url=context.config.get_main_option("sqlalchemy.url"), literal_binds=True)
with context.begin_transaction():
    context.run_migrations()
`;

export function writeAlembicChain(dir: string, n: number): void {
  const versions = join(dir, 'migrations', 'versions');
  mkdirSync(versions, { recursive: true });
  writeFileSync(join(dir, 'alembic.ini'), '[alembic]\nscript_location = %(here)s/migrations\nsqlalchemy.url = sqlite://\n');
  writeFileSync(join(dir, 'migrations', 'env.py'), ENV_PY);
  for (let i = 1; i <= n; i++) {
    const down = i === 1 ? 'None' : `'r${i - 1}'`;
    writeFileSync(
      join(versions, `r${i}.py`),
      `import sqlalchemy as sa\nfrom alembic import op\n\nrevision = 'r${i}'\ndown_revision = ${down}\n\n` +
        `def upgrade():\n    op.create_table('t_${i}', sa.Column('id', sa.BigInteger, primary_key=True), sa.Column('note', sa.Unicode))\n` +
        `    op.execute("INSERT INTO t_${i} (id, note) VALUES (1, 'row ${i}; with a '';'' inside')")\n\n` +
        `def downgrade():\n    op.drop_table('t_${i}')\n`,
    );
  }
}
