import { understand, type UnderstandingContext } from '../../src/chat/understanding/understand';

const parent: UnderstandingContext = { role: 'parent', today: '2026-11-30' as UnderstandingContext['today'], children: [{ name: '张小明', birthDate: '2016-05-01' }] as UnderstandingContext['children'] };
const read = (text: string) => {
  const { intent, slots } = understand(text, parent);
  return { intent, slots };
};

describe('a parent’s work and return-home wish in their own words', () => {
  it('reads where the parent works and the trade', () => {
    expect(read('我在深圳电子厂上班')).toEqual({ intent: 'parent_work', slots: { place: '深圳', trade: '电子厂' } });
    expect(read('现在在东莞打工，做建筑')).toEqual({ intent: 'parent_work', slots: { place: '东莞', trade: '建筑' } });
    expect(read('在杭州工作')).toEqual({ intent: 'parent_work', slots: { place: '杭州', trade: null } });
  });

  it('leaves a child’s day, a workplace without a place and a holiday visit to the other rules', () => {
    expect(read('孩子在学校上课').intent).not.toBe('parent_work');
    expect(read('我在厂里上班').intent).not.toBe('parent_work');
    expect(read('过年不打算回去').intent).not.toBe('return_home_wish');
    expect(read('今天和孩子视频了20分钟').intent).toBe('contact_logged');
  });

  it('reads whether the parent would come home to work or start a business, what would help, and consent', () => {
    expect(read('想回老家开个店，需要贷款，可以联系我')).toEqual({ intent: 'return_home_wish', slots: { intention: 'business', needs: ['startup_loan'], consent: true } });
    expect(read('明年想返乡就业，需要技能培训')).toEqual({ intent: 'return_home_wish', slots: { intention: 'work', needs: ['training'], consent: null } });
    expect(read('暂时不考虑返乡')).toEqual({ intent: 'return_home_wish', slots: { intention: 'no', needs: [], consent: null } });
    expect(read('想回乡创业，需要培训和贷款，但不要联系我').slots).toEqual({ intention: 'business', needs: ['training', 'startup_loan'], consent: false });
  });
});
