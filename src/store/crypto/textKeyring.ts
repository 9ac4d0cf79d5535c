import { createCipheriv, createDecipheriv, createHmac, createSecretKey, hkdfSync, randomFillSync, type KeyObject } from 'node:crypto';
import { SealingThread } from './sealingThread';

/** A sealed text: `st1:<key id>:<base64 of iv, tag, ciphertext>`; a sealed JSON value uses `sj1:`. */
const TEXT_PREFIX = 'st1:';
const JSON_PREFIX = 'sj1:';
/** A sealed file starts with these bytes, then the 12-character key id, the iv, the tag and the ciphertext. */
const FILE_MAGIC = Buffer.from('SWF1');
const KEY_ID_LENGTH = 12;
/** AES-GCM's 96-bit nonce, random for every value. */
const IV_LENGTH = 12;
const TAG_LENGTH = 16;
/** IVs drawn from the generator at once: each call costs 5–20 µs whatever its size (BENCHMARKS.md, IVs drawn in bulk). */
const IV_POOL_BYTES = IV_LENGTH * 256;
/** A prompt's text or fields fit; a longer value gets a buffer of its own. */
const SCRATCH_BYTES = 4096;

export class UnknownTextKeyError extends Error {
  override name = 'UnknownTextKeyError';
}

/** Names a key without revealing it: the id written into every value it seals. */
export function textKeyId(key: Buffer): string {
  return createHmac('sha256', key).update('shouwang text key id').digest('hex').slice(0, 12);
}

/**
 * AES-256-GCM for the sensitive free texts (report descriptions, notes, health and family
 * situation). Every value carries the id of the key that sealed it, so old keys can stay in the
 * ring while `keys rotate` moves values to the current one, a batch at a time.
 */
export class TextKeyring {
  private readonly keys = new Map<string, Buffer>();
  readonly currentId: string;
  /** The current key, prepared once for every value it seals. */
  private readonly sealingKey: KeyObject;
  /** Where each sealed value is laid out before base64 (sealing is synchronous: no two calls share it). */
  private readonly scratch = Buffer.allocUnsafe(SCRATCH_BYTES);
  /** Random bytes not handed out yet, from `ivTaken` on: every IV is used once, then never again. */
  private readonly ivPool = Buffer.allocUnsafe(IV_POOL_BYTES);
  private ivTaken = IV_POOL_BYTES;
  /** The same ring on a worker thread, for batches: started on first use. */
  private thread: SealingThread | undefined;

