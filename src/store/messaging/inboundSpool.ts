import { appendFile, mkdir, open, readFile, stat, truncate, unlink, writeFile, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { Mutex } from 'async-mutex';
import type { InboundMessage } from '../../channel';
import { ConfigError } from '../../configError';
import type { TextKeyring } from '../crypto/textKeyring';

/** The spool could not keep a message: the sender must be told to try again, not that it was accepted. */
export class SpoolWriteError extends Error {
  override name = 'SpoolWriteError';
}

export interface SpoolState {
  /** Messages kept and not yet recorded in the database. */
  depth: number;
  /** False after a write failed (a full disk), until one succeeds again. */
  writable: boolean;
}

const SPOOL_FILE = 'inbound.jsonl';
const SET_ASIDE_FILE = 'set-aside.jsonl';
const LOCK_FILE = 'spool.lock';

/** Another running process holds the spool folder: sharing it would let one empty what the other has not recorded. */
export class SpoolLockedError extends ConfigError {
  override name = 'SpoolLockedError';
}

/**
 * Inbound messages kept on local disk while the database cannot be reached: one JSON line per
 * message, appended and fsynced before the sender is told it was accepted. The file is emptied
 * only once every line in it has been recorded; a crash in between repeats lines, which the
 * inbox's platform-message-id check turns into duplicates. Each line is sealed with the text
 * keyring, as the inbox row it becomes will be: the disk never holds a message in clear.
 */
export class InboundSpool {
  private readonly file: string;
  private readonly queue: InboundMessage[] = [];
  private readonly mutex = new Mutex();
  private handle: FileHandle | undefined;
  private writable = true;
  private locked = false;

  private constructor(
    private readonly dir: string,
    private readonly keyring: TextKeyring,
  ) {
    this.file = path.join(dir, SPOOL_FILE);
  }

  /**
   * Opens the spool folder and reads what an earlier run left in it. The folder is locked only
   * while it holds messages, so instances that never spool never meet; throws SpoolLockedError
   * when another running process holds it.
   */
  static async open(dir: string, keyring: TextKeyring): Promise<InboundSpool> {
    const spool = new InboundSpool(dir, keyring);
    const left = await readSpoolFile(spool.file, keyring);
    if (left.length > 0) await spool.lock();
    spool.queue.push(...left);
    return spool;
  }

  state(): SpoolState {
    return { depth: this.queue.length, writable: this.writable };
  }

  /** The oldest message not yet recorded. */
  peek(): InboundMessage | undefined {
    return this.queue[0];
  }

  /** Keeps the message on disk (fsynced) or throws SpoolWriteError, leaving the file as it was. */
  async append(message: InboundMessage): Promise<void> {
    const line = Buffer.from(`${this.keyring.sealJson(toLine(message))}\n`);
    await this.mutex.runExclusive(async () => {
      let sizeBefore: number | undefined;
      try {
        await this.lock();
        const handle = await this.openForAppend();
        sizeBefore = (await handle.stat()).size;
        await handle.write(line);
        await handle.datasync();
      } catch (error) {
        this.writable = false;
        // A partial line would glue itself to the next one: cut the file back to where it was.
        if (sizeBefore !== undefined) await truncate(this.file, sizeBefore).catch(() => undefined);
        throw new SpoolWriteError(`the inbound spool could not be written: ${(error as Error).message}`);
      }
      this.writable = true;
      this.queue.push(message);
    });
  }

  /** Forgets the oldest message, once it is recorded; the file is emptied when nothing is left. */
  async removeFirst(): Promise<void> {
    this.queue.shift();
    if (this.queue.length > 0) return;
    await this.mutex.runExclusive(async () => {
      if (this.queue.length > 0) return;
      await truncate(this.file, 0).catch(ignoreMissing);
      await this.unlock();
    });
  }

  /** Keeps a message the database refused for an operator to look at, and forgets it. */
  async setAside(message: InboundMessage, reason: string): Promise<void> {
    await appendFile(path.join(this.dir, SET_ASIDE_FILE), `${this.keyring.sealJson({ reason, ...toLine(message) })}\n`);
    await this.removeFirst();
  }

  async close(): Promise<void> {
    await this.mutex.runExclusive(async () => {
      await this.handle?.close();
      this.handle = undefined;
      if (this.queue.length === 0) await this.unlock();
    });
  }

  /** Takes the folder's lock file (this process's id), or over it when the process that left it is gone. */
  private async lock(): Promise<void> {
    if (this.locked) return;
    await mkdir(this.dir, { recursive: true });
    const lockFile = path.join(this.dir, LOCK_FILE);
    const holder = Number.parseInt(await readFile(lockFile, 'utf8').catch(() => ''), 10);
    const inUse = () => new SpoolLockedError(`Configuration error: the spool folder ${this.dir} is in use by another running instance; give each instance its own SHOUWANG_SPOOL_DIR.`);
    if (Number.isInteger(holder) && holder !== process.pid && isRunning(holder)) throw inUse();
    // Left by this process (a container's pid 1 restarted) or a process that is gone: taken over.
    if (Number.isInteger(holder)) await unlink(lockFile).catch(ignoreMissing);
    // 'wx': of two processes taking it at once, one wins.
    await writeFile(lockFile, `${process.pid}\n`, { flag: 'wx' }).catch((error: NodeJS.ErrnoException) => {
      throw error.code === 'EEXIST' ? inUse() : error;
    });
    this.locked = true;
  }

  private async unlock(): Promise<void> {
    if (!this.locked) return;
    await unlink(path.join(this.dir, LOCK_FILE)).catch(ignoreMissing);
    this.locked = false;
  }

  private async openForAppend(): Promise<FileHandle> {
    if (!this.handle) {
      await mkdir(this.dir, { recursive: true });
      this.handle = await open(this.file, 'a');
    }
    return this.handle;
  }
}

interface SpoolLine {
  message: Omit<InboundMessage, 'receivedAt' | 'attachment'> & {
    receivedAt: string;
    attachment?: Omit<NonNullable<InboundMessage['attachment']>, 'data'> & { data?: string };
  };
}

function toLine(message: InboundMessage): SpoolLine {
  const { attachment, receivedAt, ...rest } = message;
  return {
    message: {
      ...rest,
      receivedAt: receivedAt.toISOString(),
      ...(attachment ? { attachment: { ...attachment, data: attachment.data?.toString('base64') } } : {}),
    },
  };
}

function fromLine(line: SpoolLine): InboundMessage {
  const { attachment, receivedAt, ...rest } = line.message;
  return {
    ...rest,
    receivedAt: new Date(receivedAt),
    ...(attachment ? { attachment: { ...attachment, data: attachment.data === undefined ? undefined : Buffer.from(attachment.data, 'base64') } } : {}),
  };
}

/**
 * Only the file's stated size is read, and only whole lines: a line cut short by a crash was
 * never acknowledged (the fsync comes before the answer).
 */
async function readSpoolFile(file: string, keyring: TextKeyring): Promise<InboundMessage[]> {
  const size = await stat(file).then(
    (info) => (info.isFile() ? info.size : 0),
    (error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? 0 : Promise.reject(error)),
  );
  if (size === 0) return [];
  const text = (await readFile(file)).subarray(0, size).toString('utf8');
  const complete = text.slice(0, text.lastIndexOf('\n') + 1);
  return complete
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => fromLine(openLine(line, keyring)));
}

/** A sealed line, or a clear one an earlier version left. */
function openLine(line: string, keyring: TextKeyring): SpoolLine {
  const opened = keyring.open(line);
  return (opened === line ? JSON.parse(line) : opened) as SpoolLine;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function ignoreMissing(error: NodeJS.ErrnoException): void {
  if (error.code !== 'ENOENT') throw error;
}
