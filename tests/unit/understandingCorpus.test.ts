import { readFileSync } from 'node:fs';
import path from 'node:path';
import { evaluate, FLOORS, pct, type LabelledMessage } from '../../src/chat/understanding/evaluation';
import { INTENTS } from '../../src/chat/understanding/intents';

const corpus = (part: string): LabelledMessage[] =>
  readFileSync(path.join(__dirname, '../corpus/understanding', `${part}.jsonl`), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as LabelledMessage);

describe('the understanding corpus', () => {
  it('is large enough for the recall figure to mean something', () => {
    const test = corpus('test');
    expect(corpus('dev').length + test.length).toBeGreaterThanOrEqual(1000);
    expect(test.length).toBeGreaterThanOrEqual(300);
    expect(test.filter((line) => (line as LabelledMessage & { safety: boolean }).safety).length).toBeGreaterThanOrEqual(100);
  });

  it('has lines of every role’s every intent', () => {
    const lines = [...corpus('dev'), ...corpus('test')];
    const missing = Object.entries(INTENTS).flatMap(([role, intents]) => intents.filter((intent) => !lines.some((line) => line.role === role && line.intent === intent)).map((intent) => `${role} ${intent}`));
    expect(missing).toEqual([]);
  });

  it('is understood above issue 13’s floors on the test part', () => {
    const result = evaluate(corpus('test'), FLOORS);
    expect({ failures: result.failures, intent: pct(result.intentAccuracy) }).toEqual({ failures: [], intent: pct(result.intentAccuracy) });
  });
});
