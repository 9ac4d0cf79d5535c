import { createHash, randomBytes } from 'node:crypto';
import type { ReadStream } from 'node:fs';
import { access, mkdir, open, rename, rm, writeFile, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { inArea, type AreaScope } from './areaScopeFilter';
import type { Db } from './database';

export type AttachmentKind = 'image' | 'audio' | 'video' | 'file';

/** A file kept on disk; the database holds only this. */
export interface StoredAttachment {
  kind: AttachmentKind;
  /** Relative to the attachment folder, `<2 hex>/<sha256><ext>`: the folder can move. */
  path: string;
  sha256: string;
  size: number;
  mimeType: string | null;
}

const EXTENSION = /^\.[a-z0-9]{1,8}$/;
const EXTENSION_OF_MIME: Record<string, string> = {
  'image/jpeg': '.jpg',
  'image/png': '.png',
  'image/gif': '.gif',
  'audio/silk': '.silk',
  'audio/mpeg': '.mp3',
  'audio/amr': '.amr',
  'video/mp4': '.mp4',
  'application/pdf': '.pdf',
};

/** The extension kept on disk: the sender's, if it looks like one, else one from the media type. */
function extensionOf(name: string, mimeType: string | undefined): string {
  const fromName = path.extname(name).toLowerCase();
  if (EXTENSION.test(fromName)) return fromName;
  return (mimeType && EXTENSION_OF_MIME[mimeType]) ?? '';
}

/** The folder would not take the file (unwritable, full, not a folder); `reason` is the system's code, e.g. EACCES. */
export class AttachmentNotSaved extends Error {
  override name = 'AttachmentNotSaved';

  constructor(
    readonly sha256: string,
    readonly reason: string,
    options?: ErrorOptions,
  ) {
    super(`the attachment folder would not take the file (${reason})`, options);
  }
}

/**
 * Saves the bytes content-addressed under `dir`: the same file sent twice is stored once, and a
 * crash mid-write leaves only a temporary file, never a truncated attachment.
 */
export async function saveAttachment(
  dir: string,
  file: { kind: AttachmentKind; name: string; mimeType?: string; data: Buffer },
): Promise<StoredAttachment> {
  const sha256 = createHash('sha256').update(file.data).digest('hex');
  const relative = path.join(sha256.slice(0, 2), `${sha256}${extensionOf(file.name, file.mimeType)}`);
  const target = path.join(dir, relative);
  if (!(await exists(target))) {
    const temporary = `${target}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(temporary, file.data);
      await rename(temporary, target);
    } catch (error) {
      // A full disk may have taken half the bytes: nothing half-written stays behind.
      await rm(temporary, { force: true }).catch(() => undefined);
      throw new AttachmentNotSaved(sha256, (error as NodeJS.ErrnoException).code ?? 'unknown', { cause: error });
    }
  }
  return { kind: file.kind, path: relative, sha256, size: file.data.length, mimeType: file.mimeType ?? null };
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}

/** A report's attachment as the admin API lists it (never its path on disk). */
export interface AttachmentRecord {
  id: number;
  kind: string;
  mimeType: string | null;
  size: number;
  createdAt: Date;
}

/** A case of the scope with its village's path (who may view its attachments) and its attachments, oldest first; null outside the scope. */
export async function caseAttachmentsInScope(
  db: Db,
  scope: AreaScope,
  number: string,
): Promise<{ reportId: number; villagePath: string; attachments: Array<AttachmentRecord & { path: string }> } | null> {
  const report = await db.report.findFirst({
    where: { number, ...inArea(scope) },
    select: {
      id: true,
      area: { select: { path: true } },
      attachments: { select: { id: true, kind: true, mimeType: true, size: true, createdAt: true, path: true }, orderBy: { id: 'asc' } },
    },
  });
  return report && { reportId: report.id, villagePath: report.area.path, attachments: report.attachments };
}

/** An open attachment file: its size for Content-Length and a stream that closes the file when it ends or is destroyed. */
export interface OpenedAttachment {
  size: number;
  stream: ReadStream;
}

/**
 * Opens a stored attachment for reading, or null when its file is gone from the folder (moved,
 * restored without attachments). The path comes from the database, written by saveAttachment, but
 * is still kept inside `dir`.
 */
export async function openAttachment(dir: string, relative: string): Promise<OpenedAttachment | null> {
  const root = path.resolve(dir);
  const file = path.resolve(root, relative);
  if (!file.startsWith(`${root}${path.sep}`)) return null;
  let handle: FileHandle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  try {
    const { size } = await handle.stat();
    return { size, stream: handle.createReadStream({ autoClose: true }) };
  } catch (error) {
    await handle.close();
    throw error;
  }
}
