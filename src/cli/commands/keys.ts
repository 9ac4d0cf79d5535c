import type { Command } from 'commander';
import { z } from 'zod';
import { resolveDataKey } from '../../store/crypto/dataKey';
import { rotateTextKeys, textKeyUses, type RotationProgress } from '../../store/crypto/keyRotation';
import { addTextKeyToFile } from '../../store/crypto/textKeys';
import { parseOptions, type CliContext } from '../context';

const rotateOptions = z.object({
  batchSize: z.coerce.number().int().min(1).max(10_000).default(200),
});

export function registerKeysCommands(program: Command, context: CliContext): void {
  const keys = program
    .command('keys')
    .description('the keys that seal sensitive texts: which values each still holds, and which can be retired')
    .action(async () => {
      const config = context.config();
      const { keys: uses, clear } = await context.withDatabase(({ db }, _cipher, keyring) =>
        textKeyUses(db, keyring, { now: new Date(), backupRetentionDays: config.backupRetentionDays, attachmentDir: config.attachments.dir }),
      );
      for (const use of uses) {
        const state = use.current
          ? 'current'
          : use.retirable
            ? `can be retired (unused since ${use.unusedSince!.toISOString()}, older than every retained backup)`
            : use.unusedSince
              ? `keep until ${new Date(use.unusedSince.getTime() + config.backupRetentionDays * 86_400_000).toISOString()}: backups from before then need it`
              : 'still holds values: run `keys rotate`';
        context.print(`${use.id}  ${String(use.values).padStart(8)} values  ${state}`);
      }
      if (clear > 0) context.print(`${clear} values are not sealed yet (written before encryption): run \`keys rotate\`.`);
    });

  keys
    .command('rotate')
    .description('seal every sensitive text with the current key (a new one on a SQLite install that keeps its keys on disk), in batches; resumes where a killed run stopped')
    .option('--batch-size <n>', 'rows per transaction', '200')
    .action(async (raw: unknown) => {
      const options = parseOptions(rotateOptions, raw);
      const config = context.config();
      const unfinished = await context.withDatabase(async ({ db }, _cipher, keyring) => {
        const { keys: uses, clear } = await textKeyUses(db, keyring, { now: new Date(), backupRetentionDays: config.backupRetentionDays, attachmentDir: config.attachments.dir });
        return clear > 0 || uses.some((use) => !use.current && use.values > 0);
      });
      if (unfinished) context.print('Carrying on with the unfinished rotation to the current key.');
      else if (config.textKeys === undefined && config.database.engine === 'sqlite') {
        addTextKeyToFile(config, resolveDataKey(config).key);
        context.print('Made a new text key (kept first in the key file; back the file up).');
      }
      const result = await context.withDatabase(({ db }, _cipher, keyring) =>
        rotateTextKeys(db, keyring, { batchSize: options.batchSize, now: new Date(), attachmentDir: config.attachments.dir, onProgress: drawProgress }),
      );
      process.stderr.write('\n');
      context.print(`Resealed ${result.resealed} of ${result.total} values (rows and attachment files); every sensitive text is under the current key.`);
    });
}

function drawProgress({ done, total }: RotationProgress): void {
  const width = 30;
  const filled = total === 0 ? width : Math.min(width, Math.round((done / total) * width));
  process.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`);
}
