import type { Command } from 'commander';
import { z } from 'zod';
import type { ChainBreak } from '../../domain/auditChain';
import { sealAuditLog, verifyAuditChain } from '../../store/audit/auditChain';
import { parseOptions, type CliContext } from '../context';

const verifyOptions = z.object({
  batchSize: z.coerce.number().int().min(100).max(100_000).default(50_000),
});

export function registerAuditCommands(program: Command, context: CliContext): void {
  const audit = program.command('audit').description('the tamper-evident audit log');

  audit
    .command('verify')
    .description('check the hash chain of the audit log; exit code 1 and the place of the first break if a row was altered, deleted or moved')
    .option('--batch-size <n>', 'rows read per query', '50000')
    .action(async (raw: unknown) => {
      const options = parseOptions(verifyOptions, raw);
      const started = Date.now();
      const report = await context.withDatabase((database) => verifyAuditChain(database, { batchSize: options.batchSize }));
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      if (report.break) {
        context.print(`Audit chain BROKEN: ${describeBreak(report.break)} (${report.checked} rows intact before it, ${seconds} s).`);
        process.exitCode = 1;
        return;
      }
      context.print(`Audit chain intact: ${report.checked} rows, head ${report.head.lastHash} at #${report.head.lastSeq}; ${report.unsealed} row(s) not yet sealed (${seconds} s).`);
    });

  audit
    .command('seal')
    .description('seal the rows written since the last seal into the chain now (the running service does it every few seconds)')
    .action(async () => {
      const { sealed, head } = await context.withDatabase(({ db }) => sealAuditLog(db, { instance: 'cli', now: new Date(), leaseMs: 60_000, batchSize: 1000 }));
      context.print(head ? `Sealed ${sealed} row(s); head ${head.lastHash} at #${head.lastSeq}.` : 'Nothing to seal, or a running instance holds the sealer lease.');
    });
}

function describeBreak(found: ChainBreak): string {
  switch (found.kind) {
    case 'altered':
      return `row #${found.seq} (id ${found.id}) does not match its hash: altered or moved`;
    case 'missing':
      return `row #${found.seq} is missing (deleted)${found.beforeId === null ? '' : `, before the row with id ${found.beforeId}`}`;
    case 'truncated':
      return `the chain ends at #${found.lastSeq} but was sealed up to #${found.expectedLastSeq}: the last rows were deleted`;
    case 'head_altered':
      return `the rows end at #${found.lastSeq} but the chain head does not match them: the head was altered`;
  }
}
