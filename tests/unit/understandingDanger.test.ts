import { readFileSync } from 'node:fs';
import path from 'node:path';
import { dangerIn } from '../../src/chat/understanding/danger';
import { dangerModel } from '../../src/chat/understanding/dangerModel';
import { calibrate, trainDangerModel, type DangerExample } from '../../src/chat/understanding/dangerTraining';
import type { LabelledMessage } from '../../src/chat/understanding/evaluation';
import { isUrgent, type Understanding } from '../../src/chat/understanding/intents';
import { understand, type UnderstandingContext } from '../../src/chat/understanding/understand';

const family: UnderstandingContext = {
  role: 'parent',
  today: '2026-11-30',
  children: [
    { name: '王小红', birthDate: '2014-03-08', sex: 'F' },
    { name: '王小明', birthDate: '2017-10-20', sex: 'M' },
  ],
};

describe('the danger scorer beside the rules', () => {
  it.each([
    '伢说那个男的老是在她放学路上等她 还要她上他屋里玩',
    '小明身上到处是伤 他说是他爸弄的',
    '伢说这个家她待不下去了 想一个人走得远远的',
  ])('files danger no sign names: %s', (text) => {
    expect(dangerIn(text)).toBeNull();
    expect(understand(text, family).intent).toBe('urgent_danger');
  });

  it.each(['想死你了宝贝', '饿死了', '伢今天打了针', '下周摸底考试', '小明走丢了钥匙', '伢跳绳跳了三百个', '跟小红打了个电话', '伢去打球了'])(
    'leaves a near miss calm: %s',
    (text) => expect(isUrgent(understand(text, family))).toBe(false),
  );

  it('gives a director’s scored danger a report type', () => {
    const understood = understand('李梓涵说这个家她待不下去了 想一个人走得远远的', { ...family, role: 'director', children: [{ name: '李梓涵' }] });
    expect(understood).toMatchObject({ intent: 'report', slots: { child: '李梓涵', urgent: true } });
  });

  it('is the model the development part trains (npm run cli -- nlu train), threshold calibrated on held-out lines', () => {
    const lines = readFileSync(path.join(__dirname, '../corpus/understanding/dev.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as LabelledMessage);
    const examples = lines.map((line) => ({
      text: line.text,
      children: line.children,
      urgent: isUrgent({ intent: line.intent, slots: line.slots } as Understanding),
      byRules: false,
    }));
    const committed = dangerModel();
    const trained = trainDangerModel(examples);
    expect({ bias: trained.bias, weights: Object.keys(trained.weights).length }).toEqual({ bias: committed.bias, weights: Object.keys(committed.weights).length });
    expect(committed.threshold).toBeGreaterThan(0.5);
  });
});

describe('calibrating the threshold', () => {
  const example = (text: string, urgent: boolean, byRules = false): DangerExample => ({ text, children: [], urgent, byRules });

  it('takes the lowest threshold that keeps false alarms within the budget', () => {
    const examples = [example('a', true), example('b', true, true), example('c', false), example('d', false), example('e', false), example('f', false)];
    const scores = [0.6, 0.1, 0.7, 0.2, 0.1, 0.05];
    expect(calibrate(examples, scores, 0)).toMatchObject({ threshold: 1, recall: 0.5, falseUrgent: 0 });
    expect(calibrate(examples, scores, 0.25)).toMatchObject({ threshold: 0.6, recall: 1, falseUrgent: 0.25 });
  });

  it('trains the same model from the same lines', () => {
    const lines = [example('他打我', true), example('打电话了', false), example('不想活了', true), example('想死你了', false)];
    expect(trainDangerModel(lines)).toEqual(trainDangerModel(lines));
  });
});
