import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from './api/app';
import type { Config } from './config';
import type { Logger } from './log';
import { openDatabase, type Database } from './store/database';
import { resolveDataKey } from './store/dataKey';
import { checkDataKeyFingerprint } from './store/dataKeyFingerprint';
import { migrateDatabase } from './store/migrations/migrate';

export interface RunningService {
  url: string;
  database: Database;
  stop(): Promise<void>;
}

/** Start-up order matters: every check that can refuse runs before anything is written. */
export async function startService(config: Config, logger: Logger): Promise<RunningService> {
  const dataKey = resolveDataKey(config);
  if (dataKey.generatedAt) {
    logger.warn(
      { file: dataKey.generatedAt },
      'No SHOUWANG_DATA_KEY set: generated a data key beside the database. Back it up; without it stored ID numbers cannot be read.',
    );
  }
  const applied = await migrateDatabase(config.database);
  if (applied.length > 0) logger.info({ applied }, 'database migrated');

  const database = await openDatabase(config.database);
  try {
    await checkDataKeyFingerprint(database.db, dataKey.key);
  } catch (error) {
    await database.close();
    throw error;
  }
  const app = createApp({ database, logger });
  const server = await listen(app.callback(), config.host, config.port);
  const { port } = server.address() as AddressInfo;
  const url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`;
  logger.info({ url, engine: database.engine }, 'Shouwang is listening');
  return {
    url,
    database,
    stop: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await database.close();
    },
  };
}

function listen(handler: RequestListener, host: string, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer(handler);
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}