  /** The first key seals; the others only open what they sealed earlier. */
  constructor(private readonly givenKeys: readonly Buffer[]) {
    if (givenKeys.length === 0) throw new Error('A text keyring needs at least one key.');
    for (const key of givenKeys) {
      this.keys.set(textKeyId(key), Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), 'shouwang sensitive text', 32)));
    }
    this.currentId = textKeyId(givenKeys[0]!);
    this.sealingKey = createSecretKey(this.keys.get(this.currentId)!);
  }

  /** This ring's sealing on a worker thread (sealingThread.ts): a batch job's statements run here meanwhile. */
  offThread(): SealingThread {
    return (this.thread ??= new SealingThread(this.givenKeys));
  }

  ids(): string[] {
    return [...this.keys.keys()];
  }

  seal(text: string): string {
    return this.encryptAll(TEXT_PREFIX, [text])[0]!;
  }

  sealJson(value: unknown): string {
    return this.encryptAll(JSON_PREFIX, [JSON.stringify(value)])[0]!;
  }

  /** Seals many texts as seal does each. */
  sealAll(texts: readonly string[]): string[] {
    return this.encryptAll(TEXT_PREFIX, texts);
  }

  /** Seals many JSON values as sealJson does each. */
  sealJsonAll(values: readonly unknown[]): string[] {
    return this.encryptAll(JSON_PREFIX, values.map((value) => JSON.stringify(value)));
  }

  /** Seals a file's bytes (an attachment on disk) the same way, in binary. */
  sealBytes(data: Buffer): Buffer {
    const iv = this.nextIv();
    const cipher = createCipheriv('aes-256-gcm', this.sealingKey, iv);
    const body = Buffer.concat([cipher.update(data), cipher.final()]);
    return Buffer.concat([FILE_MAGIC, Buffer.from(this.currentId, 'latin1'), iv, cipher.getAuthTag(), body]);
  }

  /** Opens sealed bytes; a file written before encryption comes back as it is. */
  openBytes(data: Buffer): Buffer {
    const id = fileKeyIdOf(data);
    if (id === null) return data;
    const key = this.keys.get(id);
    if (!key) throw new UnknownTextKeyError(`Text key ${id} is not in the keyring: add it back to SHOUWANG_TEXT_KEYS.`);
    const start = FILE_MAGIC.length + KEY_ID_LENGTH;
    const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(start, start + 12));
    decipher.setAuthTag(data.subarray(start + 12, start + 28));
    return Buffer.concat([decipher.update(data.subarray(start + 28)), decipher.final()]);
  }

  /** Opens a sealed value; anything else (a value written before encryption) comes back as it is. */
  open(value: unknown): unknown {
    if (typeof value !== 'string') return value;
    if (value.startsWith(TEXT_PREFIX)) return this.decrypt(value.slice(TEXT_PREFIX.length));
    if (value.startsWith(JSON_PREFIX)) return JSON.parse(this.decrypt(value.slice(JSON_PREFIX.length))) as unknown;
    return value;
  }

  /** Whether a stored value still needs sealing or resealing with the current key. */
  needsResealing(value: string | null): boolean {
    return value !== null && keyIdOf(value) !== this.currentId;
  }

  /**
   * `<prefix><key id>:<base64 of iv, tag, ciphertext>` for each text, laid out in the scratch
   * buffer with the key prepared once: two Buffer.concat calls a value showed in the holiday
   * prompt's profile and its garbage (BENCHMARKS.md, holiday prompt).
   */
  private encryptAll(prefix: string, texts: readonly string[]): string[] {
    const head = `${prefix}${this.currentId}:`;
    const sealed = new Array<string>(texts.length);
    for (let index = 0; index < texts.length; index += 1) {
      const iv = this.nextIv();
      const cipher = createCipheriv('aes-256-gcm', this.sealingKey, iv);
      const body = cipher.update(texts[index]!, 'utf8');
      cipher.final(); // GCM is a counter mode: final writes no bytes, it computes the tag
      const length = IV_LENGTH + TAG_LENGTH + body.length;
      const bytes = length <= SCRATCH_BYTES ? this.scratch : Buffer.allocUnsafe(length);
      iv.copy(bytes, 0);
      cipher.getAuthTag().copy(bytes, IV_LENGTH);
      body.copy(bytes, IV_LENGTH + TAG_LENGTH);
      sealed[index] = head + bytes.toString('base64', 0, length);
    }
    return sealed;
  }

  /** A fresh IV, valid until the next call: the caller copies it before sealing anything else. */
  private nextIv(): Buffer {
    if (this.ivTaken === IV_POOL_BYTES) {
      randomFillSync(this.ivPool);
      this.ivTaken = 0;
    }
    this.ivTaken += IV_LENGTH;
    return this.ivPool.subarray(this.ivTaken - IV_LENGTH, this.ivTaken);
  }

  private decrypt(sealed: string): string {
    const separator = sealed.indexOf(':');
    const id = sealed.slice(0, separator);
    const key = this.keys.get(id);
    if (!key) throw new UnknownTextKeyError(`Text key ${id} is not in the keyring: add it back to SHOUWANG_TEXT_KEYS.`);
    const bytes = Buffer.from(sealed.slice(separator + 1), 'base64');
    const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, 12));
    decipher.setAuthTag(bytes.subarray(12, 28));
    return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString('utf8');
  }
}

/** The id of the key that sealed a stored value, or null for a clear (not yet sealed) value. */
export function keyIdOf(value: string): string | null {
  if (!value.startsWith(TEXT_PREFIX) && !value.startsWith(JSON_PREFIX)) return null;
  const rest = value.slice(TEXT_PREFIX.length);
  return rest.slice(0, rest.indexOf(':'));
}

/** The id of the key that sealed a file's bytes, or null for a file written before encryption. */
export function fileKeyIdOf(data: Buffer): string | null {
  if (data.length < FILE_MAGIC.length + KEY_ID_LENGTH + 28 || !data.subarray(0, FILE_MAGIC.length).equals(FILE_MAGIC)) return null;
  return data.subarray(FILE_MAGIC.length, FILE_MAGIC.length + KEY_ID_LENGTH).toString('latin1');
}
