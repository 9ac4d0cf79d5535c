import { Prisma } from '../generated/sqlite/client';

/**
 * An enum value as an SQL literal for a raw statement: PostgreSQL takes its enum from a literal,
 * not from a text parameter. Only a value of the enum's own list gets into the SQL text.
 */
export function enumLiteral<T extends string>(values: Readonly<Record<string, T>>, value: T): Prisma.Sql {
  if (values[value] !== value) throw new Error(`${JSON.stringify(value)} is not a value of this enum`);
  return Prisma.raw(`'${value}'`);
}
