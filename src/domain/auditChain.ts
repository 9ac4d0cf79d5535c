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
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i += 1) out += (i === 0 ? '' : ',') + canonicalJson(value[i]);
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  let out = '{';
  for (const key of keys) {
    if (record[key] === undefined) continue;
    out += `${out.length === 1 ? '' : ','}${JSON.stringify(key)}:${canonicalJson(record[key])}`;
  }
  return `${out}}`;
}

/**
 * The row's canonical encoding: canonicalJson of its fields, `at` as ISO 8601, written out key
 * by key in sorted order (verifying a million rows spends most of its time here).
 */
export function canonicalRow(row: ChainedFields): string {
  const text = JSON.stringify;
  return (
    `{"action":${text(row.action)},"actor":${text(row.actor)},"at":${text(row.at.toISOString())},"detail":${canonicalJson(row.detail)},` +
    `"id":${row.id},"seq":${row.seq},"subjectId":${text(row.subjectId)},"subjectType":${text(row.subjectType)}}`
  );
}

/** sha256 over the previous row's hash and this row's canonical encoding, hex. */
export function chainHash(previousHash: string, row: ChainedFields): string {
  return hash('sha256', `${previousHash}\n${canonicalRow(row)}`, 'hex');
}

/** Where and how the chain breaks. */
export type ChainBreak =
  | { kind: 'altered'; seq: number; id: number }
  | { kind: 'missing'; seq: number; beforeId: number | null }
  | { kind: 'truncated'; lastSeq: number; expectedLastSeq: number }
  | { kind: 'head_altered'; lastSeq: number };

export interface StoredChainRow extends ChainedFields {
  hash: string;
}

/**
 * Walks stored rows in seq order, batch by batch, and stops at the first break. A row whose hash
 * is not that of its fields after the previous row's hash was altered, or moved (seq and id are
 * hashed too); a gap in seq is a deleted row.
 */
export class ChainVerifier {
  private expectedSeq = 1;
  private previousHash = GENESIS_HASH;
  private broken: ChainBreak | null = null;

  /** False once a break is found: no need to read further. */
  accept(rows: readonly StoredChainRow[]): boolean {
    for (const row of rows) {
      if (row.seq !== this.expectedSeq) {
        this.broken = { kind: 'missing', seq: this.expectedSeq, beforeId: row.id };
        return false;
      }
      if (chainHash(this.previousHash, row) !== row.hash) {
        this.broken = { kind: 'altered', seq: row.seq, id: row.id };
        return false;
      }
      this.previousHash = row.hash;
      this.expectedSeq += 1;
    }
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

  get rowsChecked(): number {
    return this.expectedSeq - 1;
  }
}
