import type { Command } from 'commander';
import { z } from 'zod';
import { API_ROLES } from '../../domain/apiAccess';
import { departmentOption } from '../departmentOption';
import { createUserAccount, listUserAccounts, resetUserPassword, unlockUserAccount, userAccountIdByLogin } from '../../store/access/userAccounts';
import { parseOptions, UsageError, type CliContext } from '../context';
import { readNewPassword } from '../passwordInput';

const login = z.string().trim().regex(/^[A-Za-z0-9._@-]{3,50}$/, 'is 3 to 50 letters, digits, . _ @ or -');

const userCreateOptions = z.object({
  login,
  role: z.enum(API_ROLES),
  area: z.string().regex(/^\d{6,12}$/, 'is an area code of 6 to 12 digits'),
  department: departmentOption.optional(),
  name: z.string().trim().min(1).max(100),
});

export function registerUserCommands(program: Command, context: CliContext): void {
  const user = program.command('user').description('console accounts of people (officers, directors, auditors)');

  user
    .command('create')
    .description('create a console account; the password is asked for (not echoed) or read from piped standard input')
    .requiredOption('--login <login>', 'what the person types to log in')
    .requiredOption('--role <role>', API_ROLES.join(' | '))
    .option('--department <department>', 'with --role department: which one, e.g. 教育 or education')
    .requiredOption('--area <code>', 'area code the account is limited to, e.g. 990101001')
    .requiredOption('--name <name>', 'the person’s name')
    .action(async (raw: unknown) => {
      const options = parseOptions(userCreateOptions, raw);
      const password = await readNewPassword();
      const created = await context.withDatabase(({ db }) =>
        createUserAccount(db, { login: options.login, name: options.name, role: options.role, department: options.department, areaCode: options.area, password, createdBy: 'cli', now: new Date() }),
      );
      context.print(`Account ${created.id} ${created.login} (${created.role}, area ${created.area.code} ${created.area.name}) created.`);
    });

  user
    .command('list')
    .description('every account: id, login, name, role, area, last login, locked')
    .action(async () => {
      const users = await context.withDatabase(({ db }) => listUserAccounts(db));
      if (users.length === 0) context.print('No accounts.');
      for (const u of users) {
        const state = u.lockedAt ? `LOCKED since ${u.lockedAt.toISOString()}` : `last login ${u.lastLoginAt?.toISOString() ?? 'never'}`;
        context.print(`#${u.id}  ${u.login}  ${u.name}  ${u.role}  ${u.area.code} ${u.area.name}  ${state}`);
      }
    });

  user
    .command('unlock')
    .description('unlock an account locked after repeated wrong passwords')
    .argument('<login>', 'the account’s login')
    .action(async (rawLogin: string) => {
      const found = await context.withDatabase(async ({ db }) => {
        const id = await userAccountIdByLogin(db, rawLogin);
        return id === null ? null : unlockUserAccount(db, { id, actor: 'cli', now: new Date() });
      });
      if (!found) throw new UsageError(`No account ${rawLogin}.`);
      context.print(`Account ${rawLogin} unlocked.`);
    });

  user
    .command('password')
    .description('set a new password (asked for, or piped in); unlocks the account and ends its sessions')
    .argument('<login>', 'the account’s login')
    .action(async (rawLogin: string) => {
      const password = await readNewPassword();
      const done = await context.withDatabase(({ db }) => resetUserPassword(db, { login: rawLogin, password, actor: 'cli', now: new Date() }));
      if (!done) throw new UsageError(`No account ${rawLogin}.`);
      context.print(`Password of ${rawLogin} set.`);
    });
}
