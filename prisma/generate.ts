// Generates both Prisma clients (SQLite and PostgreSQL) without network access: the CLI only
// needs PRISMA_SCHEMA_ENGINE_BINARY to name an existing file to skip its engine download,
// because generation itself runs in WebAssembly. Runs on `npm install` (postinstall).
import { spawnSync } from 'node:child_process';
import { ENGINES, PROVIDER_FILES } from '../src/store/db/providers';

const env = {
  ...process.env,
  PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY || process.execPath,
  PRISMA_HIDE_UPDATE_MESSAGE: '1',
  CHECKPOINT_DISABLE: '1',
};

for (const engine of ENGINES) {
  const { schemaFile } = PROVIDER_FILES[engine];
  const result = spawnSync(process.execPath, [require.resolve('prisma/build/index.js'), 'generate', '--schema', schemaFile], {
    env,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (result.status !== 0) {
    console.error(`prisma generate failed for ${engine} (${schemaFile}).`);
    process.exit(result.status ?? 1);
  }
}
