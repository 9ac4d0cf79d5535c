// A weekly prompts' reading whose read ahead fails while the job writes the batch before, in a
// process of its own: Node's default ends a process on an unhandled rejection, as the service does.
import { awayParentWeekBatches } from '../../src/store/contact/contactWeeks';
import type { Db } from '../../src/store/db/database';

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
/** Two parents in the first batch; the read of the second fails. */
const db = {
  $queryRaw: (strings: TemplateStringsArray): Promise<unknown[]> => {
    const sql = strings.join('?');
    if (sql.includes('max("personId")')) return (batchesAsked += 1) === 1 ? Promise.resolve([{ upTo: 2 }]) : Promise.reject(new Error('connection lost'));
    return Promise.resolve(sql.includes('WITH "pl"') ? parentRows : []);
  },
} as unknown as Db;

(async () => {
  try {
    for await (const parents of awayParentWeekBatches(db, '2026-W49', 2)) {
      // The job writes the batch's prompts: the read ahead fails meanwhile.
      await new Promise((resolve) => setTimeout(resolve, 50));
      process.stdout.write(`handled ${parents.map((parent) => parent.id).join(',')}\n`);
    }
  } catch (error) {
    process.stdout.write(`the reading failed: ${(error as Error).message}\n`);
  }
})();
