import { spawnSync } from 'node:child_process';
import path from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { backupTo, readManifest, restoreFrom } from '../../store/db/backup';
import { dataKeyForRestore } from '../../store/crypto/dataKey';
import { dataKeyFingerprint } from '../../store/crypto/dataKeyFingerprint';
import { textKeyId } from '../../store/crypto/textKeyring';
import { textKeysFor } from '../../store/crypto/textKeys';
import { createMigration, writeDerivedPostgresSchema } from '../../store/db/migrations/createMigration';
import { migrateDatabase, readMigrationState } from '../../store/db/migrations/migrate';
import { driftBetweenMigrationsAndSchema } from '../../store/db/migrations/schemaDrift';
import { parseOptions, UsageError, type CliContext } from '../context';

const migrationName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_]*$/, 'use lower-case letters, digits and underscores, e.g. add_child_nickname');

export function registerDbCommands(program: Command, context: CliContext): void {
  const db = program.command('db').description('database schema and migrations (no schema-engine binary needed)');

  db.command('migrate')
    .description('apply pending migrations to the database in DATABASE_URL')
    .action(async () => {
      const applied = await migrateDatabase(context.config().database);
      context.print(applied.length ? `Applied ${applied.length} migration(s): ${applied.join(', ')}` : 'The database is up to date.');
    });

  db.command('status')
    .description('list applied and pending migrations')
    .action(async () => {
      const state = await readMigrationState(context.config().database);
      context.print(`Applied: ${state.applied.length ? state.applied.join(', ') : 'none'}`);
      context.print(`Pending: ${state.pending.length ? state.pending.join(', ') : 'none'}`);
      if (state.unknown.length) context.print(`Unknown to this code (database is newer): ${state.unknown.join(', ')}`);
    });

  db.command('migration')
    .argument('<name>', 'what the change does, e.g. add_child_nickname')
    .description('create migrations for SQLite and PostgreSQL from the change to prisma/schema.prisma, offline')
    .action(async (name: string) => {
      const label = parseOptions(z.object({ name: migrationName }), { name }).name;
      const created = await createMigration(label, new Date());
      if (created.length === 0) {
        context.print('prisma/schema.prisma has not changed since the latest migration; nothing to create.');
        return;
      }
      for (const migration of created) context.print(`Created ${path.relative(process.cwd(), migration.dir)}`);
      context.print('Regenerate the clients with `npm run cli -- db generate`, then apply with `npm run cli -- db migrate`.');
    });

  db.command('derive')
    .description('rewrite prisma/postgresql/schema.prisma from the models in prisma/schema.prisma')
    .action(() => {
      context.print(writeDerivedPostgresSchema() ? 'Updated prisma/postgresql/schema.prisma.' : 'prisma/postgresql/schema.prisma is up to date.');
    });

  db.command('generate')
    .description('generate both Prisma clients offline (also run by npm install)')
    .action(() => {
      const result = spawnSync(process.execPath, ['--import', 'tsx', path.resolve(__dirname, '../../../prisma/generate.ts')], {
        stdio: 'inherit',
      });
      process.exitCode = result.status ?? 1;
    });

  db.command('backup')
    .argument('<folder>', 'a new (or empty) folder to write the backup into')
    .description('back up the database (online: the service may run) and the attachments, with the data key fingerprint')
    .action(async (folder: string) => {
      const config = context.config();
      const manifest = await backupTo(path.resolve(folder), config.database, config.attachments.dir, new Date());
      const counts = Object.entries(manifest.counts).map(([table, count]) => `${table} ${count}`).join(', ');
      context.print(`Backed up the ${manifest.engine} database and ${manifest.attachments} attachment file(s) into ${folder}: ${counts}.`);
      context.print(`Data key fingerprint ${manifest.dataKeyFingerprint ?? '(none yet)'}: keep the key itself apart from the backups.`);
    });

  db.command('restore')
    .argument('<folder>', 'a folder written by db backup')
    .description('restore a backup into an empty database (DATABASE_URL) and the attachment folder')
    .action(async (folder: string) => {
      const config = context.config();
      const manifest = await readManifest(path.resolve(folder));
      const key = dataKeyForRestore(config);
      if (manifest.dataKeyFingerprint !== null && dataKeyFingerprint(key) !== manifest.dataKeyFingerprint) {
        throw new UsageError('The data key (SHOUWANG_DATA_KEY or shouwang.key in the data folder) is not the one this backup was encrypted with; nothing was restored.');
      }
      await restoreFrom(path.resolve(folder), config.database, config.attachments.dir, textKeysFor(config, key).map(textKeyId));
      const counts = Object.entries(manifest.counts).map(([table, count]) => `${table} ${count}`).join(', ');
      context.print(`Restored the backup of ${manifest.createdAt}: ${counts}; ${manifest.attachments} attachment file(s). Start the service: newer migrations are applied then.`);
    });

  db.command('check')
    .description('replay the migrations on a shadow database and compare them with prisma/schema.prisma')
    .action(async () => {
      const drift = await driftBetweenMigrationsAndSchema(context.config().database);
      if (drift === null) {
        context.print('The migrations produce exactly prisma/schema.prisma.');
        return;
      }
      context.print('The migrations differ from prisma/schema.prisma; create a migration for this change:');
      context.print(drift);
      process.exitCode = 1;
    });
}
