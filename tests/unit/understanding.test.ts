import { parseDate } from '../../src/chat/understanding/dates';
import { isUrgent } from '../../src/chat/understanding/intents';
import { parseMinutes, parseNumber } from '../../src/chat/understanding/numbers';
import { understand, type UnderstandingContext } from '../../src/chat/understanding/understand';

const TODAY = '2026-11-30';
const family: UnderstandingContext = {
  role: 'parent',
  today: TODAY,
  children: [
    { name: '王小红', birthDate: '2014-03-08', sex: 'F' },
    { name: '王小明', birthDate: '2017-10-20', sex: 'M' },
  ],
};

describe('numbers and durations as people say them', () => {
  it.each([
    ['二十分钟', 20],
    ['半个小时', 30],
    ['个把小时', 60],
    ['一个半小时', 90],
    ['一刻钟', 15],
    ['十来分钟', 10],
    ['两个钟头', 120],
    ['聊了一会', null],
  ])('%s is %p minutes', (text, minutes) => expect(parseMinutes(text)).toBe(minutes));

  it('reads Chinese numerals', () => {
    expect([parseNumber('二十五'), parseNumber('廿六'), parseNumber('十五'), parseNumber('一百二')]).toEqual([25, 26, 15, 120]);
  });
});

describe('dates relative to today and on the lunar calendar', () => {
  it.each([
    ['明天', '2026-12-01'],
    ['大后天', '2026-12-03'],
    ['下周六', '2026-12-12'],
    ['下个月15号', '2026-12-15'],
    ['元旦', '2027-01-01'],
    ['腊月二十', '2027-01-27'],
    ['正月初八', '2027-02-13'],
    ['过年', '2027-02-06'],
    ['除夕', '2027-02-05'],
    ['元宵', '2027-02-20'],
    ['中秋', '2027-09-15'],
    ['清明', '2027-04-05'],
  ])('%s is %s', (text, day) => expect(parseDate(text, TODAY)).toBe(day));

  it('takes 除夕 as the lunar year’s last day, which in 2027 is 腊月廿九', () => {
    expect(parseDate('大年三十回来', TODAY)).toBe('2027-02-05');
  });

  it('reads a bare day in a holiday answer as a day of the coming vacation, not the next such day', () => {
    expect(understand('28号我来接', family).slots).toMatchObject({ date: '2027-01-28' });
    expect(understand('18号回来', family).slots).toMatchObject({ date: '2027-01-18' });
    expect(understand('15号来接伢', { ...family, vacationStartsOn: '2027-07-10' }).slots).toMatchObject({ date: '2027-07-15' });
    expect(parseDate('28号', TODAY)).toBe('2026-12-28');
  });
});

describe('children the way parents call them', () => {
  const childOf = (text: string) => (understand(text, family).slots as { child?: string | null }).child;

  it.each([
    ['今天和小红视频了20分钟', '王小红'],
    ['跟红红视频了半个小时', '王小红'],
    ['和王晓红视频二十分钟', '王小红'],
    ['wangxiaohong 视频45分钟', '王小红'],
    ['wxm 打了电话', '王小明'],
    ['和老二打了一刻钟电话', '王小明'],
    ['昨晚上跟大的视频了个把小时', '王小红'],
  ])('%s means %s', (text, child) => expect(childOf(text)).toBe(child));

  it('asks rather than guesses when two children fit', () => {
    const result = understand('今天和孩子视频了20分钟', family);
    expect(result.slots).toEqual({ child: null, mode: 'video', minutes: 20 });
    expect(result.ambiguousChildren).toEqual(['王小红', '王小明']);
  });

  it('reads 曾 as zeng in a pinyin name', () => {
    const result = understand('zengjiayi视频了', { ...family, children: [{ name: '曾佳怡', birthDate: '2015-06-01', sex: 'F' }] });
    expect(result.slots).toMatchObject({ child: '曾佳怡' });
  });
});

