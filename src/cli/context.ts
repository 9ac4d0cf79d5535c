import { loadConfig, type Config } from '../config';
import type { Database } from '../store/db/database';
import type { NationalIdCipher } from '../store/crypto/nationalIdCipher';
import { prepareDatabase } from '../store/db/preparedDatabase';
import type { TextKeyring } from '../store/crypto/textKeyring';
import { ZodError, type ZodType } from 'zod';

/** What commands share: configuration, and a migrated database opened on demand. */
export interface CliContext {
  config(): Config;
  /** Applies pending migrations first, as `npm start` would, so every command sees current tables. */
  withDatabase<T>(work: (database: Database, cipher: NationalIdCipher, keyring: TextKeyring) => Promise<T>): Promise<T>;
  print(line: string): void;
}

export function createCliContext(): CliContext {
  let config: Config | undefined;
  const context: CliContext = {
    config: () => (config ??= loadConfig()),
    withDatabase: async (work) => {
      const { database, cipher, keyring } = await prepareDatabase(context.config());
      try {
        return await work(database, cipher, keyring);
      } finally {
        await database.close();
      }
    },
    print: (line) => process.stdout.write(`${line}\n`),
  };
  return context;
}

/** A command-line usage problem: shown as one line, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Validates command options with their zod schema, naming the bad option. */
export function parseOptions<T>(schema: ZodType<T>, options: unknown): T {
  try {
    return schema.parse(options);
  } catch (error) {
    if (!(error instanceof ZodError)) throw error;
    const issue = error.issues[0]!;
    throw new UsageError(`Option --${String(issue.path[0])}: ${issue.message}.`);
  }
}
