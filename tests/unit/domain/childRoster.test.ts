import { parseRosterDate, rosterFieldsOf, rosterRowSchema, stageOfGrade } from '../../../src/domain/childRoster';

const village = { id: 7, code: '880101001001', name: '测试村' };
const schema = rosterRowSchema({ villages: [village], asOf: new Date('2026-11-28T02:00:00Z'), zone: 'Asia/Shanghai' });

describe('a roster row', () => {
  it('finds columns by their Chinese header, whatever the brackets, spaces or required-marks', () => {
    expect(rosterFieldsOf(['*姓名', '村(社区)', ' 出生日期：', '备注', '父亲是否外出务工'])).toEqual(['name', 'village', 'birthDate', undefined, 'fatherAway']);
  });

  it('reads the dates rosters are written with, and no impossible day', () => {
    expect(['2016-05-01', '2016/5/1', '2016.5.1', '20160501', '2016年5月1日'].map(parseRosterDate)).toEqual(Array(5).fill('2016-05-01'));
    expect(parseRosterDate('2016-02-30')).toBeUndefined();
    expect(parseRosterDate('16/5/1')).toBeUndefined();
  });

  it('takes the stage from the grade when no stage is given', () => {
    expect(['三年级', '初二', '八年级', '高一', '大班', '其他'].map(stageOfGrade)).toEqual(['primary', 'junior', 'junior', 'senior', 'preschool', undefined]);
  });

  it('lists a parent the roster says is at home, and leaves out one it says nothing about', () => {
    const atHome = schema.parse({ name: '王小红', birthDate: '2014-03-08', village: '测试村', fatherAway: '否', motherAway: '是' });
    expect(atHome.parents).toEqual([
      { relation: '父亲', name: null, worksAway: false },
      { relation: '母亲', name: null, worksAway: true },
    ]);
    expect(schema.parse({ name: '王小红', birthDate: '2014-03-08', village: '测试村', motherAway: '是' }).parents).toEqual([{ relation: '母亲', name: null, worksAway: true }]);
    expect(schema.parse({ name: '王小红', birthDate: '2014-03-08', village: '测试村' }).parents).toBeNull();
  });

  it('never takes 留守儿童 from the file, and names the first problem of a bad row', () => {
    expect(schema.parse({ name: '王小红', birthDate: '2014-03-08', village: '测试村', categories: '留守儿童、经济困难' }).categories).toEqual(['economic_hardship']);
    const bad = schema.safeParse({ name: '王小红', birthDate: '2014-03-08', village: '测试村', gender: '未知', categories: '孤儿' });
    expect(bad.success ? [] : bad.error.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([['gender', '性别“未知”应为男或女']]);
  });
});
