import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { TextKeyring } from '../../../src/store/crypto/textKeyring';
import { SealingThread } from '../../../src/store/crypto/sealingThread';

describe('sealing a batch job\'s texts on a worker thread', () => {
  const keys = [randomBytes(32)];
  const keyring = new TextKeyring(keys);
  let thread: SealingThread;
  beforeEach(() => {
    thread = new SealingThread(keys);
  });
  afterEach(() => thread.end());

  it('seals texts and JSON values that the service\'s ring opens, in the order given', async () => {
    const texts = Array.from({ length: 1000 }, (_, index) => `第${index}位家长您好，张小明的寒假1月20日开始`);
    const params = texts.map((_, index) => ({ child: '张小明', index }));
    const [sealedTexts, sealedParams] = await Promise.all([thread.sealAll(texts), thread.sealJsonAll(params)]);
    expect(sealedTexts.map((value) => keyring.open(value))).toEqual(texts);
    expect(sealedParams.map((value) => keyring.open(value))).toEqual(params);
    expect(sealedTexts.join()).not.toContain('张小明');
    expect(new Set(sealedTexts).size).toBe(texts.length);
  });

  it('answers each of several requests in flight to its own caller', async () => {
    const batches = Array.from({ length: 8 }, (_, batch) => Array.from({ length: 50 }, (__, index) => `批次${batch}-${index}`));
    const sealed = await Promise.all(batches.map((batch) => thread.sealAll(batch)));
    expect(sealed.map((batch) => batch.map((value) => keyring.open(value)))).toEqual(batches);
  });

  it('answers an empty batch with nothing', async () => {
    await expect(thread.sealAll([])).resolves.toEqual([]);
  });

  it('fails a value it cannot seal and goes on sealing the next batch', async () => {
    await expect(thread.sealJsonAll([{ count: 1n }])).rejects.toThrow(/BigInt/);
    const [sealed] = await thread.sealAll(['张小明']);
    expect(keyring.open(sealed!)).toBe('张小明');
  });

  it('fails what it was still sealing when ended, and starts again when asked after', async () => {
    const cut = thread.sealAll(Array.from({ length: 20_000 }, () => '本周还没有和张小明联系'));
    await thread.end();
    await expect(cut).rejects.toThrow(/ended/);
    const [sealed] = await thread.sealAll(['张小红']);
    expect(keyring.open(sealed!)).toBe('张小红');
  });

  it('keeps a process that waits only on it alive until it answers, and lets it end at once after', () => {
    const thread = path.resolve(__dirname, '../../../src/store/crypto/sealingThread.ts');
    const script = `const { SealingThread } = require(${JSON.stringify(thread)});
      new SealingThread([require('node:crypto').randomBytes(32)]).sealAll(['张小明', '张小红']).then((sealed) => console.log(sealed.length));`;
    // Ended before the thread's idle end (10 s), or it would be killed and give no status.
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=commonjs', '-e', script], { encoding: 'utf8', timeout: 8000 });
    expect(run.stdout.trim()).toBe('2');
    expect(run.status).toBe(0);
  });
});
