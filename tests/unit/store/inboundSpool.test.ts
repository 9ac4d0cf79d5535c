import { appendFileSync, existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { InboundMessage } from '../../../src/channel';
import { randomBytes } from 'node:crypto';
import { InboundSpool } from '../../../src/store/messaging/inboundSpool';
import { TextKeyring } from '../../../src/store/crypto/textKeyring';

const keyring = new TextKeyring([randomBytes(32)]);

function message(id: string, extra: Partial<InboundMessage> = {}): InboundMessage {
  return { channel: 'http', botAccount: 'default', platformMessageId: id, from: { externalId: 'tel:1' }, text: `已联系 电话 ${id}`, receivedAt: new Date('2026-11-30T01:02:03Z'), ...extra };
}

describe('the inbound spool', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'spool-unit-'));
  });

  it('gives back, after a restart, every message it accepted, in order and whole (attachments too)', async () => {
    const spool = await InboundSpool.open(dir, keyring);
    const photo = message('2', { text: '', attachment: { kind: 'image', name: 'a.jpg', mimeType: 'image/jpeg', data: Buffer.from([0xff, 0xd8, 0x00]) } });
    await spool.append(message('1'));
    await spool.append(photo);
    await spool.close();

    const reopened = await InboundSpool.open(dir, keyring);
    expect(reopened.state()).toEqual({ depth: 2, writable: true });
    expect(reopened.peek()).toEqual(message('1'));
    await reopened.removeFirst();
    expect(reopened.peek()).toEqual(photo);
  });

  it('keeps no message text, sender or attachment in clear on disk, and still reads a clear line an earlier version left', async () => {
    const spool = await InboundSpool.open(dir, keyring);
    await spool.append(message('1', { text: '孩子被打了', attachment: { kind: 'image', name: 'a.jpg', mimeType: 'image/jpeg', data: Buffer.from('PHOTO-BYTES') } }));
    await spool.close();
    const onDisk = readFileSync(path.join(dir, 'inbound.jsonl'), 'utf8');
    for (const clear of ['孩子被打了', 'tel:1', Buffer.from('PHOTO-BYTES').toString('base64'), 'a.jpg']) expect(onDisk).not.toContain(clear);
    appendFileSync(path.join(dir, 'inbound.jsonl'), `${JSON.stringify({ message: { ...message('2'), receivedAt: '2026-11-30T01:02:03.000Z' } })}\n`);
    const reopened = await InboundSpool.open(dir, keyring);
    expect(reopened.state().depth).toBe(2);
    await reopened.removeFirst();
    expect(reopened.peek()).toEqual(message('2'));
    await expect(InboundSpool.open(dir, new TextKeyring([randomBytes(32)]))).rejects.toThrow(/not in the keyring/);
  });

  it('ignores a line a crash cut short: it was never acknowledged', async () => {
    const spool = await InboundSpool.open(dir, keyring);
    await spool.append(message('1'));
    await spool.close();
    appendFileSync(path.join(dir, 'inbound.jsonl'), '{"message":{"channel":"ht');
    expect((await InboundSpool.open(dir, keyring)).state().depth).toBe(1);
  });

  it('empties its file once every message is recorded', async () => {
    const spool = await InboundSpool.open(dir, keyring);
    await spool.append(message('1'));
    await spool.append(message('2'));
    await spool.removeFirst();
    expect(statSync(path.join(dir, 'inbound.jsonl')).size).toBeGreaterThan(0);
    await spool.removeFirst();
    await spool.close();
    expect(statSync(path.join(dir, 'inbound.jsonl')).size).toBe(0);
    expect((await InboundSpool.open(dir, keyring)).state().depth).toBe(0);
  });

  it('keeps a message the database refused in a file of its own for an operator', async () => {
    const spool = await InboundSpool.open(dir, keyring);
    await spool.append(message('1'));
    await spool.setAside(spool.peek()!, 'value too long');
    await spool.close();
    expect(spool.state().depth).toBe(0);
    expect(keyring.open(readFileSync(path.join(dir, 'set-aside.jsonl'), 'utf8').trim())).toMatchObject({ reason: 'value too long', message: { platformMessageId: '1' } });
  });
});

describe('the inbound spool folder', () => {
  it('is refused to a second running process while it holds messages, and free again once they are recorded', async () => {
    const { spawn } = await import('node:child_process');
    const dir = mkdtempSync(path.join(os.tmpdir(), 'spool-lock-'));
    // A process that is alive for the test's length holds the lock file.
    const other = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    try {
      writeFileSync(path.join(dir, 'spool.lock'), `${other.pid}\n`);
      const spool = await InboundSpool.open(dir, keyring);
      await expect(spool.append(message('1'))).rejects.toThrow(/in use by another running instance/);
      expect(spool.state()).toEqual({ depth: 0, writable: false });
    } finally {
      other.kill('SIGKILL');
      await new Promise((resolve) => other.once('exit', resolve));
    }
    // Its holder gone, the lock is taken over.
    const spool = await InboundSpool.open(dir, keyring);
    await spool.append(message('1'));
    expect(readFileSync(path.join(dir, 'spool.lock'), 'utf8')).toBe(`${process.pid}\n`);
    await spool.removeFirst();
    await spool.close();
    expect(existsSync(path.join(dir, 'spool.lock'))).toBe(false);
  });
});
