import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FileBox } from 'file-box';
import { areaPath } from '../../src/domain/areaScope';
import type { RunningService } from '../../src/service';
import { startTestService } from '../support/inProcessService';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../support/testDatabase';
import { createVillage, invitePerson, type TestVillage } from '../support/village';
import { inboxOf, mockAccount, say, until, type ContactMock } from '../support/wechatyMock';

const MAX_BYTES = 4096;

/** Directors filing reports (通报处置卡) on WeChat, one line or guided, with photos, through wechaty-puppet-mock. */
describeEachEngine('reports on WeChat', (engine) => {
  let database: TestDatabase;
  let service: RunningService;
  let village: TestVillage;
  let attachmentDir: string;
  let wechat = mockAccount('village');
  let director: ContactMock;
  let directorChat: string[];

  const start = async () => {
    service = await startTestService(
      database,
      {
        WECHATY_PUPPET: 'wechaty-puppet-mock',
        WECHATY_ACCOUNTS: 'village',
        SHOUWANG_SEND_INTERVAL_MS: '0',
        SHOUWANG_SEND_JITTER_MS: '0',
        SHOUWANG_ATTACHMENT_DIR: attachmentDir,
        SHOUWANG_ATTACHMENT_MAX_BYTES: String(MAX_BYTES),
      },
      { wechatyPuppet: () => wechat.puppet },
    );
    wechat.mocker.login(wechat.botUser);
    await until('login', () => service.channels.find((channel) => channel.name === 'wechaty')!.status().accounts[0]!.state === 'logged_in');
  };

  /** Says `text` (or sends a file) and waits for the bot's next answer in that chat. */
  async function ask(contact: ContactMock, seen: string[], text: string | FileBox): Promise<string> {
    const before = seen.length;
    if (typeof text === 'string') say(contact, text, wechat.botUser);
    else contact.say(text).to(wechat.botUser);
    return until(`an answer to "${String(text)}"`, () => seen[before]);
  }

  async function bind(name: string, code: string): Promise<{ contact: ContactMock; chat: string[] }> {
    const contact = wechat.mocker.createContact({ name });
    const chat = inboxOf(contact, wechat.botUser);
    expect(await ask(contact, chat, `绑定 ${code}`)).toMatch(/^绑定成功！/);
    return { contact, chat };
  }

  const reports = () => database.db.report.findMany({ orderBy: { id: 'asc' }, include: { attachments: true } });

  beforeAll(async () => {
    attachmentDir = mkdtempSync(path.join(os.tmpdir(), 'shouwang-attachments-'));
    database = await createTestDatabase(engine);
    village = await createVillage(database.db);
    await database.db.child.createMany({
      data: [
        { name: '王芳', birthDate: '2014-03-02', areaId: village.villageId },
        { name: '王芳', birthDate: '2017-09-20', areaId: village.villageId },
      ],
    });
    await start();
    ({ contact: director, chat: directorChat } = await bind('李主任', village.directorCode));
  });
  afterAll(async () => {
    await service.stop();
    await database.drop();
    rmSync(attachmentDir, { recursive: true, force: true });
  });

  it('files a one-line report and answers with the case number at once', async () => {
    const answer = await ask(director, directorChat, '报告 张小明 打骂 脸上有伤，说是被爸爸打的');
    expect(answer).toMatch(/^已提交报告，编号 TV-\d{4}-\d{6}（紧急）。/);
    const [report] = await reports();
    expect(report).toMatchObject({
      childId: village.childId,
      areaId: village.villageId,
      type: 'abuse_or_injury',
      severity: 'urgent',
      suspected: false,
      description: '脸上有伤，说是被爸爸打的',
      source: 'director',
      reporterId: village.directorId,
      state: 'reported',
    });
    expect(answer).toContain(report!.number);
    expect(await database.db.auditLog.count({ where: { action: 'case.file', subjectId: String(report!.id) } })).toBe(1);
  });

  it('guides a report step by step and files the photo sent along the way', async () => {
    const photo = Buffer.from(Array.from({ length: 2000 }, (_, i) => i % 251));
    expect(await ask(director, directorChat, '报告')).toMatch(/^开始填写报告.*\n第1步：请发送孩子的姓名/s);
    expect(await ask(director, directorChat, '张小明')).toMatch(/^第2步：是什么情况？/);
    expect(await ask(director, directorChat, '生病')).toMatch(/^第3步：请简要描述情况/);
    expect(await ask(director, directorChat, FileBox.fromBase64(photo.toString('base64'), 'photo.jpg'))).toMatch(/^已收到照片，共1个附件，会随报告一起提交。\n第3步/);
    const tooLarge = Buffer.alloc(MAX_BYTES + 1, 7);
    expect(await ask(director, directorChat, FileBox.fromBase64(tooLarge.toString('base64'), 'big.jpg'))).toMatch(/^这个文件没有保存：文件太大（不能超过/);
    expect(await ask(director, directorChat, '发烧三天了，家里没人带去看病')).toMatch(/^第4步：已经采取了哪些措施/);
    expect(await ask(director, directorChat, '上一步')).toMatch(/^第3步/);
    expect(await ask(director, directorChat, '发烧三天了，奶奶腿脚不便没法带去看病')).toMatch(/^第4步/);
    expect(await ask(director, directorChat, '已联系村医上门')).toMatch(/^第5步：是否紧急？/);
    const summary = await ask(director, directorChat, '不紧急');
    expect(summary).toBe(
      [
        '第6步：请确认报告内容：',
        '孩子：张小明',
        '类型：疾病或意外伤害',
        '紧急程度：一般',
        '情况：发烧三天了，奶奶腿脚不便没法带去看病',
        '已采取措施：已联系村医上门',
        '附件：1个',
        '回复“确认”提交，“上一步”修改，“取消”放弃。',
      ].join('\n'),
    );
    expect(await ask(director, directorChat, '确认')).toMatch(/^已提交报告，编号 TV-\d{4}-\d{6}（一般）。/);

    const report = (await reports()).at(-1)!;
    expect(report).toMatchObject({ type: 'illness_or_accident', severity: 'normal', actionsTaken: '已联系村医上门', description: '发烧三天了，奶奶腿脚不便没法带去看病' });
    const sha256 = createHash('sha256').update(photo).digest('hex');
    expect(report.attachments).toEqual([expect.objectContaining({ kind: 'image', sha256, size: photo.length, path: path.join(sha256.slice(0, 2), `${sha256}.jpg`) })]);
    // Sealed at rest: the file on disk is not the photo, and opens to it with the text keys.
    const onDisk = readFileSync(path.join(attachmentDir, report.attachments[0]!.path));
    expect(onDisk.includes(photo)).toBe(false);
    expect(database.keyring.openBytes(onDisk).equals(photo)).toBe(true);
    // Only where the file is and its hash are in the database, never the bytes.
    expect(await database.db.inboxMessage.findFirst({ where: { attachmentSha256: sha256 } })).toMatchObject({ attachmentKind: 'image', attachmentPath: report.attachments[0]!.path, text: '' });
    expect(await database.db.chatDialog.count()).toBe(0);
  });

  it('keeps a guided report across a restart of the service', async () => {
    expect(await ask(director, directorChat, '报告')).toMatch(/^开始填写报告/);
    expect(await ask(director, directorChat, '张小明')).toMatch(/^第2步/);
    // A new process gets a new puppet; WeChat still knows the director's contact.
    await service.stop();
    wechat = mockAccount('village');
    director = wechat.mocker.createContact({ id: director.id, name: '李主任' });
    directorChat = inboxOf(director, wechat.botUser);
    await start();
    expect(await ask(director, directorChat, '失学')).toMatch(/^第3步/);
    expect(await ask(director, directorChat, '开学两周没来上学')).toMatch(/^第4步/);
    expect(await ask(director, directorChat, '无')).toMatch(/^第5步/);
    expect(await ask(director, directorChat, '不紧急')).toMatch(/^第6步/);
    expect(await ask(director, directorChat, '确认')).toMatch(/^已提交报告/);
    expect((await reports()).at(-1)).toMatchObject({ type: 'dropout', childId: village.childId, actionsTaken: null });
  });

  it('drops the draft on 取消 and then answers as usual', async () => {
    const before = (await reports()).length;
    await ask(director, directorChat, '报告');
    await ask(director, directorChat, '张小明');
    expect(await ask(director, directorChat, '取消')).toBe('已取消，这次报告没有提交。');
    expect(await database.db.chatDialog.count()).toBe(0);
    expect(await ask(director, directorChat, '帮助')).toMatch(/^李主任您好，您是儿童主任。/);
    expect(await reports()).toHaveLength(before);
  });

  it('asks which child is meant when several children share the name, and files for the one chosen', async () => {
    const choice = await ask(director, directorChat, '报告 王芳 疑似 性侵 邻居反映有陌生男子多次接触');
    expect(choice).toBe(
      ['本村有2个名为“王芳”的孩子，请回复序号选择：', '1. 王芳（出生于2014-03-02）', '2. 王芳（出生于2017-09-20）', '选好后报告会立即提交；发送“取消”放弃。'].join('\n'),
    );
    expect(await ask(director, directorChat, '3')).toMatch(/^请回复1到2之间的序号。/);
    expect(await ask(director, directorChat, '2')).toMatch(/^已提交报告，编号 TV-\d{4}-\d{6}（紧急）。/);
    const younger = await database.db.child.findFirstOrThrow({ where: { name: '王芳', birthDate: '2017-09-20' } });
    expect((await reports()).at(-1)).toMatchObject({ childId: younger.id, type: 'sexual_abuse_or_pregnancy', suspected: true, severity: 'urgent' });
  });

  it('refuses a report on a child of another village, and one from someone who is not a director, writing nothing', async () => {
    const other = await database.db.area.create({
      data: { code: '880101001002', name: '测试二村', level: 'village', parentId: village.townshipId, path: areaPath('/880101/880101001/', '880101001002') },
    });
    const otherDirector = await invitePerson(database.db, { name: '赵主任', role: 'director', areaId: other.id });
    const guardian = await invitePerson(database.db, { name: '王奶奶', role: 'guardian', areaId: village.villageId, childId: village.childId, linkKind: 'guardian' });
    const before = { reports: await database.db.report.count(), dialogs: await database.db.chatDialog.count() };

    const { contact: zhao, chat: zhaoChat } = await bind('赵主任', otherDirector.code);
    expect(await ask(zhao, zhaoChat, '报告 张小明 打骂 脸上有伤')).toBe('本村没有名为“张小明”的孩子。');
    const { contact: grandma, chat: grandmaChat } = await bind('王奶奶', guardian.code);
    expect(await ask(grandma, grandmaChat, '报告 张小明 打骂 脸上有伤')).toBe('“报告”不是监护人可用的指令。发送“帮助”查看您可以做什么。');
    expect(await ask(grandma, grandmaChat, '报告')).toMatch(/^“报告”不是监护人可用的指令/);

    expect({ reports: await database.db.report.count(), dialogs: await database.db.chatDialog.count() }).toEqual(before);
  });

  it('tells a director who sends a photo outside a report how to attach one, and keeps nothing', async () => {
    const photo = Buffer.from('a photo sent by itself');
    expect(await ask(director, directorChat, FileBox.fromBase64(photo.toString('base64'), 'alone.jpg'))).toBe('要把照片或语音附在报告里，请先发送“报告”，在填写过程中发送。');
    const row = await database.db.inboxMessage.findFirstOrThrow({ where: { attachmentKind: 'image' }, orderBy: { id: 'desc' } });
    expect(row).toMatchObject({ attachmentPath: null, attachmentSha256: null, attachmentSize: photo.length });
  });
});
