import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { maskNationalId } from '../../domain/nationalId';

const VERSION = 'v1';

export interface SealedNationalId {
  cipher: string;
  digest: string;
  masked: string;
}

/**
 * AES-256-GCM for national ID numbers at rest. Separate subkeys for encryption and for the
 * lookup digest, so the digest (needed for uniqueness and search) reveals nothing usable
 * for decryption.
 */
export class NationalIdCipher {
  private readonly encryptionKey: Buffer;
  private readonly digestKey: Buffer;

  constructor(dataKey: Buffer) {
    this.encryptionKey = Buffer.from(hkdfSync('sha256', dataKey, Buffer.alloc(0), 'shouwang national id encryption', 32));
    this.digestKey = Buffer.from(hkdfSync('sha256', dataKey, Buffer.alloc(0), 'shouwang national id digest', 32));
  }

  seal(nationalId: string): SealedNationalId {
    const normalized = normalize(nationalId);
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.encryptionKey, iv);
    const body = Buffer.concat([cipher.update(normalized, 'utf8'), cipher.final()]);
    const sealed = Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
    return { cipher: `${VERSION}:${sealed}`, digest: this.digest(normalized), masked: maskNationalId(normalized) };
  }

  open(sealed: string): string {
    const [version, payload] = sealed.split(':');
    if (version !== VERSION || !payload) throw new Error('Unknown national ID cipher format.');
    const bytes = Buffer.from(payload, 'base64');
    const decipher = createDecipheriv('aes-256-gcm', this.encryptionKey, bytes.subarray(0, 12));
    decipher.setAuthTag(bytes.subarray(12, 28));
    return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString('utf8');
  }

  digest(nationalId: string): string {
    return createHmac('sha256', this.digestKey).update(normalize(nationalId)).digest('hex');
  }
}

function normalize(nationalId: string): string {
  return nationalId.trim().toUpperCase();
}
