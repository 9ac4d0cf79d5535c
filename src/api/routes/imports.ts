import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import { bufferSource, readRoster, RosterFileError, rosterFormatOf, XLSX_CONTENT_TYPE } from '../../imports/rosterFile';
import { importChildren } from '../../store/registry/childImport';
import { areaFilter } from '../areaQuery';
import { ApiError } from '../errors';
import { requestedArea } from '../ledgerArea';
import { defineRoute, queryBoolean, type Resource } from '../route';

/** Largest roster accepted in one request: about 100,000 rows of CSV. */
export const MAX_ROSTER_BYTES = 30 * 1024 * 1024;

/** The raw request body (a file), refused beyond `limit` bytes. */
async function fileBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new ApiError(413, 'file_too_large', `a roster may have at most ${limit / 1024 / 1024} MB; split it`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

const importReport = z
  .object({
    applied: z.boolean().meta({ description: 'false: a row was bad and partial was not asked for, so nothing changed' }),
    partial: z.boolean(),
    counts: z.object({ created: z.number().int(), updated: z.number().int(), unchanged: z.number().int(), rejected: z.number().int() }),
    rows: z.array(
      z.object({
        row: z.number().int().meta({ description: 'the row number in the spreadsheet (the header is row 1)' }),
        status: z.enum(['created', 'updated', 'unchanged', 'rejected']),
        childId: z.number().int().optional(),
        reason: z.string().optional(),
      }),
    ),
  })
  .meta({ id: 'ImportReport' });

const importChildRoster = defineRoute({
  method: 'post',
  path: '/imports/children',
  summary: 'Import a roster of children (花名册) from a CSV or XLSX file sent as the request body',
  description:
    'Send the file itself as the body with `Content-Type: text/csv` or `' +
    XLSX_CONTENT_TYPE +
    '` (curl: `--data-binary @roster.xlsx`). Columns by Chinese header (see README). Every row is checked first; ' +
    'a file with a bad row changes nothing unless `partial=true`. Importing the same file again changes nothing.',
  access: 'write',
  uploads: ['text/csv', XLSX_CONTENT_TYPE],
  query: z.strictObject({ area: areaFilter, partial: queryBoolean.default(false).meta({ description: 'import the good rows even if some are bad' }) }),
  response: importReport,
  handler: async ({ deps, auth, query, now, ctx }) => {
    const area = await requestedArea(deps.db, auth, query.area);
    const format = rosterFormatOf(ctx.get('content-type'));
    if (!format) throw new ApiError(415, 'unsupported_media_type', `send the roster as text/csv or ${XLSX_CONTENT_TYPE}`);
    const bytes = await fileBody(ctx.req, MAX_ROSTER_BYTES);
    try {
      return await importChildren(deps.db, deps.cipher, {
        lines: () => readRoster(bufferSource(bytes), format),
        area,
        actor: auth.actor,
        partial: query.partial,
        now,
        timeZone: deps.timeZone,
      });
    } catch (error) {
      if (error instanceof RosterFileError) throw new ApiError(422, 'not_a_roster', error.message);
      throw error;
    }
  },
});

export const imports: Resource = {
  name: 'imports',
  description: 'Registers imported from files.',
  routes: [importChildRoster],
};
