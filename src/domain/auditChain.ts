import { hash } from 'node:crypto';

/** The hash the first row of the chain follows. */
export const GENESIS_HASH = '0'.repeat(64);

/** The fields of an audit row that its hash covers: all of them. */
export interface ChainedFields {
  seq: number;
  id: number;
  at: Date;
  actor: string;
  action: string;
  subjectType: string;
  subjectId: string | null;
  detail: unknown;
}

/**
 * JSON with object keys sorted at every depth. The hash must not depend on how an engine stores
 * JSON: PostgreSQL's jsonb gives keys back in its own order, SQLite as written.
 */
export function canonicalJson(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i += 1) out += (i === 0 ? '' : ',') + canonicalJson(value[i]);
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  // Details are written in canonical order (inCanonicalOrder): most need no sort.
  if (!isSorted(keys)) keys.sort();
  let out = '{';
  for (const key of keys) {
    const field = record[key];
    if (field === undefined) continue;
    out += `${out.length === 1 ? '' : ','}${JSON.stringify(key)}:${canonicalJson(field)}`;
  }
  return `${out}}`;
}

function isSorted(keys: readonly string[]): boolean {
  for (let i = 1; i < keys.length; i += 1) if (keys[i - 1]! > keys[i]!) return false;
  return true;
}

/**
 * The same value with object keys in canonical order at every depth: stored so, SQLite keeps the
 * detail's text canonical and the verifier can hash it as it is read (ChainVerifier's fast path).
 */
export function inCanonicalOrder<T>(value: T): T {
  return JSON.parse(canonicalJson(value)) as T;
}

/**
 * The row's canonical encoding: canonicalJson of its fields, `at` as ISO 8601, written out key
 * by key in sorted order (verifying a million rows spends most of its time here).
 */
export function canonicalRow(row: ChainedFields): string {
  return canonicalParts(row.id, row.seq, row.at.toISOString(), row.actor, row.action, row.subjectType, row.subjectId, canonicalJson(row.detail));
}

/**
 * The same encoding from parts as a reader has them: `at` already in ISO 8601 and the detail
 * already canonical JSON, so a verifier reading raw rows builds no Date or row object.
 */
export function canonicalParts(
  id: number | string,
  seq: number | string,
  atIso: string,
  actor: string,
  action: string,
  subjectType: string,
  subjectId: string | null,
  canonicalDetail: string,
): string {
  const text = JSON.stringify;
  return (
    `{"action":${text(action)},"actor":${text(actor)},"at":"${atIso}","detail":${canonicalDetail},` +
    `"id":${id},"seq":${seq},"subjectId":${text(subjectId)},"subjectType":${text(subjectType)}}`
  );
}

/** sha256 over the previous row's hash and this row's canonical encoding, hex. */
export function chainHash(previousHash: string, row: ChainedFields): string {
  return hashEncoded(previousHash, canonicalRow(row));
}

/** sha256 over the previous row's hash and a canonical encoding, hex: one string, one call. */
export function hashEncoded(previousHash: string, encoded: string): string {
  return hash('sha256', `${previousHash}\n${encoded}`, 'hex');
}

/** Where and how the chain breaks. */
export type ChainBreak =
  | { kind: 'altered'; seq: number; id: number }
  | { kind: 'missing'; seq: number; beforeId: number | null }
  | { kind: 'truncated'; lastSeq: number; expectedLastSeq: number }
  | { kind: 'head_altered'; lastSeq: number };

/**
 * Walks stored rows in seq order, one at a time, and stops at the first break. A row whose hash
 * is not that of its fields after the previous row's hash was altered, or moved (seq and id are
 * hashed too); a gap in seq is a deleted row.
 */
export class ChainVerifier {
  private expectedSeq: number;
  private previousHash: string;
  private broken: ChainBreak | null = null;

  /**
   * From the chain's start, or after the row `after` whose stored hash is given (a range checked
   * apart from the rows before it: a row's check needs only its predecessor's stored hash).
   */
  constructor(private readonly after: { seq: number; hash: string } = { seq: 0, hash: GENESIS_HASH }) {
    this.expectedSeq = after.seq + 1;
    this.previousHash = after.hash;
  }

  /**
   * One row, by its seq, id, stored hash and canonical encoding; false once a break is found.
   * A reader that may hold the encoding in two forms passes the cheap one first and a function
   * for the exact one, called only when the cheap one does not match.
   */
  accept(seq: number, id: number, storedHash: string | null, encoded: string, exactly?: () => string): boolean {
    if (seq !== this.expectedSeq) {
      this.broken = { kind: 'missing', seq: this.expectedSeq, beforeId: id };
      return false;
    }
    if (hashEncoded(this.previousHash, encoded) !== storedHash && (exactly === undefined || hashEncoded(this.previousHash, exactly()) !== storedHash)) {
      this.broken = { kind: 'altered', seq, id };
      return false;
    }
    this.previousHash = storedHash;
    this.expectedSeq += 1;
    return true;
  }

  /** The verdict once every row was given, checked against the head the sealer keeps. */
  finish(head: { lastSeq: number; lastHash: string }): ChainBreak | null {
    if (this.broken) return this.broken;
    const lastSeq = this.expectedSeq - 1;
    if (lastSeq < head.lastSeq) return { kind: 'truncated', lastSeq, expectedLastSeq: head.lastSeq };
    if (lastSeq > head.lastSeq || this.previousHash !== head.lastHash) return { kind: 'head_altered', lastSeq };
    return null;
  }

  /** Rows found intact, from the start (or the row it was started after). */
  get rowsChecked(): number {
    return this.expectedSeq - 1 - this.after.seq;
  }

  /** The last row found intact: its seq and stored hash (where the next range's check starts). */
  get end(): { seq: number; hash: string } {
    return { seq: this.expectedSeq - 1, hash: this.previousHash };
  }

  /** The first break found so far, if any. */
  get found(): ChainBreak | null {
    return this.broken;
  }
}
