/**
 * WeChat's message signing and encryption (WXBizMsgCrypt), shared by the 服务号 and WeCom:
 * signatures are SHA-1 of the sorted strings; safe-mode bodies are AES-256-CBC with the 32-byte
 * key of the 43-character EncodingAESKey, the key's first 16 bytes as IV, PKCS#7 padded to 32
 * bytes, over `random(16) | length(4, big-endian) | message | appid or CorpID`.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { secretsMatch } from '../../src/domain/secretsMatch';

const BLOCK = 32;

/** sha1 of the strings sorted and joined: `signature` (token, timestamp, nonce) and `msg_signature` (… and Encrypt). */
export function wechatSignature(...parts: string[]): string {
  return createHash('sha1').update([...parts].sort().join('')).digest('hex');
}

/** Compares a signature from a request in constant time. */
export function signatureMatches(given: string, expected: string): boolean {
  return secretsMatch(given.toLowerCase(), expected);
}

/** Whether a string is a well-formed EncodingAESKey: 43 characters of base64 that decode to 32 bytes. */
export function isEncodingAesKey(value: string): boolean {
  return /^[A-Za-z0-9+/]{43}$/.test(value) && Buffer.from(`${value}=`, 'base64').length === 32;
}

function aesKey(encodingAesKey: string): Buffer {
  return Buffer.from(`${encodingAesKey}=`, 'base64');
}

/** Decrypts an `Encrypt` value; throws on a wrong key or a malformed body. */
export function decryptMessage(encodingAesKey: string, encrypted: string): { message: string; receiverId: string } {
  const key = aesKey(encodingAesKey);
  const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16));
  decipher.setAutoPadding(false);
  const padded = Buffer.concat([decipher.update(Buffer.from(encrypted, 'base64')), decipher.final()]);
  const pad = padded.at(-1) ?? 0;
  if (pad < 1 || pad > BLOCK || padded.length < 20 + pad) throw new Error('bad padding');
  const plain = padded.subarray(0, padded.length - pad);
  const length = plain.readUInt32BE(16);
  if (20 + length > plain.length) throw new Error('bad length');
  return { message: plain.subarray(20, 20 + length).toString('utf8'), receiverId: plain.subarray(20 + length).toString('utf8') };
}

/** Encrypts a message for a receiver (appid or CorpID), as WeChat does; `random` is for test vectors. */
export function encryptMessage(encodingAesKey: string, message: string, receiverId: string, random: Buffer = randomBytes(16)): string {
  const body = Buffer.from(message, 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(body.length);
  const plain = Buffer.concat([random, length, body, Buffer.from(receiverId, 'utf8')]);
  const pad = BLOCK - (plain.length % BLOCK);
  const key = aesKey(encodingAesKey);
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(Buffer.concat([plain, Buffer.alloc(pad, pad)])), cipher.final()]).toString('base64');
}

/**
 * Decrypts with the current key, then the previous one (kept while the key is being changed in
 * the admin console); null when neither opens it or the receiver is not ours.
 */
export function openEncrypted(keys: readonly string[], encrypted: string, receiverId: string): string | null {
  for (const key of keys) {
    try {
      const opened = decryptMessage(key, encrypted);
      if (opened.receiverId === receiverId) return opened.message;
    } catch {
      // a wrong key fails to unpad or yields garbage: try the next key
    }
  }
  return null;
}
