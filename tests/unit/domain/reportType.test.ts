import { defaultSeverity, matchReportType, mentionsSuspicion, REPORT_TYPES, REPORT_TYPE_INFO } from '../../../src/domain/reportType';

describe('report types', () => {
  it.each([
    ['性侵', 'sexual_abuse_or_pregnancy'],
    ['怀孕', 'sexual_abuse_or_pregnancy'],
    ['打骂', 'abuse_or_injury'],
    ['虐待', 'abuse_or_injury'],
    ['家暴', 'abuse_or_injury'],
    ['伤害', 'abuse_or_injury'],
    ['自残', 'self_harm_or_unnatural_death'],
    ['自杀', 'self_harm_or_unnatural_death'],
    ['自伤', 'self_harm_or_unnatural_death'],
    ['遗弃', 'abandonment'],
    ['弃养', 'abandonment'],
    ['失踪', 'missing_or_trafficked'],
    ['走失', 'missing_or_trafficked'],
    ['被拐', 'missing_or_trafficked'],
    ['拐卖', 'missing_or_trafficked'],
    ['组织乞讨', 'organized_begging'],
    ['监护缺失', 'guardianship_gap'],
    ['无人监护', 'guardianship_gap'],
    ['失学', 'dropout'],
    ['辍学', 'dropout'],
    ['生病', 'illness_or_accident'],
    ['疾病', 'illness_or_accident'],
    ['意外', 'illness_or_accident'],
    ['受伤', 'illness_or_accident'],
    ['心理', 'psychological'],
    ['抑郁', 'psychological'],
    ['情绪', 'psychological'],
    ['生活困难', 'living_hardship'],
    ['困难', 'living_hardship'],
    ['流浪', 'vagrancy'],
    ['乞讨', 'vagrancy'],
    ['亲情缺失', 'contact_gap'],
    ['不联系', 'contact_gap'],
    ['其他', 'other'],
  ])('reads %s as %s', (word, type) => {
    expect(matchReportType(word)).toEqual({ type, suspected: false });
  });

  it('reads the card names and the numbers of the guided list', () => {
    for (const [index, type] of REPORT_TYPES.entries()) {
      expect(matchReportType(REPORT_TYPE_INFO[type].name)).toEqual({ type, suspected: false });
      expect(matchReportType(String(index + 1))).toEqual({ type, suspected: false });
    }
    expect(matchReportType('15')).toBeNull();
    expect(matchReportType('0')).toBeNull();
  });

  it('marks 疑似 in front of the type, or in the text, as suspected', () => {
    expect(matchReportType('疑似性侵')).toEqual({ type: 'sexual_abuse_or_pregnancy', suspected: true });
    expect(matchReportType('疑似被拐')).toEqual({ type: 'missing_or_trafficked', suspected: true });
    expect(mentionsSuspicion('邻居说疑似被打')).toBe(true);
    expect(mentionsSuspicion('孩子发烧')).toBe(false);
  });

  it('does not guess at unknown words', () => {
    expect(matchReportType('打架了')).toBeNull();
    expect(matchReportType('')).toBeNull();
    expect(matchReportType('疑似')).toBeNull();
  });

  it('makes the six mandatory-reporting situations urgent and the care gaps normal', () => {
    expect(REPORT_TYPES.filter((type) => defaultSeverity(type) === 'urgent')).toEqual([
      'sexual_abuse_or_pregnancy',
      'abuse_or_injury',
      'self_harm_or_unnatural_death',
      'abandonment',
      'missing_or_trafficked',
      'organized_begging',
    ]);
    expect(defaultSeverity('dropout')).toBe('normal');
    expect(defaultSeverity('other')).toBe('normal');
  });

  it('gives every word one type only', () => {
    const words = REPORT_TYPES.flatMap((type) => [REPORT_TYPE_INFO[type].name, ...REPORT_TYPE_INFO[type].synonyms]);
    expect(new Set(words).size).toBe(words.length);
  });
});
