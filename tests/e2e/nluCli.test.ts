import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from '../support/runTs';
import { processBudget } from '../support/budgets';

jest.setTimeout(processBudget({ runs: 2 }));

describe('npm run cli -- nlu', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'nlu-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const file = (name: string, lines: unknown[]) => {
    const target = path.join(dir, name);
    writeFileSync(target, lines.map((line) => (typeof line === 'string' ? line : JSON.stringify(line))).join('\n') + '\n');
    return target;
  };

  it('parse writes exactly one JSON line per input line, in order, and nothing else', async () => {
    const input = file('in.jsonl', [
      { role: 'parent', text: '跟红红视频了半个小时', id: 7 },
      'not json',
      { role: 'director', text: '把000018转给派出所' },
      { role: 'parent', text: '我过年回家' },
    ]);
    const run = await runCli(['nlu', 'parse', '--file', input, '--today', '2026-11-30', '--children', '王小红,王小明', '--case-prefix', 'TV'], {});
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as { intent: string; slots: Record<string, unknown>; confidence: number });
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatchObject({ intent: 'contact_logged', slots: { child: '王小红', mode: 'video', minutes: 30 } });
    expect(lines[1]).toMatchObject({ intent: 'other', confidence: 0 });
    expect(lines[2]).toMatchObject({ intent: 'case_step', slots: { case: 'TV-2026-000018', child: null, action: 'refer', department: '公安' } });
    expect(lines[3]).toMatchObject({ intent: 'holiday_home', slots: { child: null, date: '2027-02-06' } });
    for (const line of lines) expect(line.confidence).toBeGreaterThanOrEqual(0);
  });

  it('eval prints the figures and exits non-zero under the floors', async () => {
    const context = { today: '2026-11-30', children: [{ name: '王小红', birthDate: '2014-03-08', sex: 'F' }] };
    const good = file('good.jsonl', [{ role: 'parent', text: '红红说她不想活了', intent: 'urgent_danger', slots: { child: '王小红', summary: '红红说她不想活了' }, ...context }]);
    const bad = file('bad.jsonl', [{ role: 'parent', text: '你好', intent: 'urgent_danger', slots: { child: null, summary: '你好' }, ...context }]);
    const passing = await runCli(['nlu', 'eval', good], {});
    expect(passing.code).toBe(0);
    expect(passing.stdout).toMatch(/intent accuracy\s+100\.0%/);
    const failing = await runCli(['nlu', 'eval', bad], {});
    expect(failing.code).toBe(1);
    expect(failing.stderr).toMatch(/^under the floors: .*urgent recall 0\.0% \(0 of 1\) < 99\.0%/);
  });

  it('train learns the danger scorer from a labelled file and writes it with its calibrated threshold', async () => {
    const context = { today: '2026-11-30', children: [{ name: '王小红', birthDate: '2014-03-08', sex: 'F' }] };
    const danger = ['红红说她不想活了', '红红身上青一块紫一块', '红红两天没回家', '有个叔叔老摸红红'];
    const calm = ['红红今天打针了', '跟红红打了电话', '想死你了红红', '红红跳绳第一名'];
    const lines = [
      ...danger.map((text) => ({ role: 'parent', text, intent: 'urgent_danger', slots: { child: '王小红', summary: text }, ...context })),
      ...calm.map((text) => ({ role: 'parent', text, intent: 'other', slots: {}, ...context })),
    ];
    const out = path.join(dir, 'model.json');
    const run = await runCli(['nlu', 'train', file('train.jsonl', [...lines, ...lines]), '--out', out, '--folds', '2'], {});
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^16 lines of .*, 8 urgent; \d+ n-grams/);
    expect(run.stdout).toMatch(/rules or scorer ≥ [0-9.]+, scored held out \(2 folds\): [0-9.]+% recall, [0-9.]+% false-urgent/);
    const model = JSON.parse(readFileSync(out, 'utf8')) as { threshold: number; weights: Record<string, number> };
    expect(model.threshold).toBeGreaterThan(0);
    expect(Object.keys(model.weights).length).toBeGreaterThan(0);
  });
});
