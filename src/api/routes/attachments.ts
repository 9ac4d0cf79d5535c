import { z } from 'zod';
import { maySeeReporter } from '../../domain/caseWorkflow';
import { caseAttachmentsInScope, openAttachment } from '../../store/messaging/attachments';
import { recordRead } from '../../store/audit/auditLog';
import { keyringOf } from '../../store/crypto/sealedTexts';
import type { ApiAuth } from '../auth';
import { found, notFound } from '../errors';
import { MAX_RECORD_ID, defineRoute, timestamp, type Resource } from '../route';

const numberParam = z.strictObject({ number: z.string().regex(/^[A-Z]{2,4}-\d{4}-\d{6}$/, 'a case number like EZ-2026-000123') });

/** Photos and voice notes are as confidential as who reported: only those who may act on the case (maySeeReporter) open them. */
const mayView = (auth: ApiAuth, villagePath: string) => maySeeReporter({ role: auth.role, areaPath: auth.area.path }, villagePath);

/** What a browser may show inline; anything else is downloaded, never rendered by the console's origin. */
const INLINE = /^(image\/(jpeg|png|gif|webp)|audio\/(mpeg|amr|ogg|wav|mp4)|video\/mp4)$/;

const attachment = z
  .object({
    id: z.number().int(),
    kind: z.string().meta({ example: 'image' }),
    mimeType: z.string().nullable(),
    size: z.number().int().meta({ description: 'bytes' }),
    createdAt: timestamp,
  })
  .meta({ id: 'Attachment' });

const listAttachments = defineRoute({
  method: 'get',
  path: '/cases/:number/attachments',
  summary: 'The photos and voice notes sent with a case’s report, and whether the caller may open them',
  access: 'read',
  params: numberParam,
  response: z.object({ viewable: z.boolean().meta({ description: 'the director of the village or an officer above it (never auditors)' }), items: z.array(attachment) }),
  handler: async ({ deps, auth, params }) => {
    const kept = found(await caseAttachmentsInScope(deps.db, auth.scope, params.number), 'case');
    return { viewable: mayView(auth, kept.villagePath), items: kept.attachments.map(({ path: _path, ...shown }) => shown) };
  },
});

const readAttachment = defineRoute({
  method: 'get',
  path: '/cases/:number/attachments/:id',
  summary: 'One attachment’s file, streamed; each opening is audited',
  // Those who may act on a case within their scope (access write: not auditors) are exactly those maySeeReporter lets see it.
  access: 'write',
  params: numberParam.extend({ id: z.coerce.number().int().positive().max(MAX_RECORD_ID) }),
  files: ['image/*', 'audio/*', 'video/*', 'application/octet-stream'],
  handler: async ({ deps, auth, params, now, ctx }) => {
    const kept = found(await caseAttachmentsInScope(deps.db, auth.scope, params.number), 'case');
    const wanted = found(kept.attachments.find((item) => item.id === params.id), 'attachment');
    const file = deps.attachmentDir ? await openAttachment(deps.attachmentDir, wanted.path, keyringOf(deps.db)) : null;
    if (!file) throw notFound('attachment');
    await recordRead(deps.db, { at: now, actor: auth.actor, action: 'attachment.read', subjectType: 'ReportAttachment', subjectIds: [wanted.id] });
    const inline = wanted.mimeType !== null && INLINE.test(wanted.mimeType);
    ctx.status = 200;
    ctx.type = inline ? wanted.mimeType! : 'application/octet-stream';
    ctx.length = file.size;
    ctx.set('content-disposition', inline ? 'inline' : `attachment; filename="${params.number}-${wanted.id}"`);
    ctx.set('cache-control', 'private, no-store');
    ctx.body = file.stream;
    return undefined;
  },
});

export const attachments: Resource = {
  name: 'attachments',
  description: 'Photos and voice notes sent with reports: listed with the case, opened by the village’s director and the officers above it.',
  routes: [listAttachments, readAttachment],
};
