import { readFileSync } from 'node:fs';
import type { DatabaseTarget } from '../../../config';
import { PROVIDER_FILES, type ProviderFiles } from '../providers';
import { readMigrationList } from './migrationsFolder';
import { NO_FILTERS, withSchemaEngine } from './schemaEngine';

/**
 * Replays the migrations folder on a shadow database beside `target` and diffs the result
 * against prisma's schema: the SQL needed to make them match, or null when they already do.
 */
export async function driftBetweenMigrationsAndSchema(
  target: DatabaseTarget,
  files: ProviderFiles = PROVIDER_FILES[target.engine],
): Promise<string | null> {
  const schema = { path: files.schemaFile, content: readFileSync(files.schemaFile, 'utf8') };
  const database = target.engine === 'sqlite' ? { engine: 'sqlite' as const, file: target.file } : { engine: 'postgresql' as const, url: target.url };
  const result = await withSchemaEngine(database, schema, (engine) =>
    engine.diff({
      from: { tag: 'migrations', ...readMigrationList(files.migrationsDir) },
      to: { tag: 'schemaDatamodel', files: [schema] },
      script: true,
      exitCode: null,
      filters: NO_FILTERS,
    }),
  );
  const sql = (result.stdout ?? '').trim();
  const statements = sql.split('\n').filter((line) => line.trim() && !line.trim().startsWith('--'));
  return statements.length > 0 ? sql : null;
}
