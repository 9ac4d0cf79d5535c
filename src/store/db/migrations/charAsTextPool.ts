import { Pool, type PoolConfig, type QueryResult } from 'pg';

const PG_CHAR_OID = 18;
const PG_TEXT_OID = 25;

/**
 * PostgreSQL's catalogs use the one-byte `"char"` type, which the Prisma pg adapter cannot
 * describe, so the schema engine fails to read a database's schema through it. The value
 * already arrives as a string; reporting the column as text lets the engine read it.
 */
export class CharAsTextPool extends Pool {
  constructor(config: PoolConfig) {
    super(config);
  }

  override query(...args: unknown[]): never {
    const result = (super.query as (...a: unknown[]) => unknown)(...args);
    if (!(result instanceof Promise)) return result as never;
    return result.then((rows: QueryResult) => {
      for (const field of rows.fields ?? []) {
        if (field.dataTypeID === PG_CHAR_OID) field.dataTypeID = PG_TEXT_OID;
      }
      return rows;
    }) as never;
  }
}
