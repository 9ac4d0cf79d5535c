// The weekly prompts failing while their work overlaps, in a process of its own: Node's default
// ends a process on an unhandled rejection, as the service does. `read`: the read of the next batch
// fails while the batch before is handled. `write`: a batch's INSERT fails while the next is read.
// `read-while-writing`: the job's read of the next batch fails while a slow INSERT is still running.
import { contactReminderJob } from '../../src/jobs/contactReminder';
import { createLogger } from '../../src/log';
import { awayParentWeekBatches } from '../../src/store/contact/contactWeeks';
import type { Db } from '../../src/store/db/database';

const scenario = process.argv[2];
const later = <T>(value: T) => new Promise<T>((resolve) => setTimeout(() => resolve(value), 50));
let batchesAsked = 0;
const parentRows = [1, 2].map((id) => ({
  parentId: id,
  parentName: `父${id}`,
  childId: 10 + id,
  childName: `子${id}`,
  birthDate: '2015-01-01',
  areaId: 7,
  channel: 'http',
  botAccount: 'bot',
  externalId: `u${id}`,
  contacted: false,
  paused: false,
}));
/** Two parents in the first batch; then the read of the second fails (`read`) or, slowly, finds no more (`write`). */
const db = {
  $queryRaw: (strings: TemplateStringsArray): Promise<unknown[]> => {
    const sql = strings.join('?');
    if (sql.includes('max("personId")')) {
      if ((batchesAsked += 1) === 1) return Promise.resolve([{ upTo: 2 }]);
      return scenario === 'write' ? later([]) : Promise.reject(new Error('connection lost'));
    }
    return Promise.resolve(sql.includes('WITH "pl"') ? parentRows : []);
  },
  $executeRaw: () =>
    scenario === 'write'
      ? Promise.reject(new Error('insert failed'))
      : later(2).then((rows) => {
          process.stdout.write('insert done\n');
          return rows;
        }),
} as unknown as Db;

async function reading(): Promise<void> {
  for await (const parents of awayParentWeekBatches(db, '2026-W49', 2)) {
    // The job writes the batch's prompts: the read ahead fails meanwhile.
    await later(undefined);
    process.stdout.write(`handled ${parents.map((parent) => parent.id).join(',')}\n`);
  }
}

const run = scenario === 'read' ? reading() : contactReminderJob.run({ db, engine: 'postgresql', now: new Date('2026-12-04T11:00:00Z'), timeZone: 'Asia/Shanghai', logger: createLogger('silent') });
run.then(
  () => process.stdout.write('finished\n'),
  (error: Error) => process.stdout.write(`failed: ${error.message}\n`),
);