describe('danger comes first, said plainly or not', () => {
  it.each([
    ['parent', '红红说有个男的老是摸她 她不敢跟奶奶讲'],
    ['guardian', '伢两天冇回来了 到处找不到'],
    ['parent', '明明说他不想活了'],
    ['teacher', '张浩然身上好多伤 问他说是他爸打的'],
  ] as const)('a %s writing “%s” files an urgent report', (role, text) => {
    expect(isUrgent(understand(text, { ...family, role }))).toBe(true);
  });

  it.each(['伢说作业多得要死 烦死了', '他爸昨天打了视频来的', '明明摔了一跤 手破了点皮 已经擦了药', '佳怡发烧了 奶奶带她打了针 好多了'])(
    '“%s” is no alarm',
    (text) => expect(isUrgent(understand(text, { ...family, role: 'guardian' }))).toBe(false),
  );

  it.each([
    ['parent', '伢被人打了 他说没大事 但是一直头晕 吐了一回'],
    ['guardian', '明明放学后就联系不上了'],
    ['parent', '伢跑出去了 不晓得人在哪'],
    ['guardian', '伢他爸打了她几下 后来拿衣架抽 腿上全是紫的'],
  ] as const)('a %s writing “%s” files an urgent report though it sounds like a near miss', (role, text) => {
    expect(isUrgent(understand(text, { ...family, role }))).toBe(true);
  });

  it.each([
    ['guardian', '小明从树上摔下来 起了个包 医生说没啥大事'],
    ['parent', '伢不听话 她妈打了几下屁股 早就不哭了'],
    ['parent', '红红跟她爸吵架 说爸爸不要她了 过会儿就好了'],
    ['teacher', '刘思雨的家长一直联系不上 学费没交'],
    ['guardian', '他妈电话打不通 想问伢的生活费'],
  ] as const)('a %s writing “%s” (it was nothing much, or a parent out of reach) raises no alarm', (role, text) => {
    expect(isUrgent(understand(text, { ...family, role }))).toBe(false);
  });

  it('makes a director’s danger an urgent report of the right type', () => {
    const result = understand('陈俊杰他爸喝醉了就打他 今天去看身上都是伤', { role: 'director', today: TODAY, children: [{ name: '陈俊杰' }] });
    expect(result).toMatchObject({ intent: 'report', slots: { child: '陈俊杰', type: '虐待或伤害', urgent: true } });
  });
});

describe('each role’s own words', () => {
  it('answers a numbered question with a bare number or 第二个', () => {
    expect(understand('第二个', family)).toMatchObject({ intent: 'choice_reply', slots: { choice: 2 } });
    expect(understand('小的那个', family)).toMatchObject({ intent: 'choice_reply', slots: { choice: 2 } });
  });

  it('reads a teacher’s circled check-in', () => {
    const result = understand('①正常②关注 情绪低落③正常④正常', { role: 'teacher', today: TODAY, children: [{ name: '张浩然' }, { name: '刘思雨' }, { name: '陈俊杰' }, { name: '王小红' }] });
    expect(result).toMatchObject({ intent: 'checkin' });
    expect((result.slots as { items: Array<{ status: string }> }).items.map((item) => item.status)).toEqual(['normal', 'attention', 'normal', 'normal']);
  });

  it('reads a check-in typed without spaces, and a note that signals danger is urgent whatever status it was given', () => {
    const teacher: UnderstandingContext = { role: 'teacher', today: TODAY, children: [{ name: '张浩然' }, { name: '刘思雨' }, { name: '陈俊杰' }, { name: '王小红' }] };
    const statuses = (text: string) => (understand(text, teacher).slots as { items: Array<{ status: string }> }).items.map((item) => item.status);
    expect(statuses('1正常2正常3紧急 说后爸拿烟头烫她4正常')).toEqual(['normal', 'normal', 'urgent', 'normal']);
    expect(statuses('1好2关注 最近不吃饭3好4好')).toEqual(['normal', 'attention', 'normal', 'normal']);
    expect(statuses('浩然正常思雨关注 说她爸天天打她 身上有伤 俊杰正常小红正常')).toEqual(['normal', 'urgent', 'normal', 'normal']);
  });

  it('expands a short case number and a department’s common name', () => {
    const result = understand('把000018转给派出所', { role: 'director', today: TODAY, children: [] });
    expect(result).toMatchObject({ intent: 'case_step', slots: { case: 'SW-2026-000018', action: 'refer', department: '公安' } });
  });
});
