import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { InboundMessage } from '../../src/channel';
import { InboxProcessor } from '../../src/chat/inboxProcessor';
import { createLogger } from '../../src/log';
import { catalog } from '../../src/texts/catalog';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../support/testDatabase';
import { createVillage, type TestVillage } from '../support/village';

const NOW = new Date('2026-03-06T02:00:00.000Z');
const SENDER = 'wxid-director';

/**
 * The attachment folder will not take a file: a disk mounted read-only, a folder replaced by a
 * file. Tests run as root, which ignores permissions, so the folder is a file here: writing
 * under it fails as an unwritable folder does.
 */
describeEachEngine('a picture sent while the attachment folder cannot be written', (engine) => {
  let database: TestDatabase;
  let village: TestVillage;
  let scratch: string;
  let inbox: InboxProcessor;
  const logLines: Array<Record<string, unknown>> = [];

  beforeEach(async () => {
    database = await createTestDatabase(engine);
    village = await createVillage(database.db);
    scratch = mkdtempSync(path.join(os.tmpdir(), 'shouwang-attachments-'));
    const notAFolder = path.join(scratch, 'attachments');
    writeFileSync(notAFolder, 'a file where the folder should be');
    logLines.length = 0;
    const capture = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString().split('\n').filter(Boolean)) logLines.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    });
    inbox = new InboxProcessor({
      db: database.db,
      engine: database.engine,
      settings: { timeZone: 'Asia/Shanghai', inviteTtlDays: 7 },
      attachmentDir: notAFolder,
      logger: createLogger('info', capture),
      clock: () => NOW,
    });
    await database.db.chatIdentity.create({ data: { personId: village.directorId, channel: 'wechaty', botAccount: 'village-a', externalId: SENDER } });
  });
  afterEach(async () => {
    await database.drop();
    rmSync(scratch, { recursive: true, force: true });
  });

  const message = (text: string, extra: Partial<InboundMessage> = {}): InboundMessage => ({
    channel: 'wechaty',
    botAccount: 'village-a',
    platformMessageId: randomUUID(),
    from: { externalId: SENDER },
    text,
    receivedAt: NOW,
    ...extra,
  });

  it('records the message without the picture, tells the sender so in Chinese, and logs one line without personal data', async () => {
    await inbox.receive(message('报告'));
    const sent = await inbox.receive(message('', { attachment: { kind: 'image', name: 'bruise.jpg', mimeType: 'image/jpeg', data: Buffer.from('a photo of the injury') } }));

    // Told what happened, then asked again where the report stands, so filing goes on.
    expect(sent.replies.map((reply) => reply.text)).toEqual([`${catalog.reportAttachmentNotStored('image')}\n${catalog.reportAskChild}`]);
    expect(catalog.reportAttachmentNotStored('image')).toMatch(/^这个照片没能保存/);
    const row = await database.db.inboxMessage.findUniqueOrThrow({ where: { id: sent.inboxId } });
    expect(row).toMatchObject({ status: 'handled', attachmentKind: 'image', attachmentPath: null });
    const dialog = await database.db.chatDialog.findFirstOrThrow({ where: { personId: village.directorId } });
    expect(JSON.stringify(dialog.data)).toContain('"attachments":[]');
    expect(readdirSync(scratch)).toEqual(['attachments']);

    const failures = logLines.filter((line) => Number(line.level) >= 40);
    expect(failures).toEqual([expect.objectContaining({ msg: 'an attachment could not be saved: the message is recorded without it', kind: 'image', reason: 'ENOTDIR' })]);
    expect(JSON.stringify(failures)).not.toMatch(new RegExp(`${SENDER}|bruise|injury`));
  });
});
