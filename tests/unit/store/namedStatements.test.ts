import type { SqlQuery } from '@prisma/driver-adapter-utils';
import { behindStatementlessPooler, namingRepeatedStatements } from '../../../src/store/db/namedStatements';

const statement = (sql: string): SqlQuery => ({ sql, args: [], argTypes: [] });
const UNNAMED = '';

describe('naming the statements PostgreSQL keeps parsed', () => {
  it('runs a text unnamed the first time, then names it and keeps the name', () => {
    const nameOf = namingRepeatedStatements();
    const read = statement('SELECT "id" FROM "Child" WHERE "id" = $1');
    expect(nameOf(read)).toBe(UNNAMED);
    const name = nameOf(read);
    expect(name).not.toBe(UNNAMED);
    expect(nameOf(read)).toBe(name);
    expect(nameOf(read)).toBe(name);
  });

  it('gives different texts different names', () => {
    const nameOf = namingRepeatedStatements();
    const texts = ['SELECT 1', 'SELECT 2'].map(statement);
    for (const text of [...texts, ...texts]) nameOf(text);
    expect(nameOf(texts[0]!)).not.toBe(nameOf(texts[1]!));
  });

  it('never names a batch write’s long text', () => {
    const nameOf = namingRepeatedStatements();
    const batch = statement(`INSERT INTO "OutboxMessage" ("text") VALUES ${Array.from({ length: 2000 }, (_, index) => `($${index + 1})`).join(', ')}`);
    expect([nameOf(batch), nameOf(batch), nameOf(batch)]).toEqual([UNNAMED, UNNAMED, UNNAMED]);
  });

  it('names at most 200 texts, and runs the rest unnamed', () => {
    const nameOf = namingRepeatedStatements();
    const named = new Set<string>();
    for (let index = 0; index < 250; index += 1) {
      const text = statement(`SELECT ${index}`);
      nameOf(text);
      named.add(nameOf(text));
    }
    named.delete(UNNAMED);
    expect(named.size).toBe(200);
    expect(nameOf(statement('SELECT 249'))).toBe(UNNAMED);
    expect(nameOf(statement('SELECT 0'))).not.toBe(UNNAMED);
  });

  it('forgets texts seen once after a while, so one-off texts cannot grow without end', () => {
    const nameOf = namingRepeatedStatements();
    const early = statement('SELECT "early"');
    nameOf(early);
    for (let index = 0; index < 5000; index += 1) nameOf(statement(`SELECT ${index} /* once */`));
    expect(nameOf(early)).toBe(UNNAMED);
    expect(nameOf(early)).not.toBe(UNNAMED);
  });
});

describe('a pooler that keeps no statements', () => {
  it('is recognised by Prisma’s pgbouncer flag', () => {
    expect(behindStatementlessPooler('postgresql://shouwang@db:6432/shouwang?pgbouncer=true')).toBe(true);
    expect(behindStatementlessPooler('postgresql://shouwang@db:5432/shouwang')).toBe(false);
    expect(behindStatementlessPooler('postgresql://shouwang@db:5432/shouwang?pgbouncer=false')).toBe(false);
  });
});
