import type { Command } from 'commander';
import { z } from 'zod';
import { createInvite } from '../../store/invites';
import { parseOptions, type CliContext } from '../context';

const inviteCreateOptions = z.object({
  person: z.coerce.number().int().positive(),
  days: z.coerce.number().int().min(1).max(90).optional(),
});

export function registerInviteCommands(program: Command, context: CliContext): void {
  const invite = program.command('invite').description('invite codes people bind their chat with (绑定 <code>)');

  invite
    .command('create')
    .description('create a single-use invite code for a registered person')
    .requiredOption('--person <id>', 'the person the code binds to')
    .option('--days <n>', 'days the code stays valid (default SHOUWANG_INVITE_TTL_DAYS)')
    .action(async (raw: unknown) => {
      const options = parseOptions(inviteCreateOptions, raw);
      const created = await context.withDatabase(({ db }) =>
        db.$transaction(async (tx) => {
          const person = await tx.person.findUnique({ where: { id: options.person } });
          if (!person) return null;
          const code = await createInvite(tx, {
            personId: person.id,
            role: person.role,
            areaId: person.areaId,
            now: new Date(),
            ttlDays: options.days ?? context.config().inviteTtlDays,
          });
          return { ...code, name: person.name };
        }),
      );
      if (!created) {
        process.stderr.write(`No person has id ${options.person}.\n`);
        process.exitCode = 2;
        return;
      }
      context.print(`Invite code for ${created.name}: ${created.code} (valid until ${created.expiresAt.toISOString()}). They send: 绑定 ${created.code}`);
    });
}
