import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { InboundMessage } from '../../src/channel';
import { InboxProcessor } from '../../src/chat/inboxProcessor';
import { createLogger } from '../../src/log';
import { readAttachment } from '../../src/store/messaging/attachments';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../support/testDatabase';
import { createVillage, type TestVillage } from '../support/village';

const NOW = new Date('2026-03-06T02:00:00.000Z');

describeEachEngine('files sent to the bot, and the inbox row', (engine) => {
  let database: TestDatabase;
  let village: TestVillage;
  let dir: string;
  let inbox: InboxProcessor;

  beforeEach(async () => {
    database = await createTestDatabase(engine);
    village = await createVillage(database.db);
    dir = mkdtempSync(path.join(os.tmpdir(), 'shouwang-inbox-'));
    inbox = new InboxProcessor({
      db: database.db,
      engine: database.engine,
      settings: { timeZone: 'Asia/Shanghai', inviteTtlDays: 7, attachmentMaxBytes: 100 },
      attachmentDir: dir,
      logger: createLogger('silent'),
      clock: () => NOW,
    });
    await database.db.chatIdentity.create({ data: { personId: village.directorId, channel: 'wechaty', botAccount: 'village-a', externalId: 'wxid-director' } });
  });
  afterEach(async () => {
    await database.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  const message = (text: string, extra: Partial<InboundMessage> = {}): InboundMessage => ({
    channel: 'wechaty',
    botAccount: 'village-a',
    platformMessageId: randomUUID(),
    from: { externalId: 'wxid-director' },
    text,
    receivedAt: NOW,
    ...extra,
  });
  const photo = (data: Buffer, name = 'photo.jpg') => ({ kind: 'image' as const, name, mimeType: 'image/jpeg', data });
  const savedFiles = () => readdirSync(dir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());

  it('keeps a file sent during a report once, however often it comes, and one over the limit not at all', async () => {
    await inbox.receive(message('报告'));
    const bytes = Buffer.from('the same photo, sent twice');
    const first = await inbox.receive(message('', { attachment: photo(bytes) }));
    await inbox.receive(message('', { attachment: photo(bytes, 'again.jpg') }));
    expect(first.replies.map((reply) => reply.text)).toEqual([expect.stringMatching(/^已收到照片，共1个附件/)]);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    expect(savedFiles().map((entry) => entry.name)).toEqual([`${sha256}.jpg`]);
    // Sealed on disk like the texts: the bytes are not there in clear, and open with the keyring.
    const relative = path.join(sha256.slice(0, 2), `${sha256}.jpg`);
    expect(readFileSync(path.join(dir, relative)).includes(bytes)).toBe(false);
    expect(await readAttachment(dir, relative, database.keyring)).toEqual(bytes);

    const tooLarge = await inbox.receive(message('', { attachment: photo(Buffer.alloc(101)) }));
    expect(tooLarge.replies.map((reply) => reply.text)).toEqual([expect.stringMatching(/^这个文件没有保存/)]);
    expect(savedFiles()).toHaveLength(1);
    expect(await database.db.inboxMessage.findUniqueOrThrow({ where: { id: tooLarge.inboxId } })).toMatchObject({ attachmentKind: 'image', attachmentPath: null, attachmentSize: 101 });
  });

  it('keeps no file of someone who is not filing a report', async () => {
    const result = await inbox.receive(message('', { attachment: photo(Buffer.from('a family photo')) }));
    expect(result.replies.map((reply) => reply.text)).toEqual(['要把照片或语音附在报告里，请先发送“报告”，在填写过程中发送。']);
    expect(savedFiles()).toEqual([]);
  });

  it('recognises the sender of a message left by a crash by the tag it arrived with', async () => {
    // WeChat gave the director a new id at the last login; the message carried their remark tag.
    await database.db.inboxMessage.create({
      data: { channel: 'wechaty', botAccount: 'village-a', platformMessageId: 'left-by-crash', fromExternalId: 'wxid-new', fromTag: `SW-${village.directorId}`, text: '帮助', receivedAt: NOW },
    });
    expect(await inbox.recover()).toBe(1);
    const answer = await database.db.outboxMessage.findFirstOrThrow({ where: { address: 'wxid-new' } });
    expect(answer.text).toMatch(/^李主任您好，您是儿童主任。/);
  });
});
