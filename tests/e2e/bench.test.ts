import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runTs } from '../support/runTs';
import { POSTGRES_TEST_URL } from '../support/postgresTestServer';
import { ENGINES_UNDER_TEST } from '../support/testDatabase';

// The benchmark's smoke run: a small city end to end on SQLite, every measure reported. No timing
// thresholds: timing does not belong in npm test (see BENCHMARKS.md for the figures).
describe('npm run bench', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'shouwang-bench-smoke-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('seeds 1,000 children, runs every measure and writes the figures as JSON', async () => {
    const json = path.join(dir, 'bench.json');
    const run = await runTs('bench/main.ts', ['--children', '1000', '--db', 'sqlite', '--messages', '200', '--reports', '50', '--json', json], {});

    expect(run.stderr).not.toContain('bench failed');
    expect(run.code).toBe(0);
    for (const measure of ['inbound throughput', 'inbound p99', 'fan-out wall time', 'fan-out / raw-driver floor', 'fan-out peak RSS', 'report filing p99', 'city compliance ledger', 'case ledger', 'XLSX export wall time', 'XLSX export peak RSS']) {
      expect(run.stdout).toContain(`| ${measure}`);
    }
    const result = JSON.parse(readFileSync(json, 'utf8'));
    expect(result.machine).toEqual(expect.objectContaining({ cores: expect.any(Number), node: process.version, database: expect.stringMatching(/^SQLite/) }));
    expect(result.seed.counts).toEqual(expect.objectContaining({ children: 1000, areas: 13 }));
    expect(result.inbound).toEqual(expect.objectContaining({ messages: 200, replies: 200, contactLogs: 200 }));
    // beside the whole run's figures, the same over the messages after the first fifth
    expect(result.inbound.warm).toEqual({ messagesPerSecond: expect.any(Number), cpuMsPerMessage: expect.any(Number) });
    expect(result.inbound.warm.messagesPerSecond).toBeGreaterThan(0);
    expect(run.stdout).toMatch(/after the first fifth \d+ msg\/s at [\d.]+ ms CPU/);
    // every away parent without a contact this week is prompted once: 1,400 away parents, 200 wrote
    expect(result.fanOut.rowsWritten).toBe(1200);
    // every 报告 went through the chat path and its answer named the case filed
    expect(result.filing).toEqual(expect.objectContaining({ reports: 50, confirmed: 50 }));
    // the ledgers read the seeded city: 10 villages and the total row (one township holds them all), for each of 8 weeks in the trend
    expect(result.statistics.rows).toEqual({ cityCompliance: 11, townshipCompliance: 11, cases: 11, cityContact8Weeks: 8 * 11 });
    expect(result.statistics.cityComplianceMs).toBeGreaterThan(0);
    expect(result.export).toEqual(expect.objectContaining({ rows: 1000, bytes: expect.any(Number), wallMs: expect.any(Number) }));
    expect(result.export.bytes).toBeGreaterThan(0);
    expect(result.twoInstances).toEqual(expect.objectContaining({ skipped: true }));
    expect(result.failures).toEqual([]);
  }, 120_000);

  it.each(ENGINES_UNDER_TEST)(
    'asks the whole city about the next holiday and measures it against a floor of the same rows written through the raw driver [%s]',
    async (engine) => {
      const json = path.join(dir, `holiday-${engine}.json`);
      const run = await runTs('bench/main.ts', ['--only', 'holiday', '--children', '500', '--db', engine, '--json', json], { SHOUWANG_BENCH_POSTGRES_URL: POSTGRES_TEST_URL });
      expect(run.stderr).not.toContain('bench failed');
      expect(run.code).toBe(0);
      const { holiday } = JSON.parse(readFileSync(json, 'utf8'));
      // one question per away parent and child: 700 pairs among 500 children
      expect(holiday).toEqual(expect.objectContaining({ asked: 700, floorMs: expect.any(Number), ratioToFloor: expect.any(Number) }));
      expect(holiday.floorMs).toBeGreaterThan(0);
    },
    120_000,
  );

  it(
    'soaks the service under a steady mix for a while and reports its memory and event-loop delay',
    async () => {
      const json = path.join(dir, 'soak.json');
      const run = await runTs('bench/main.ts', ['--soak', '10s', '--rate', '5', '--soak-children', '200', '--json', json], {});
      expect(run.stderr).not.toContain('bench failed');
      expect(run.stdout).toMatch(/\| RSS \| [\d.]+ MB \| [\d.]+ MB \| [+-]\d+% \|/);
      const result = JSON.parse(readFileSync(json, 'utf8'));
      expect(result.counts).toEqual(expect.objectContaining({ non2xx: 0, unanswered: 0, errorLogLines: 0 }));
      expect(result.counts.messages).toBeGreaterThan(0);
      expect(result.samples.length).toBeGreaterThanOrEqual(2);
    },
    // Seeding, migrating and 10 s of load on a loaded 2-core machine.
    120_000,
  );

  it(
    'starts the service as npm start does, sends it keyword and free-text messages through the HTTP channel and reads its memory',
    async () => {
      const run = await runTs('bench/idle.ts', ['--messages', '20', '--free-text', '5', '--seconds', '1'], {});
      expect(run.stderr).not.toMatch(/exited|failed/);
      expect(run.code).toBe(0);
      // every message answered, by the compiled service, not the bench's process
      expect(run.stdout).toContain('dist/server/main.js');
      expect(run.stdout).toMatch(/15 keyword .*service CPU [\d.]+ ms a message.*, 0 unanswered/);
      expect(run.stdout).toMatch(/5 free text: .*service CPU [\d.]+ ms a message.*, 0 unanswered/);
      // 15 keyword messages and 3 of the 5 free-text ones say the parent was in touch with the child
      expect(run.stdout).toContain('contact logs written: 18 of 18 expected');
      expect(run.stdout).toMatch(/after all 20 [\d.]+ MB/);
      expect(run.stdout).toMatch(/peak RSS since start \(VmHWM\): [\d.]+ MB/);
      expect(run.stdout).toContain('target: ≤ 300 MB after the messages');
    },
    // Compiling the service, migrating, seeding and starting it on a loaded 2-core machine.
    120_000,
  );
});
