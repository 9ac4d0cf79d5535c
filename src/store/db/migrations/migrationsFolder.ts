import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import type { MigrationList } from '@prisma/schema-engine-wasm' with { 'resolution-mode': 'import' };

export const MIGRATION_FILE = 'migration.sql';
/**
 * The models the newest migration was made from: the next migration is diffed from it, no database
 * needed. Only the newest migration keeps one, so the folder shows migrations, not copies.
 */
export const SNAPSHOT_FILE = 'schema.prisma';
export const LOCK_FILE = 'migration_lock.toml';

/** Migration folder names in the order they apply (their timestamp prefix sorts them). */
export function migrationNames(migrationsDir: string): string[] {
  if (!existsSync(migrationsDir)) return [];
  return readdirSync(migrationsDir)
    .filter((name) => statSync(path.join(migrationsDir, name)).isDirectory())
    .filter((name) => existsSync(path.join(migrationsDir, name, MIGRATION_FILE)))
    .sort();
}

/** The migrations folder in the shape Prisma's schema engine reads it. */
export function readMigrationList(migrationsDir: string): MigrationList {
  const lockPath = path.join(migrationsDir, LOCK_FILE);
  return {
    baseDir: migrationsDir,
    lockfile: { path: LOCK_FILE, content: existsSync(lockPath) ? readFileSync(lockPath, 'utf8') : null },
    shadowDbInitScript: '',
    migrationDirectories: migrationNames(migrationsDir).map((name) => ({
      path: name,
      migrationFile: {
        path: MIGRATION_FILE,
        content: { tag: 'ok', value: readFileSync(path.join(migrationsDir, name, MIGRATION_FILE), 'utf8') },
      },
    })),
  };
}

/** The schema snapshot kept with the newest migration (the newest one that has it), or null before the first one. */
export function latestSnapshot(migrationsDir: string): { name: string; content: string } | null {
  const names = migrationNames(migrationsDir);
  for (const name of names.reverse()) {
    const file = path.join(migrationsDir, name, SNAPSHOT_FILE);
    if (existsSync(file)) return { name, content: readFileSync(file, 'utf8') };
  }
  return null;
}

/** Removes the snapshots of every migration but the one named: after a new migration, only its snapshot is needed. */
export function keepOnlySnapshotOf(migrationsDir: string, newest: string): void {
  for (const name of migrationNames(migrationsDir)) {
    if (name !== newest) rmSync(path.join(migrationsDir, name, SNAPSHOT_FILE), { force: true });
  }
}
