import { readFileSync } from 'node:fs';
import path from 'node:path';
import { keyed, MESSAGE_KINDS } from '../../src/texts/keyedMessages';
import { contactReminderJob } from '../../src/jobs/contactReminder';
import { claimOutbound } from '../../src/store/messaging/outboxLeases';
import { SimulatedWechat } from '../support/simulatedWechat';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../support/testDatabase';
import { createVillage, invitePerson, type TestVillage } from '../support/village';

const SHANGHAI = (local: string) => new Date(`${local}+08:00`);
/** Friday 19:00 of ISO week 2026-W45, when the weekly reminder runs. */
const FRIDAY = SHANGHAI('2026-11-06T19:00:00');

describe('message kinds', () => {
  it('gives every prompt and alert kind its own key', () => {
    expect(MESSAGE_KINDS.size).toBe(Object.keys(keyed).length);
  });

  it('lists every kind with its fields in the README, for whoever configures templates', () => {
    const readme = readFileSync(path.resolve(__dirname, '../../README.md'), 'utf8');
    const missing = [...MESSAGE_KINDS].filter(([key, fields]) => !readme.includes(`| \`${key}\` | ${fields.map((field) => `\`${field}\``).join(', ')} |`));
    expect(missing).toEqual([]);
  });

  it('fills exactly the template fields a kind declares, beside the catalog text', () => {
    const reminder = keyed.contactReminder('张伟', ['张小明', '张小红']);
    expect(reminder.key).toBe('contact.reminder');
    expect(reminder.params).toEqual({ parent: '张伟', child: '张小明、张小红' });
    expect(Object.keys(reminder.params)).toEqual(MESSAGE_KINDS.get('contact.reminder'));
    expect(reminder.text).toContain('本周还没有记录与张小明、张小红的联系');
  });
});

describeEachEngine('outbox rows that know what they are', (engine) => {
  let database: TestDatabase;
  let village: TestVillage;
  let wechat: SimulatedWechat;

  beforeEach(async () => {
    database = await createTestDatabase(engine);
    village = await createVillage(database.db, FRIDAY);
    wechat = new SimulatedWechat(database, engine, FRIDAY);
  });
  afterEach(() => database.drop());

  it('keeps the weekly reminder’s key and fields (bulk insert) and hands them to the channel with the text', async () => {
    const parent = await invitePerson(database.db, { name: '张伟', role: 'parent', areaId: village.villageId, childId: village.childId, linkKind: 'parent' });
    await wechat.bind(parent.personId, '张伟');

    await wechat.run(contactReminderJob, FRIDAY);

    const [row] = await claimOutbound(database.db, engine, { channel: 'wechaty', botAccount: 'village-a', owner: 'test', now: FRIDAY, leaseMs: 60_000, limit: 10 });
    expect(row).toMatchObject({ address: 'wxid-张伟', messageKey: 'contact.reminder', params: { parent: '张伟', child: '张小明' }, isRoom: false });
    expect(row!.text).toContain('本周还没有记录与张小明的联系');
  });

  it('keys an alert queued one by one, and leaves an answer without a key', async () => {
    await wechat.bind(village.directorId, '李主任');
    const township = await invitePerson(database.db, { name: '镇民政员', role: 'officer', areaId: village.townshipId });
    await wechat.bind(township.personId, '镇民政员');

    await wechat.says('李主任', '报告 张小明 打骂 脸上有伤', FRIDAY);

    const rows = await database.db.outboxMessage.findMany({ orderBy: { id: 'asc' } });
    const alert = rows.find((row) => row.address === 'wxid-镇民政员');
    expect(alert).toMatchObject({ messageKey: 'case.alert', params: { child: '张小明', type: '虐待或伤害', severity: '紧急' } });
    expect((alert!.params as Record<string, string>).number).toMatch(/^TV-2026-\d{6}$/);
    const answer = rows.find((row) => row.address === 'wxid-李主任');
    expect(answer).toMatchObject({ messageKey: null, params: null });
  });
});
