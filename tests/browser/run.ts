/**
 * `npm test`'s browser step: the console's stories in Debian's Chromium through Playwright.
 * Without a Chromium it says so in a visible line and skips, unless SHOUWANG_REQUIRE_BROWSER=1
 * (CI), where a missing browser fails the run.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const required = process.env.SHOUWANG_REQUIRE_BROWSER === '1';

if (!existsSync(chromium)) {
  const why = `no Chromium at ${chromium} (apt-get install -y --no-install-recommends chromium fonts-noto-cjk, or set CHROMIUM_PATH)`;
  if (required) {
    process.stderr.write(`✗ browser tests required (SHOUWANG_REQUIRE_BROWSER=1) but ${why}\n`);
    process.exit(1);
  }
  process.stderr.write(`⚠ browser tests SKIPPED: ${why}\n`);
  process.exit(0);
}

const fonts = spawnSync('fc-list', [':lang=zh'], { encoding: 'utf8' });
if (fonts.status === 0 && fonts.stdout.trim() === '') process.stderr.write('⚠ no CJK font installed (fonts-noto-cjk): Chinese in the screenshots renders as boxes\n');

// The stories test the console of this checkout: build it first when it is missing or stale.
const build = spawnSync(process.execPath, ['--import', 'tsx', path.join(__dirname, '../../console/build.ts')], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const cli = require.resolve('@playwright/test/cli');
const run = spawnSync(process.execPath, [cli, 'test', '--config', path.join(__dirname, 'playwright.config.ts'), ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(run.status ?? 1);
