import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { writeInviteQr } from '../../../bots/wechat-mp/inviteQr';
import { MpApi } from '../../../bots/wechat-mp/mpApi';
import { issueInvite } from '../../usecases/issueInvite';
import { parseOptions, UsageError, type CliContext } from '../context';
import { inTransaction } from '../../store/db/database';

const inviteCreateOptions = z.object({
  person: z.coerce.number().int().positive(),
  days: z.coerce.number().int().min(1).max(90).optional(),
  qr: z.string().trim().regex(/\.png$/i, { message: 'must name a .png file' }).optional(),
  account: z.string().trim().min(1).optional(),
});

export function registerInviteCommands(program: Command, context: CliContext): void {
  const invite = program.command('invite').description('invite codes people bind their chat with (绑定 <code>)');

  invite
    .command('create')
    .description('create a single-use invite code for a registered person')
    .requiredOption('--person <id>', 'the person the code binds to')
    .option('--days <n>', 'days the code stays valid (default SHOUWANG_INVITE_TTL_DAYS)')
    .option('--qr <file.png>', 'also write the 服务号 QR code that follows the account and binds in one scan')
    .option('--account <name>', 'the 服务号 account of the QR code (default: the first configured)')
    .action(async (raw: unknown) => {
      const options = parseOptions(inviteCreateOptions, raw);
      const config = context.config();
      const account = options.qr ? (options.account ? config.officialChannels.wechatMp.find((candidate) => candidate.name === options.account) : config.officialChannels.wechatMp[0]) : undefined;
      if (options.qr && !account) throw new UsageError(options.account ? `No 服务号 account is named ${options.account}.` : 'A QR code needs a 服务号 account in SHOUWANG_OFFICIAL_CHANNELS(_FILE).');
      const created = await context.withDatabase(async ({ db }) => {
        // The same door as POST /invites and a director's 邀请: the person's open codes are revoked, the new one audited.
        const invite = await inTransaction(db, (tx) =>
          issueInvite(tx, { audit: 'cli', scope: { path: '/' } }, { personId: options.person }, { now: new Date(), ttlDays: options.days ?? config.inviteTtlDays }),
        );
        if (!invite || !options.qr || !account) return invite && { ...invite, qrFile: null };
        const api = new MpApi({ account, db, owner: `cli:${os.hostname()}:${process.pid}`, clock: () => new Date(), timeZone: config.timeZone });
        const file = path.resolve(options.qr);
        await writeInviteQr(api, invite, file, new Date());
        return { ...invite, qrFile: file };
      });
      if (!created) {
        process.stderr.write(`No person has id ${options.person}.\n`);
        process.exitCode = 2;
        return;
      }
      context.print(`Invite code for ${created.person.name}: ${created.code} (valid until ${created.expiresAt.toISOString()}). They send: 绑定 ${created.code}`);
      if (created.qrFile) context.print(`服务号 QR code: ${created.qrFile} (scanning it follows the account and binds at once)`);
    });
}
