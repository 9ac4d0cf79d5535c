import * as schemaEnums from '../../../src/store/generated/sqlite/enums';
import { LABELS } from '../../../src/domain/labels';

/** Enums no user reads as words: machine states, scopes and sources shown only by their values. */
const UNLABELLED = ['AreaLevel', 'LinkKind', 'AgreementStatus', 'ContactWeekStatus', 'ReportSource', 'InboxStatus', 'OutboxStatus', 'JobRunStatus'];

describe('the label table (src/domain/labels.ts)', () => {
  const enums = (Object.entries(schemaEnums) as Array<[string, unknown]>).filter(([, values]) => typeof values === 'object');

  it('labels every value of every labelled schema enum, and nothing else', () => {
    for (const [name, values] of Object.entries(LABELS)) {
      const schemaValues = schemaEnums[name as keyof typeof schemaEnums] as Record<string, string> | undefined;
      expect([name, Object.keys(values).sort()]).toEqual([name, Object.values(schemaValues ?? {}).sort()]);
      for (const label of Object.values(values) as string[]) expect(label).toMatch(/^[\u4e00-\u9fff]+$/);
    }
  });

  it('decides for every schema enum whether it is labelled', () => {
    expect(enums.map(([name]) => name).filter((name) => !(name in LABELS) && !UNLABELLED.includes(name))).toEqual([]);
  });

  it('gives two values of one enum two different labels', () => {
    for (const values of Object.values(LABELS)) expect(new Set(Object.values(values)).size).toBe(Object.keys(values).length);
  });

  it('names the case states as chat, ledgers and exports show them', () => {
    expect(LABELS.CaseState).toEqual({ reported: '待核实', verified: '已核实', referred: '已转介', assisting: '帮扶中', closed: '已结案', dismissed: '不予立案' });
  });
});
