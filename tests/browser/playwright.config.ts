import path from 'node:path';
import { defineConfig } from '@playwright/test';

/** Debian's Chromium, never a browser Playwright downloads; traces kept for failures, no video. */
export default defineConfig({
  testDir: __dirname,
  testMatch: '*.spec.ts',
  outputDir: path.resolve(__dirname, '../../test-results/browser'),
  globalSetup: path.join(__dirname, 'demoService.ts'),
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  use: {
    launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox'] },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    trace: 'retain-on-failure',
    video: 'off',
    screenshot: 'off',
    acceptDownloads: true,
  },
});
