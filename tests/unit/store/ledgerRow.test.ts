import { ledgerRow, totalCells } from '../../../src/store/ledgers/areas';

describe('a ledger row', () => {
  it('starts with the area’s name cells, then the ledger’s cells in the order given', () => {
    const row = ledgerRow({ district: '测试区', township: '测试镇', village: '测试村' }, { week: '2026-W47', kept: 3 }, { rate: 75 });
    expect(Object.entries(row)).toEqual([
      ['district', '测试区'],
      ['township', '测试镇'],
      ['village', '测试村'],
      ['week', '2026-W47'],
      ['kept', 3],
      ['rate', 75],
    ]);
  });

  it('lets a later cell stand over an earlier one of the same name, as spreading them did', () => {
    expect(ledgerRow(totalCells({ id: 1, code: '990101', name: '测试区', path: '/99/9901/990101/' }), { cases: 0, verified: 0 }, { cases: 4 })).toEqual({
      district: null,
      township: null,
      village: '测试区合计',
      cases: 4,
      verified: 0,
    });
  });
});
