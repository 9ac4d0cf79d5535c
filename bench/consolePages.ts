// `npm run bench:console -- [--children N] [--runs N]`: how long each web console page takes to
// show its data in Chromium against a synthetic city, for a city officer (the whole city) and a
// village director. See BENCHMARKS.md.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { Command } from 'commander';
import { chromium, type Page } from '@playwright/test';
import { startServiceProcess } from '../tests/support/serviceProcess';
import { createUserAccount } from '../src/store/access/userAccounts';
import { createBenchDatabase } from './benchDatabase';
import { seedInChildProcess } from './seed';

const PASSWORD = 'bench-console-password';

/** Each page and what is on it once all its data is on screen. */
const PAGES: Array<{ name: string; path: (ids: { child: number }) => string; ready: string }> = [
  { name: '总览 overview (first tiles)', path: () => '/overview', ready: '[data-testid="value-children"]' },
  { name: '总览 overview (every panel)', path: () => '/overview', ready: '[data-testid="overview-complete"]' },
  { name: '村情 villages', path: () => '/villages', ready: '[data-testid="heat-table"] tbody tr' },
  { name: '儿童 children', path: () => '/children', ready: '[data-testid="children-table"] tbody tr' },
  { name: '儿童档案 child', path: (ids) => `/children/${ids.child}`, ready: '[data-testid="timeline"]' },
  { name: '个案 cases', path: () => '/cases', ready: '[data-testid="column-reported"]' },
  { name: '台账导出 exports', path: () => '/exports', ready: '[data-testid^="export-"]' },
  { name: '消息 messages', path: () => '/messages', ready: '[data-testid="messages-loaded"]' },
];

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function logIn(page: Page, url: string, login: string): Promise<void> {
  await page.goto(`${url}/console/login`);
  await page.getByLabel('用户名').fill(login);
  await page.getByLabel('密码').fill(PASSWORD);
  await Promise.all([page.waitForURL(/overview/), page.getByTestId('submit').click()]);
  await page.getByTestId('value-children').waitFor({ timeout: 120_000 });
}

/** From navigation start to the page's data on screen, each page `runs` times (the first visit loads the page's chunk, later ones are cached as a returning user's are). */
async function timePages(page: Page, url: string, ids: { child: number }, runs: number): Promise<Array<{ name: string; first: number; median: number }>> {
  const results = [];
  for (const target of PAGES) {
    const path = target.path(ids);
    const times: number[] = [];
    for (let run = 0; run < runs; run++) {
      await page.goto('about:blank');
      const started = performance.now();
      await page.goto(`${url}/console${path}`);
      await page.locator(target.ready).first().waitFor({ state: 'attached', timeout: 120_000 });
      times.push(performance.now() - started);
    }
    results.push({ name: target.name, first: times[0]!, median: median(times) });
  }
  return results;
}

async function main(): Promise<void> {
  const options = new Command('bench:console')
    .option('--children <n>', 'children in the synthetic city', (value) => Number(value), 100_000)
    .option('--runs <n>', 'visits of each page', (value) => Number(value), 5)
    .parse()
    .opts<{ children: number; runs: number }>();
  // The console of this checkout: built first when missing or stale, as npm start does.
  const build = spawnSync(process.execPath, ['--import', 'tsx', path.join(__dirname, '../console/build.ts')], { stdio: 'inherit' });
  if (build.status !== 0) throw new Error('the console did not build');
  const database = await createBenchDatabase('sqlite', '');
  const now = new Date();
  try {
    const seedStarted = performance.now();
    const area = await seedInChildProcess(database.target, { children: options.children, senders: 0, filers: 0, now, timeZone: 'Asia/Shanghai' });
    process.stderr.write(`seeded ${area.counts.children} children in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s\n`);
    const opened = await database.open();
    const village = await opened.db.area.findFirstOrThrow({ where: { level: 'village' }, orderBy: { id: 'asc' }, select: { code: true, id: true } });
    const child = await opened.db.child.findFirstOrThrow({ where: { areaId: village.id }, select: { id: true } });
    await createUserAccount(opened.db, { login: 'bench.city', name: '市级', role: 'officer_city', areaCode: area.city.code, password: PASSWORD, createdBy: 'bench', now });
    await createUserAccount(opened.db, { login: 'bench.director', name: '主任', role: 'director', areaCode: village.code, password: PASSWORD, createdBy: 'bench', now });
    await opened.close();

    const service = await startServiceProcess({ DATABASE_URL: database.target.url, LOG_LEVEL: 'info' }, 120_000);
    const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
    try {
      const rows: string[] = [];
      for (const [who, login] of [['city officer (whole city)', 'bench.city'], ['village director', 'bench.director']] as const) {
        const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
        const page = await context.newPage();
        await logIn(page, service.url, login);
        for (const result of await timePages(page, service.url, { child: child.id }, options.runs)) {
          rows.push(`| ${who} | ${result.name} | ${Math.round(result.first)} ms | ${Math.round(result.median)} ms |`);
        }
        await context.close();
      }
      process.stdout.write(`\nConsole pages, ${area.counts.children} children, 1366×768, Chromium, median of ${options.runs} visits\n\n`);
      process.stdout.write('| who | page | first visit | median |\n| --- | --- | --- | --- |\n');
      process.stdout.write(`${rows.join('\n')}\n`);
    } finally {
      await browser.close();
      await service.stop();
    }
  } finally {
    await database.drop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
