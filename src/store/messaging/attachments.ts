import { createHash, randomBytes } from 'node:crypto';
import { access, mkdir, readdir, readFile, rename, rm, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { inArea, type AreaScope } from '../registry/areaScopeFilter';
import type { Db } from '../db/database';
import { fileKeyIdOf, type TextKeyring } from '../crypto/textKeyring';

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
 * Saves the bytes content-addressed under `dir`, sealed with the text keyring (a photo of a
 * bruise is as sensitive as the words): the same file sent twice is stored once, and a crash
 * mid-write leaves only a temporary file, never a truncated attachment.
 */
export async function saveAttachment(
  dir: string,
  file: { kind: AttachmentKind; name: string; mimeType?: string; data: Buffer },
  keyring: TextKeyring,
): Promise<StoredAttachment> {
  const sha256 = createHash('sha256').update(file.data).digest('hex');
  const relative = path.join(sha256.slice(0, 2), `${sha256}${extensionOf(file.name, file.mimeType)}`);
  const target = path.join(dir, relative);
  if (!(await exists(target))) {
    try {
      await mkdir(path.dirname(target), { recursive: true });
      await replaceFile(target, keyring.sealBytes(file.data));
    } catch (error) {
      throw new AttachmentNotSaved(sha256, (error as NodeJS.ErrnoException).code ?? 'unknown', { cause: error });
    }
  }
  return { kind: file.kind, path: relative, sha256, size: file.data.length, mimeType: file.mimeType ?? null };
}

/** An attachment's bytes as they were sent. */
export async function readAttachment(dir: string, relative: string, keyring: TextKeyring): Promise<Buffer> {
  return keyring.openBytes(await readFile(path.join(dir, relative)));
}

/** Deletes attachments by their stored path; one already gone counts as deleted. */
export async function deleteAttachments(dir: string, relatives: readonly string[]): Promise<void> {
  for (const relative of relatives) {
    await unlink(path.join(dir, relative)).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
  }
}

/** Written beside and renamed over: a kill leaves the old file or the new one, whole. */
async function replaceFile(target: string, data: Buffer): Promise<void> {
  const temporary = `${target}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temporary, data, { mode: 0o600 });
    await rename(temporary, target);
  } catch (error) {
    // A full disk may have taken half the bytes: nothing half-written stays behind.
    await rm(temporary, { force: true }).catch(() => undefined);
    throw error;
  }
}

/** Every kept attachment file under `dir` (temporary files a crash left are not attachments). */
async function attachmentFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  return entries.filter((entry) => entry.isFile() && !entry.name.endsWith('.tmp')).map((entry) => path.join(entry.parentPath, entry.name));
}

/** How many attachment files each key sealed (null: files written before encryption). */
export async function attachmentKeyCounts(dir: string): Promise<Map<string | null, number>> {
  const counts = new Map<string | null, number>();
  for (const file of await attachmentFiles(dir)) {
    const id = fileKeyIdOf(await readFile(file));
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

/**
 * Reseals every attachment file not under the current key, one file at a time, each replaced
 * whole: a killed run leaves every file readable under one key or the other, and a second run
 * carries on with the rest.
 */
export async function resealAttachments(dir: string, keyring: TextKeyring, onFile?: () => void): Promise<{ files: number; resealed: number }> {
  let resealed = 0;
  const files = await attachmentFiles(dir);
  for (const file of files) {
    const data = await readFile(file);
    if (fileKeyIdOf(data) !== keyring.currentId) {
      await replaceFile(file, keyring.sealBytes(keyring.openBytes(data)));
      resealed += 1;
    }
    onFile?.();
  }
  return { files: files.length, resealed };
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

/** An opened attachment: its size for Content-Length and its bytes as they were sent. */
export interface OpenedAttachment {
  size: number;
  stream: Readable;
}

/**
 * Opens a stored attachment, or null when its file is gone from the folder (moved, restored
 * without attachments). Files are sealed at rest and small (SHOUWANG_ATTACHMENT_MAX_BYTES), so
 * they are opened whole and served from memory: no file stays open for a client that hangs up.
 * The path comes from the database, written by saveAttachment, but is still kept inside `dir`.
 */
export async function openAttachment(dir: string, relative: string, keyring: TextKeyring | undefined): Promise<OpenedAttachment | null> {
  const root = path.resolve(dir);
  const file = path.resolve(root, relative);
  if (!file.startsWith(`${root}${path.sep}`)) return null;
  let stored: Buffer;
  try {
    stored = await readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const data = keyring ? keyring.openBytes(stored) : stored;
  return { size: data.length, stream: Readable.from([data]) };
}
