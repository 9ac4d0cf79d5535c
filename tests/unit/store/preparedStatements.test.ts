import Database from 'better-sqlite3';
import { keepingStatementsPrepared } from '../../../src/store/db/preparedStatements';

/** The adapter's way of using a connection: prepare, bind, then run or read raw rows. */
function query(db: Database.Database, sql: string, args: unknown[]) {
  const statement = db.prepare(sql).bind(args) as unknown as { reader: boolean; run(): Database.RunResult; raw(): { all(): unknown[][] } };
  return statement.reader ? statement.raw().all() : statement.run();
}

describe('statements kept prepared for the Prisma adapter', () => {
  let raw: Database.Database;
  let prepares: jest.SpyInstance;
  let db: Database.Database;
  beforeEach(() => {
    raw = new Database(':memory:');
    raw.exec('CREATE TABLE child (id INTEGER PRIMARY KEY, name TEXT)');
    prepares = jest.spyOn(raw, 'prepare');
    db = keepingStatementsPrepared(raw);
  });
  afterEach(() => raw.close());

  it('prepares a statement once and runs it with each call’s own arguments', () => {
    query(db, 'INSERT INTO child (name) VALUES (?)', ['小明']);
    query(db, 'INSERT INTO child (name) VALUES (?)', ['小红']);
    expect(query(db, 'SELECT name FROM child WHERE id = ?', [2])).toEqual([['小红']]);
    expect(query(db, 'SELECT name FROM child WHERE id = ?', [1])).toEqual([['小明']]);
    expect(prepares).toHaveBeenCalledTimes(2);
  });

  it('reports changes of a write as the driver does', () => {
    query(db, 'INSERT INTO child (name) VALUES (?)', ['小明']);
    query(db, 'INSERT INTO child (name) VALUES (?)', ['小红']);
    expect(query(db, 'UPDATE child SET name = ? WHERE id > ?', ['某', 0])).toMatchObject({ changes: 2 });
  });

  it('keeps a bounded number of statements, preparing again one let go', () => {
    for (let i = 0; i < 501; i += 1) query(db, `SELECT ${i} AS n`, []);
    expect(prepares).toHaveBeenCalledTimes(501);
    query(db, 'SELECT 500 AS n', []);
    expect(prepares).toHaveBeenCalledTimes(501);
    query(db, 'SELECT 0 AS n', []);
    expect(prepares).toHaveBeenCalledTimes(502);
  });

  it('leaves everything else of the connection as it was', () => {
    db.exec('INSERT INTO child (name) VALUES (\'小刚\')');
    expect(db.open).toBe(true);
    expect(query(db, 'SELECT COUNT(*) FROM child', [])).toEqual([[1]]);
  });
});
