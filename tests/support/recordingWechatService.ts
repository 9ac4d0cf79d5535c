// The service in a child process with WeChat served by wechaty-puppet-mock, every send appended to
// RECORD_FILE: a test can SIGKILL it mid-fan-out and still count what it sent.
import { appendFileSync } from 'node:fs';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/log';
import { startService } from '../../src/service';
import { mockAccount } from './wechatyMock';

const recordFile = process.env.RECORD_FILE!;
const contacts = Number(process.env.RECORD_CONTACTS);
const wechat = mockAccount(process.env.WECHATY_ACCOUNTS!);
for (let index = 0; index < contacts; index++) wechat.mocker.createContact({ id: `contact-${index}`, name: `家长${index}` });
wechat.puppet.messageSendText = async (conversationId: string) => {
  appendFileSync(recordFile, `${conversationId}\n`);
};

(async () => {
  const config = loadConfig();
  await startService(config, createLogger(config.logLevel), { wechatyPuppet: () => wechat.puppet, sendLeaseMs: Number(process.env.RECORD_LEASE_MS) });
  wechat.mocker.login(wechat.botUser);
})().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack}\n`);
  process.exit(1);
});
