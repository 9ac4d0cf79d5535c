import { catalog } from '../../src/texts/catalog';
import { freeTextTexts } from '../../src/chat/freeTextTexts';
import { createLogger } from '../../src/log';
import { returnHomeQuestionJob } from '../../src/jobs/returnHomeQuestion';
import { referralOverdueJob } from '../../src/jobs/referralOverdue';
import { keyed } from '../../src/texts/keyedMessages';
import { returnHomeTexts } from '../../src/texts/returnHomeTexts';
import { migrantWorkLedger } from '../../src/store/ledgers/migrantWork';
import { startApiServer, tokenFor } from '../support/adminApi';
import { SimulatedWechat } from '../support/simulatedWechat';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../support/testDatabase';
import { createVillage, type TestVillage } from '../support/village';

const SHANGHAI = (local: string) => new Date(`${local}+08:00`);
const START = SHANGHAI('2026-11-30T20:00:00');

describeEachEngine('parents’ work (务工) and the migrant-work ledger', (engine) => {
  let database: TestDatabase;
  let village: TestVillage;
  let wechat: SimulatedWechat;

  async function awayParent(name: string, worksAway = true) {
    const person = await database.db.person.create({ data: { name, role: 'parent', areaId: village.villageId } });
    await database.db.childLink.create({ data: { childId: village.childId, personId: person.id, kind: 'parent', worksAway } });
    await wechat.bind(person.id, name);
  }

  async function ledgerRows(now = START) {
    const scope = await database.db.area.findUniqueOrThrow({ where: { id: village.districtId } });
    const rows = [];
    for await (const batch of migrantWorkLedger.rows(database.db, scope, { now, timeZone: 'Asia/Shanghai' })) rows.push(...batch);
    return rows;
  }

  beforeEach(async () => {
    database = await createTestDatabase(engine);
    wechat = new SimulatedWechat(database, engine, START);
    village = await createVillage(database.db, START);
    await awayParent('张父');
    await awayParent('张母');
    await awayParent('在家的叔叔', false);
  });
  afterEach(() => database.drop());

  it('records where a parent works and since when; the same place keeps its date, a new one starts afresh', async () => {
    expect(await wechat.says('张父', '务工', START)).toEqual([catalog.parentWorkUsage]);
    expect(await wechat.says('张父', '务工 深圳 电子厂', START)).toEqual([catalog.parentWorkRecorded('深圳', '电子厂', '2026年11月30日')]);
    expect(await wechat.says('张父', '务工 深圳', SHANGHAI('2027-01-05T09:00:00'))).toEqual([catalog.parentWorkRecorded('深圳', '电子厂', '2026年11月30日')]);
    expect(await wechat.says('张父', '务工 东莞 建筑', SHANGHAI('2027-03-01T09:00:00'))).toEqual([catalog.parentWorkRecorded('东莞', '建筑', '2027年3月1日')]);
    expect(await database.db.auditLog.count({ where: { action: 'parent.work' } })).toBe(3);
  });

  it('counts per village the away parents, who reported, the destinations and trades, without any child', async () => {
    await wechat.says('张父', '务工 深圳 电子厂', START);
    await wechat.says('张母', '务工 深圳 家政', START);
    expect(await ledgerRows()).toEqual([
      { district: '测试区', township: '测试镇', village: '测试村', awayParents: 2, reported: 2, destinations: '深圳 2', trades: '电子厂 1、家政 1', returnAnswered: 0, returnWork: 0, returnBusiness: 0, needTraining: 0, needJobs: 0, needLoans: 0, consented: 0 },
    ]);
    expect(JSON.stringify(await ledgerRows())).not.toContain('张小明');
  });

  it('is readable by 人社 department staff of the area, as JSON and as an export; no other department, no other ledger', async () => {
    await wechat.says('张父', '务工 深圳 电子厂', START);
    const api = await startApiServer(database, () => START);
    try {
      const hr = await tokenFor(database.db, 'department', '880101', 'human_resources');
      const education = await tokenFor(database.db, 'department', '880101', 'education');
      const ledger = await api.call('GET', '/ledgers/migrant-work?area=880101', { token: hr });
      expect(ledger.status).toBe(200);
      expect(ledger.body.rows).toEqual([{ district: '测试区', township: '测试镇', village: '测试村', awayParents: 2, reported: 1, destinations: '深圳 1', trades: '电子厂 1', returnAnswered: 0, returnWork: 0, returnBusiness: 0, needTraining: 0, needJobs: 0, needLoans: 0, consented: 0 }]);
      const csv = await api.call('GET', '/exports/migrant-work?format=csv&area=880101', { token: hr });
      expect(csv.status).toBe(200);
      expect(csv.body).toContain('深圳 1');
      for (const path of ['/ledgers/cases?area=880101', '/children', '/exports/children?format=csv&area=880101']) {
        expect({ path, status: (await api.call('GET', path, { token: hr })).status }).toEqual({ path, status: 404 });
      }
      expect((await api.call('GET', '/ledgers/migrant-work?area=880101', { token: education })).status).toBe(404);
    } finally {
      await api.stop();
    }
  });

  describe('the twice-yearly return-home question', () => {
    const MARCH = SHANGHAI('2027-03-15T10:00:00');
    /** 人社's answer is due seven days after the parent's consent. */
    const DUE = new Date(MARCH.getTime() + 7 * 24 * 3_600_000);
    const run = (at: Date) => returnHomeQuestionJob.run({ db: database.db, engine, now: at, timeZone: 'Asia/Shanghai', logger: createLogger('silent') });

    beforeEach(async () => {
      const hr = await database.db.person.create({ data: { name: '人社局赵科长', role: 'officer', areaId: village.districtId, department: 'human_resources', phone: '13800000001' } });
      await wechat.bind(hr.id, '人社局赵科长');
      await database.db.person.updateMany({ where: { name: '张父' }, data: { phone: '13900000002' } });
    });

    it('asks each away parent once a half-year, never the parent at home', async () => {
      expect(await run(MARCH)).toMatchObject({ parents: 2, asked: 2 });
      expect(await run(SHANGHAI('2027-03-15T11:00:00'))).toMatchObject({ asked: 0, alreadyAsked: 2 });
      expect(await wechat.promptsTo('张父')).toEqual([keyed.returnHomeQuestion('张父').text]);
      expect(await wechat.promptsTo('在家的叔叔')).toEqual([]);
      const row = await database.db.outboxMessage.findFirstOrThrow({ where: { address: 'wxid-张父' } });
      expect(row).toMatchObject({ messageKey: 'work.return_question', params: { parent: '张父' } });
      expect(await run(SHANGHAI('2027-09-15T10:00:00'))).toMatchObject({ asked: 2 });
    });

    it('skips a parent who paused (暂停提醒) or stopped (退订) prompts, without counting them asked', async () => {
      expect(await wechat.says('张母', '退订', SHANGHAI('2027-03-01T09:00:00'))).toEqual([expect.any(String)]);
      expect(await run(MARCH)).toMatchObject({ parents: 2, asked: 1, paused: 1 });
      expect(await wechat.promptsTo('张母')).toEqual([]);
      expect(await database.db.returnHomeWish.count({ where: { person: { name: '张母' } } })).toBe(0);
      // Unprompted, the answer is still taken.
      expect(await wechat.says('张母', '不返乡', MARCH)).toEqual([returnHomeTexts.recorded('no', [], false, false)]);
    });

    it('takes the work and the return-home answer in the parent’s own words', async () => {
      await run(MARCH);
      // Free words are said back with an undo, as a contact or a holiday answer is.
      expect(await wechat.says('张父', '我现在在东莞电子厂上班', MARCH)).toEqual([`${catalog.parentWorkRecorded('东莞', '电子厂', '2027年3月15日')}\n${freeTextTexts.undoHint}`]);
      expect(await wechat.says('张父', '想回老家开个店，需要贷款，可以联系我', MARCH)).toEqual([`${returnHomeTexts.recorded('business', ['startup_loan'], true, false)}\n${freeTextTexts.undoHint}`]);
      expect(await wechat.promptsTo('人社局赵科长')).toEqual([keyed.returnHomeReferral('张父', '测试村', 'business', ['startup_loan'], DUE, 'Asia/Shanghai').text]);
      expect(await wechat.says('张母', '暂时不考虑返乡', MARCH)).toEqual([`${returnHomeTexts.recorded('no', [], false, false)}\n${freeTextTexts.undoHint}`]);
      expect(await ledgerRows(MARCH)).toEqual([expect.objectContaining({ reported: 1, destinations: '东莞 1', returnAnswered: 2, returnBusiness: 1, needLoans: 1, consented: 1 })]);
    });

    it('撤销 puts a work answer from free words back as it was: the earlier place, or none', async () => {
      await wechat.says('张父', '务工 深圳 电子厂', START);
      await wechat.says('张父', '我现在在东莞工地干活', MARCH);
      expect(await database.db.parentWork.findFirstOrThrow({ where: { person: { name: '张父' } } })).toMatchObject({ place: '东莞' });
      expect(await wechat.says('张父', '撤销', MARCH)).toEqual([freeTextTexts.undone(freeTextTexts.undoneWork('东莞'))]);
      expect(await database.db.parentWork.findFirstOrThrow({ where: { person: { name: '张父' } } })).toMatchObject({ place: '深圳', trade: '电子厂', since: START });
      expect(await wechat.says('张父', '撤销', MARCH)).toEqual([freeTextTexts.nothingToUndo]);

      await wechat.says('张母', '我在东莞电子厂上班', MARCH);
      await wechat.says('张母', '撤销', MARCH);
      expect(await database.db.parentWork.count({ where: { person: { name: '张母' } } })).toBe(0);
      expect(await database.db.auditLog.count({ where: { action: 'parent.work.undo' } })).toBe(2);
    });

    it('撤销 puts a return-home answer from free words back, and withdraws the referral it made until 人社 accepts it', async () => {
      await run(MARCH);
      await wechat.says('张父', '想回老家开个店，需要贷款，可以联系我', MARCH);
      expect(await database.db.referral.count()).toBe(1);
      // The parent hears the undo; 人社's staff, told of the referral, hear it is withdrawn.
      expect(await wechat.says('张父', '撤销', MARCH)).toEqual([freeTextTexts.returnHomeReferralWithdrawn('张父', '测试村'), freeTextTexts.undone(freeTextTexts.undoneReturnHome)]);
      expect(await database.db.outboxMessage.count({ where: { address: 'wxid-人社局赵科长' } })).toBe(2);
      expect(await database.db.referral.count()).toBe(0);
      // Asked, never answered: as it was before the answer.
      expect(await database.db.returnHomeWish.findFirstOrThrow({ where: { person: { name: '张父' } } })).toMatchObject({ answeredAt: null, intention: null, needs: null, consent: null });
      expect(await ledgerRows(MARCH)).toEqual([expect.objectContaining({ returnAnswered: 0, consented: 0 })]);

      // Accepted by 人社 already: the answer stays, and the parent is told why.
      await wechat.says('张父', '想回老家开个店，需要贷款，可以联系我', MARCH);
      await database.db.referral.updateMany({ data: { state: 'accepted', acceptedAt: MARCH } });
      expect(await wechat.says('张父', '撤销', MARCH)).toEqual([freeTextTexts.returnHomeAlreadyAccepted]);
      expect(await database.db.referral.count()).toBe(1);
      expect(await database.db.returnHomeWish.findFirstOrThrow({ where: { person: { name: '张父' } } })).toMatchObject({ intention: 'business', consent: true });
    });

    it('refers a consenting parent who wants help to 人社; one who does not consent is counted, never referred', async () => {
      await run(MARCH);
      expect(await wechat.says('张父', '返乡 创业 贷款 同意', MARCH)).toEqual([returnHomeTexts.recorded('business', ['startup_loan'], true, false)]);
      expect(await wechat.promptsTo('人社局赵科长')).toEqual([keyed.returnHomeReferral('张父', '测试村', 'business', ['startup_loan'], DUE, 'Asia/Shanghai').text]);
      expect(await wechat.says('张母', '返乡 就业 培训', MARCH)).toEqual([returnHomeTexts.recorded('work', ['training'], false, true)]);
      expect(await wechat.says('张母', '返乡 不同意', MARCH)).toEqual([returnHomeTexts.consentRefused]);
      // Saying it again refers nobody twice.
      await wechat.says('张父', '返乡 创业 贷款 同意', MARCH);
      expect(await wechat.promptsTo('人社局赵科长')).toHaveLength(1);

      const api = await startApiServer(database, () => MARCH);
      try {
        const hr = await tokenFor(database.db, 'department', '880101', 'human_resources');
        const list = await api.call('GET', '/return-home-requests', { token: hr });
        expect(list.status).toBe(200);
        expect(list.body.items).toEqual([
          expect.objectContaining({
            period: '2027H1',
            parent: { name: '张父', phone: '13900000002', village: '测试村' },
            intention: 'business',
            needs: ['startup_loan'],
            referral: expect.objectContaining({ state: 'sent', dueAt: DUE.toISOString() }),
          }),
        ]);
        expect(JSON.stringify(list.body)).not.toContain('张小明');
        const education = await tokenFor(database.db, 'department', '880101', 'education');
        expect((await api.call('GET', '/return-home-requests', { token: education })).status).toBe(404);
        const ledger = await api.call('GET', '/ledgers/migrant-work?area=880101', { token: hr });
        expect(ledger.body.rows[0]).toMatchObject({ returnAnswered: 2, returnWork: 1, returnBusiness: 1, needTraining: 1, needLoans: 1, consented: 1 });
      } finally {
        await api.stop();
      }
    });

    it('hands the consenting parent to 人社 as a referral: staff accept and answer it, the parent hears each, overdue reminds 人社 then the township', async () => {
      const township = await database.db.person.create({ data: { name: '周干事', role: 'officer', areaId: village.townshipId } });
      await wechat.bind(township.id, '周干事');
      await run(MARCH);
      await wechat.says('张父', '想回老家开个店，需要贷款，可以联系我', MARCH);
      await wechat.says('张母', '返乡 就业 培训 不同意', MARCH);
      const referral = await database.db.referral.findFirstOrThrow({ include: { returnHomeWish: { include: { person: true } } } });
      expect(referral).toMatchObject({ department: 'human_resources', state: 'sent', reportId: null, dueAt: DUE, request: '返乡创业，需要：创业贷款' });
      expect(referral.returnHomeWish!.person.name).toBe('张父');
      expect(await database.db.referral.count()).toBe(1); // 张母 refused: counted, not referred
      // The consent (and the refusal) is recorded on the wish, in the parent's own audited write.
      const consents = await database.db.returnHomeWish.findMany({ select: { consent: true, person: { select: { name: true } } }, orderBy: { id: 'asc' } });
      expect(consents.map((wish) => [wish.person.name, wish.consent])).toEqual([
        ['张父', true],
        ['张母', false],
      ]);

      const api = await startApiServer(database, () => MARCH);
      try {
        const hr = await tokenFor(database.db, 'department', '880101', 'human_resources');
        const education = await tokenFor(database.db, 'department', '880101', 'education');
        const list = await api.call('GET', '/referrals', { token: hr });
        expect(list.status).toBe(200);
        expect(list.body.items).toEqual([
          expect.objectContaining({
            id: referral.id,
            subject: 'return_home',
            caseNumber: null,
            case: null,
            child: null,
            directors: [],
            parent: { name: '张父', phone: '13900000002', village: '测试村', work: null, period: '2027H1', intention: 'business', needs: ['startup_loan'] },
          }),
        ]);
        expect(JSON.stringify(list.body)).not.toContain('张小明');
        expect((await api.call('GET', `/referrals/${referral.id}`, { token: education })).status).toBe(404);

        // Unanswered past its deadline: 人社's staff are reminded, then the township at twice it.
        const overdue = (at: Date) => referralOverdueJob.run({ db: database.db, engine, now: at, timeZone: 'Asia/Shanghai', logger: createLogger('silent') });
        expect(await overdue(new Date(DUE.getTime() + 3_600_000))).toMatchObject({ departmentsReminded: 1 });
        expect((await wechat.promptsTo('人社局赵科长')).at(-1)).toBe(returnHomeTexts.overdueForDepartment('张父', '测试村', DUE, 'Asia/Shanghai'));
        expect(await overdue(new Date(DUE.getTime() + 8 * 24 * 3_600_000))).toMatchObject({ townshipsTold: 1 });
        expect(await wechat.promptsTo('周干事')).toEqual([returnHomeTexts.overdueForTownship('张父', '测试村', DUE, 'Asia/Shanghai')]);

        const accepted = await api.call('POST', `/referrals/${referral.id}/accept`, { token: hr, body: {} });
        expect(accepted.status).toBe(200);
        expect(accepted.body).toMatchObject({ state: 'accepted' });
        expect(await api.call('POST', `/referrals/${referral.id}/progress`, { token: hr, body: { note: '已电话联系，约下周面谈' } })).toMatchObject({ status: 200, body: { progress: '已电话联系，约下周面谈' } });
        const answered = await api.call('POST', `/referrals/${referral.id}/feedback`, { token: hr, body: { note: '已推荐创业担保贷款，请到镇人社所办理' } });
        expect(answered.body).toMatchObject({ state: 'answered', feedback: '已推荐创业担保贷款，请到镇人社所办理' });
        expect(await wechat.promptsTo('张父')).toEqual([
          keyed.returnHomeQuestion('张父').text,
          returnHomeTexts.referralReply('accept', ''),
          returnHomeTexts.referralReply('progress', '已电话联系，约下周面谈'),
          returnHomeTexts.referralReply('answer', '已推荐创业担保贷款，请到镇人社所办理'),
        ]);
        const reply = await database.db.outboxMessage.findFirstOrThrow({ where: { address: 'wxid-张父', messageKey: 'work.return_referral.reply' } });
        expect(reply.params).toEqual({ state: '已接收' });
        // No case grew from it: the case list and its steps are untouched.
        expect(await database.db.report.count()).toBe(0);
        expect(await database.db.caseStep.count()).toBe(0);

        const timeliness = await api.call('GET', '/ledgers/referral-timeliness?area=880101', { token: await tokenFor(database.db, 'officer_district', '880101') });
        expect(timeliness.body.rows).toEqual([expect.objectContaining({ department: '人社', referred: 1, accepted: 1, answered: 1, answeredOnTime: 1 })]);
        expect(await api.call('GET', '/return-home-requests', { token: hr })).toMatchObject({ body: { items: [expect.objectContaining({ referral: expect.objectContaining({ state: 'answered' }) })] } });
      } finally {
        await api.stop();
      }
    });

    it('lets 人社 hand the request back with a reason, which the parent hears', async () => {
      await wechat.says('张父', '返乡 就业 推荐 同意', MARCH);
      const { id } = await database.db.referral.findFirstOrThrow();
      const api = await startApiServer(database, () => MARCH);
      try {
        const hr = await tokenFor(database.db, 'department', '880101', 'human_resources');
        expect((await api.call('POST', `/referrals/${id}/return`, { token: hr, body: { note: '本地暂无合适岗位' } })).body).toMatchObject({ state: 'returned', returnReason: '本地暂无合适岗位' });
        expect((await wechat.promptsTo('张父')).at(-1)).toBe(returnHomeTexts.referralReply('return', '本地暂无合适岗位'));
        // Once a half-year: saying it again refers nobody twice.
        await wechat.says('张父', '返乡 就业 推荐 同意', MARCH);
        expect(await database.db.referral.count()).toBe(1);
      } finally {
        await api.stop();
      }
    });
  });
});
