import { catalog } from '../../src/texts/catalog';
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

  async function ledgerRows() {
    const scope = await database.db.area.findUniqueOrThrow({ where: { id: village.districtId } });
    const rows = [];
    for await (const batch of migrantWorkLedger.rows(database.db, scope, { now: START, timeZone: 'Asia/Shanghai' })) rows.push(...batch);
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
      { district: '测试区', township: '测试镇', village: '测试村', awayParents: 2, reported: 2, destinations: '深圳 2', trades: '电子厂 1、家政 1' },
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
      expect(ledger.body.rows).toEqual([{ district: '测试区', township: '测试镇', village: '测试村', awayParents: 2, reported: 1, destinations: '深圳 1', trades: '电子厂 1' }]);
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
});
