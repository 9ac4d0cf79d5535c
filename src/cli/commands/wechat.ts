import type { Command } from 'commander';
import { z } from 'zod';
import { SimulatedMpPlatform } from '../../../bots/wechat-mp/simulatedPlatform';
import { SimulatedWecom } from '../../../bots/wecom/simulatedPlatform';
import { parseOptions, UsageError, type CliContext } from '../context';

const simulateOptions = z.object({
  account: z.string().trim().min(1),
  from: z.string().trim().min(1).max(64),
  text: z.string().min(1).max(2000),
  service: z.url().optional(),
  wait: z.coerce.number().int().min(100).max(120_000).default(10_000),
});

/** How long the simulated platform stays quiet before the command takes the service's answer as complete. */
const QUIET_MS = 1_500;

export function registerWechatCommands(program: Command, context: CliContext): void {
  const wechat = program.command('wechat').description('the official WeChat channels (服务号, WeCom / 政务微信)');

  wechat
    .command('simulate')
    .description('post a signed callback to a running service as WeChat would, and show what it sends back through the simulated platform API')
    .argument('<platform>', 'mp (服务号) or wecom (企业微信 / 政务微信)')
    .requiredOption('--account <name>', 'the configured account')
    .requiredOption('--from <id>', 'the follower’s openid (mp) or the member’s userid (wecom)')
    .requiredOption('--text <text>', 'what they write')
    .option('--service <url>', 'the running service (default http://127.0.0.1:$PORT)')
    .option('--wait <ms>', 'how long to wait for the first answer (default 10000)')
    .action(async (platform: string, raw: unknown) => {
      const options = parseOptions(simulateOptions, raw);
      const config = context.config();
      const serviceUrl = (options.service ?? `http://127.0.0.1:${config.port}`).replace(/\/$/, '');
      const simulator = simulatorFor(platform, config.officialChannels, options.account, serviceUrl);
      await simulator.platform.start(localPort(simulator.apiBase));
      try {
        const answer = await simulator.post(options.from, options.text);
        context.print(`callback → HTTP ${answer.status}${answer.text ? ` ${answer.text}` : ''}`);
        for (const line of await waitForAnswers(simulator.sent, options.wait)) context.print(line);
      } finally {
        await simulator.platform.stop();
      }
    });
}

interface Simulator {
  platform: { start(port: number): Promise<string>; stop(): Promise<void> };
  apiBase: string;
  post(from: string, text: string): Promise<{ status: number; text: string }>;
  /** What the service sent so far, one line each. */
  sent(): string[];
}

function simulatorFor(platform: string, channels: ReturnType<CliContext['config']>['officialChannels'], name: string, serviceUrl: string): Simulator {
  if (platform === 'mp') {
    const account = channels.wechatMp.find((candidate) => candidate.name === name);
    if (!account) throw new UsageError(`No 服务号 account is named ${name}.`);
    const simulated = new SimulatedMpPlatform(account, () => new Date(), () => serviceUrl);
    return {
      platform: simulated,
      apiBase: account.apiBase,
      post: (from, text) => simulated.follower(from).says(text),
      sent: () =>
        simulated.delivered.map((message) =>
          message.method === 'custom'
            ? `客服消息 → ${message.to}:\n${message.text}`
            : `模板消息 ${message.templateId} → ${message.to}: ${JSON.stringify(message.data)}`,
        ),
    };
  }
  if (platform === 'wecom') {
    const account = channels.wecom.find((candidate) => candidate.name === name);
    if (!account) throw new UsageError(`No WeCom application is named ${name}.`);
    const simulated = new SimulatedWecom(account, () => new Date(), () => serviceUrl);
    return {
      platform: simulated,
      apiBase: account.apiBase,
      post: (from, text) => simulated.member(from).says(text),
      sent: () => [
        ...simulated.delivered.map((message) =>
          message.msgtype === 'text' ? `应用消息 → ${message.to}:\n${message.text}` : `卡片消息 → ${message.to}: ${message.title} (${message.url})\n${message.description}`,
        ),
        ...simulated.robotPosts.map((post) => `群机器人 ${post.key}:\n${post.text}`),
      ],
    };
  }
  throw new UsageError('The platform is mp (服务号) or wecom (企业微信 / 政务微信).');
}

/** The port of a local apiBase: the service must send to this command, not to WeChat. */
function localPort(apiBase: string): number {
  const url = new URL(apiBase);
  if (!['127.0.0.1', 'localhost'].includes(url.hostname) || !url.port) {
    throw new UsageError(`The account's apiBase is ${url.origin}: to simulate, point it at http://127.0.0.1:<port> and restart the service.`);
  }
  return Number(url.port);
}

/** Waits for the first answer, then until the platform has been quiet for a moment. */
async function waitForAnswers(sent: () => string[], waitMs: number): Promise<string[]> {
  const started = Date.now();
  let seen = 0;
  let lastChange = Date.now();
  for (;;) {
    const lines = sent();
    if (lines.length !== seen) {
      seen = lines.length;
      lastChange = Date.now();
    }
    if (seen > 0 && Date.now() - lastChange >= QUIET_MS) return lines;
    if (seen === 0 && Date.now() - started >= waitMs) return ['(nothing was sent back)'];
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
