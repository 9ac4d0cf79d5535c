// `npm run bench:audit -- [--rows N] [--db sqlite|postgres]`: how long `audit verify` takes (BENCHMARKS.md).
import { Command, InvalidArgumentError } from 'commander';
import { z } from 'zod';
import { chainHash, GENESIS_HASH, inCanonicalOrder } from '../src/domain/auditChain';
import { verifyAuditChain } from '../src/store/audit/auditChain';
import { Prisma, type Db } from '../src/store/db/database';
import type { Engine } from '../src/store/db/providers';
import { createBenchDatabase, DEFAULT_POSTGRES_URL } from './benchDatabase';

const START = Date.parse('2026-01-01T00:00:00Z');
const PER_STATEMENT = 2000;
const ACTIONS = ['child.update', 'case.verify', 'child.read', 'case.read', 'export.children', 'token.rejected'];

/** Sealed rows as the sealer would have written them: details of a few keys, like the service's, stored in canonical order as recordAudit writes them. */
async function writeSealedRows(db: Db, engine: Engine, rows: number, progress: (line: string) => void): Promise<void> {
  const jsonValue = engine === 'postgresql' ? (text: string) => Prisma.sql`${text}::jsonb` : (text: string) => Prisma.sql`${text}`;
  let hash = GENESIS_HASH;
  for (let start = 1; start <= rows; start += PER_STATEMENT) {
    const values: Prisma.Sql[] = [];
    for (let seq = start; seq < Math.min(start + PER_STATEMENT, rows + 1); seq += 1) {
      const row = {
        seq,
        id: seq,
        at: new Date(START + seq * 1000),
        actor: `token:${seq % 97}`,
        action: ACTIONS[seq % ACTIONS.length]!,
        subjectType: 'Child',
        subjectId: String(seq % 100_000),
        detail: { before: { school: '城关小学', grade: seq % 9 }, after: { school: '城关小学', grade: (seq % 9) + 1 } },
      };
      hash = chainHash(hash, row);
      values.push(Prisma.sql`(${row.id}, ${row.seq}, ${row.at}, ${row.actor}, ${row.action}, ${row.subjectType}, ${row.subjectId}, ${jsonValue(JSON.stringify(inCanonicalOrder(row.detail)))}, ${hash})`);
    }
    await db.$executeRaw(Prisma.sql`INSERT INTO "AuditLog" ("id", "seq", "at", "actor", "action", "subjectType", "subjectId", "detail", "hash") VALUES ${Prisma.join(values)}`);
    if (start % 100_000 === 1) progress(`${start - 1} rows written`);
  }
  await db.auditChainHead.create({ data: { id: 1, lastSeq: rows, lastHash: hash } });
  await db.$executeRawUnsafe('ANALYZE');
}

const program = new Command('bench:audit')
  .option('--rows <n>', 'sealed audit rows', (raw) => {
    const parsed = z.coerce.number().int().min(1).max(20_000_000).safeParse(raw);
    if (!parsed.success) throw new InvalidArgumentError('--rows must be a whole number from 1 to 20,000,000');
    return parsed.data;
  }, 1_000_000)
  .option('--db <engine>', 'sqlite or postgres', 'sqlite')
  .option('--batch-size <n>', 'rows per query, as `audit verify --batch-size`', (raw) => Number(raw), 50_000)
  .option('--workers <n>', 'worker threads (default: as `audit verify` chooses, one a core up to four)', (raw) => Number(raw))
  .action(async (options: { rows: number; db: string; batchSize: number; workers?: number }) => {
    const engine: Engine = options.db === 'sqlite' ? 'sqlite' : 'postgresql';
    const progress = (line: string) => process.stderr.write(`… ${line}\n`);
    const bench = await createBenchDatabase(engine, process.env.SHOUWANG_BENCH_POSTGRES_URL || DEFAULT_POSTGRES_URL);
    const database = await bench.open();
    try {
      await writeSealedRows(database.db, engine, options.rows, progress);
      const started = process.hrtime.bigint();
      const cpuStart = process.cpuUsage();
      const report = await verifyAuditChain(database, { batchSize: options.batchSize, workers: options.workers });
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      // The process's CPU, worker threads included.
      const cpu = process.cpuUsage(cpuStart);
      process.stdout.write(
        `audit verify, ${engine}: ${report.checked} rows in ${seconds.toFixed(2)} s (${Math.round(report.checked / seconds)} rows/s, CPU ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s), break: ${JSON.stringify(report.break)}, peak RSS ${Math.round(process.memoryUsage().rss / 1e6)} MB\n`,
      );
      if (report.break || report.checked !== options.rows || seconds >= 10) process.exitCode = 1;
    } finally {
      await database.close();
      await bench.drop();
    }
  });

program.parseAsync().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
