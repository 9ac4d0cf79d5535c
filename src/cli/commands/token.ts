import type { Command } from 'commander';
import { z } from 'zod';
import { API_ROLES } from '../../domain/apiAccess';
import { departmentOption } from '../departmentOption';
import { createApiToken, listApiTokens, revokeApiToken } from '../../store/access/apiTokens';
import { parseOptions, UsageError, type CliContext } from '../context';

const tokenCreateOptions = z.object({
  role: z.enum(API_ROLES),
  area: z.string().regex(/^\d{6,12}$/, 'is an area code of 6 to 12 digits'),
  department: departmentOption.optional(),
  name: z.string().trim().min(1).max(100).optional(),
});

export function registerTokenCommands(program: Command, context: CliContext): void {
  const token = program.command('token').description('admin API tokens');

  token
    .command('create')
    .description('create an API token scoped to an area; the secret is printed once')
    .requiredOption('--role <role>', API_ROLES.join(' | '))
    .option('--department <department>', 'with --role department: which one, e.g. 教育 or education')
    .requiredOption('--area <code>', 'area code the token is limited to, e.g. 990101')
    .option('--name <name>', 'who or what the token is for')
    .action(async (raw: unknown) => {
      const options = parseOptions(tokenCreateOptions, raw);
      const created = await context.withDatabase(({ db }) =>
        createApiToken(db, { role: options.role, department: options.department, areaCode: options.area, name: options.name, createdBy: 'cli' }),
      );
      context.print(`Token ${created.id} (${created.role}${created.department ? ` ${created.department}` : ''}, area ${created.areaCode}). Store it now; it is not shown again:`);
      context.print(created.token);
    });

  token
    .command('list')
    .description('list tokens, newest first: id, role, area, name, created, last used, revoked (never the secrets)')
    .action(async () => {
      const tokens = await context.withDatabase(({ db }) => listApiTokens(db));
      if (tokens.length === 0) context.print('No tokens.');
      for (const t of tokens) {
        const state = t.revokedAt ? `revoked ${t.revokedAt.toISOString()}` : `last used ${t.lastUsedAt?.toISOString() ?? 'never'}`;
        context.print(`#${t.id}  ${t.role}${t.department ? ` ${t.department}` : ''}  ${t.area.code} ${t.area.name}  ${t.name ?? '-'}  ${t.hint}…  created ${t.createdAt.toISOString()}  ${state}`);
      }
    });

  token
    .command('revoke')
    .description('revoke a token: it stops working at once')
    .argument('<id>', 'token id from `token list`')
    .action(async (rawId: string) => {
      if (!/^#?[1-9]\d{0,9}$/.test(rawId)) throw new UsageError(`Not a token id: ${rawId}.`);
      const id = Number(rawId.replace('#', ''));
      const revoked = await context.withDatabase(({ db }) => revokeApiToken(db, { id, actor: 'cli', now: new Date() }));
      if (!revoked) throw new UsageError(`No token #${id}.`);
      context.print(`Token #${id} revoked.`);
    });
}
