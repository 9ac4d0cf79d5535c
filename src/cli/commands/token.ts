import type { Command } from 'commander';
import { z } from 'zod';
import { API_ROLES } from '../../domain/apiAccess';
import { createApiToken } from '../../store/apiTokens';
import { parseOptions, type CliContext } from '../context';

const tokenCreateOptions = z.object({
  role: z.enum(API_ROLES),
  area: z.string().regex(/^\d{6,12}$/, 'is an area code of 6 to 12 digits'),
  name: z.string().trim().min(1).max(100).optional(),
});

export function registerTokenCommands(program: Command, context: CliContext): void {
  const token = program.command('token').description('admin API tokens');

  token
    .command('create')
    .description('create an API token scoped to an area; the secret is printed once')
    .requiredOption('--role <role>', API_ROLES.join(' | '))
    .requiredOption('--area <code>', 'area code the token is limited to, e.g. 990101')
    .option('--name <name>', 'who or what the token is for')
    .action(async (raw: unknown) => {
      const options = parseOptions(tokenCreateOptions, raw);
      const created = await context.withDatabase(({ db }) =>
        createApiToken(db, { role: options.role, areaCode: options.area, name: options.name, createdBy: 'cli' }),
      );
      context.print(`Token ${created.id} (${created.role}, area ${created.areaCode}). Store it now; it is not shown again:`);
      context.print(created.token);
    });
}
