import type { Command } from 'commander';
import { z } from 'zod';
import { calendarDateSchema, defaultVacationDates, VACATIONS, vacationYearSchema } from '../../domain/schoolCalendar';
import { listSchoolCalendars, setSchoolCalendar } from '../../store/contact/schoolCalendars';
import { parseOptions, type CliContext } from '../context';

const areaCode = z.string().regex(/^\d{6,12}$/, 'is an area code of 6 to 12 digits');

const calendarSetOptions = z
  .object({
    area: areaCode,
    year: vacationYearSchema,
    vacation: z.enum(VACATIONS),
    from: calendarDateSchema,
    to: calendarDateSchema,
  })
  .refine((options) => options.from <= options.to, { path: ['to'], message: 'is before --from' })
  .refine((options) => Number(options.from.slice(0, 4)) === options.year || (options.vacation === 'winter' && options.from.startsWith(`${options.year - 1}-12-`)), {
    path: ['from'],
    message: 'is not in the vacation year (a winter vacation may start in the December before)',
  });

const calendarListOptions = z.object({ area: areaCode.optional() });

export function registerCalendarCommands(program: Command, context: CliContext): void {
  const calendar = program.command('calendar').description('school vacation dates (寒暑假) per area; parents are asked about their plans 14 days before');

  calendar
    .command('set')
    .description('set the winter or summer vacation of an area for a year (its townships and villages inherit it unless they set their own)')
    .requiredOption('--area <code>', 'area code, e.g. 420102 (district) or 420102001001 (village)')
    .requiredOption('--year <yyyy>', 'the vacation year: winter 2027 is January–February 2027')
    .requiredOption('--vacation <kind>', VACATIONS.join(' | '))
    .requiredOption('--from <YYYY-MM-DD>', 'first day of the vacation')
    .requiredOption('--to <YYYY-MM-DD>', 'last day of the vacation')
    .action(async (raw: unknown) => {
      const options = parseOptions(calendarSetOptions, raw);
      const { calendar: row, created } = await context.withDatabase(({ db }) =>
        setSchoolCalendar(db, {
          areaCode: options.area,
          year: options.year,
          vacation: options.vacation,
          startsOn: options.from,
          endsOn: options.to,
          actor: 'cli',
          now: new Date(),
        }),
      );
      context.print(`${created ? 'Set' : 'Updated'} ${row.year} ${row.vacation} vacation for ${row.area.name} (${row.area.code}): ${row.startsOn} to ${row.endsOn}.`);
    });

  calendar
    .command('list')
    .description('list vacation dates set per area (with --area: that area, the areas above it and those within it)')
    .option('--area <code>', 'area code')
    .action(async (raw: unknown) => {
      const options = parseOptions(calendarListOptions, raw);
      const rows = await context.withDatabase(({ db }) => listSchoolCalendars(db, options.area));
      for (const row of rows) {
        context.print(`${row.area.code}  ${row.area.name}  ${row.year} ${row.vacation}  ${row.startsOn} to ${row.endsOn}`);
      }
      if (rows.length === 0) context.print('No school calendars set.');
      const winter = defaultVacationDates(2000, 'winter');
      const summer = defaultVacationDates(2000, 'summer');
      context.print(
        `Defaults where no area on a village's path sets its own: winter ${winter.startsOn.slice(5)} to ${winter.endsOn.slice(5)}, summer ${summer.startsOn.slice(5)} to ${summer.endsOn.slice(5)}.`,
      );
    });
}
