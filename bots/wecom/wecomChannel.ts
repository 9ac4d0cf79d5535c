import type Router from '@koa/router';
import { SendDeferred, SendFailure, type ChannelHost, type OutboundMessage } from '../../src/channel';
import type { WecomAccount } from '../../src/config';
import { areaCodeOfIdentity, bindWecomUsers } from '../../src/store/messaging/identities';
import { releaseRateSlot, takeRateSlot } from '../../src/store/messaging/rateCounts';
import { ERRCODE, type PlatformReply } from '../weixin/platformCall';
import { OfficialChannel, type OfficialChannelOptions } from '../weixin/officialChannel';
import { wecomRoutes } from './callback';
import { WecomApi, WECOM_CHANNEL } from './wecomApi';

/** WeCom drops, silently, what an application sends one member beyond these: they are paced instead. */
export const MEMBER_LIMITS = [
  { window: 'minute', ms: 60_000, limit: 30 },
  { window: 'hour', ms: 3_600_000, limit: 1000 },
] as const;
/** How often members whose userid was put on their record are bound. */
const BIND_INTERVAL_MS = 60_000;
/** A group robot takes 20 messages a minute. */
export const ROBOT_PER_MINUTE = 20;

/** The Monday summary of a township or district: its staff group hears it too. */
const WEEKLY_SUMMARY = 'summary.weekly';

/** Alerts that also go to the staff group of the member's area, and as a card with a link to the case. */
const CASE_ALERTS = new Set(['case.alert', 'case.alert.hotline', 'case.guardianship_gap', 'checkin.urgent.alert', 'contact.gap.alert']);

export type WecomChannelOptions = OfficialChannelOptions<WecomAccount>;

/**
 * WeCom / 政务微信 for staff: app messages (`message/send`, text or a card linking to the case) paced
 * within WeCom's per-member limits, counted in the database for every instance; urgent case
 * alerts also go to the group robot of the member's area (once per alert and group). Staff are
 * recognised by the WeCom userid on their record when their first message is handled.
 */
export class WecomChannel extends OfficialChannel<WecomAccount, WecomApi> {
  readonly name = WECOM_CHANNEL;

  private bindTimer: NodeJS.Timeout | undefined;

  constructor(options: WecomChannelOptions) {
    super(options, (account, apiOptions) => new WecomApi({ ...apiOptions, account }));
  }

  /**
   * Staff whose WeCom userid is on their record get their identity on each account, so alerts
   * reach them before they ever write; a userid put on a record later is picked up within a
   * minute (or when its member writes first). A database outage only delays this.
   */
  override async start(host: ChannelHost): Promise<void> {
    await this.bindMembers();
    this.bindTimer = setInterval(() => {
      this.bindMembers().catch((error: unknown) => this.options.logger.warn({ err: error, channel: this.name }, 'WeCom members could not be bound now'));
    }, BIND_INTERVAL_MS);
    this.bindTimer.unref();
    await super.start(host);
  }

  override async stop(): Promise<void> {
    clearInterval(this.bindTimer);
    await super.stop();
  }

  private async bindMembers(): Promise<void> {
    for (const account of this.options.accounts) await bindWecomUsers(this.options.db, this.name, account.name, this.clock());
  }

  routes(): Router {
    return wecomRoutes({
      accounts: this.options.accounts,
      logger: this.options.logger.child({ channel: WECOM_CHANNEL }),
      clock: this.clock,
      host: () => this.host,
      calledBack: (account) => this.calledBack(account),
      limit: this.callbackLimit(),
      fetchMedia: async (account, mediaId, maxBytes) => (await this.apis.get(account)?.media(mediaId, maxBytes)) ?? null,
    });
  }

  async send(message: OutboundMessage): Promise<void> {
    if (message.isRoom) throw new SendFailure('WeCom group chats are reached through their robots', true);
    const { account, api } = await this.sender(message);
    if (message.messageKey && (CASE_ALERTS.has(message.messageKey) || message.messageKey === WEEKLY_SUMMARY)) await this.postToStaffGroup(api, account, message);
    await this.takeDailySlot(api, account);
    await this.takeMemberSlots(account, message.address).catch(async (error: unknown) => {
      await releaseRateSlot(this.options.db, this.dailyKey(api));
      throw error;
    });
    const reply = await api.call('message_send', '/cgi-bin/message/send', { touser: message.address, agentid: account.agentId, ...this.content(account, message) });
    if ((reply.errcode ?? 0) !== 0) throw new SendFailure(`WeCom refused the message (errcode ${reply.errcode})`, reply.errcode === 81013);
    if (typeof reply.invaliduser === 'string' && reply.invaliduser.split('|').includes(message.address)) throw new SendFailure('no such WeCom member (invaliduser)', true);
  }

  /** A case alert with a link to the case, when the console's address is configured; otherwise text. */
  private content(account: WecomAccount, message: OutboundMessage): Record<string, unknown> {
    const number = message.params?.number;
    if (account.caseLinkBase && number && message.messageKey && CASE_ALERTS.has(message.messageKey)) {
      const [title, ...rest] = message.text.split('\n');
      return {
        msgtype: 'textcard',
        textcard: { title: (title ?? '').slice(0, 128), description: rest.join('\n').slice(0, 512), url: `${account.caseLinkBase}/${encodeURIComponent(number)}`, btntxt: '查看个案' },
      };
    }
    return { msgtype: 'text', text: { content: message.text } };
  }

  /**
   * One of the application's messages of the day, counted for every instance ahead of WeCom: what
   * its quota would refuse waits for the next day, and /healthz and the rows' last error say so.
   */
  private async takeDailySlot(api: WecomApi, account: WecomAccount): Promise<void> {
    if (await takeRateSlot(this.options.db, { key: this.dailyKey(api), limit: account.dailyQuota, expiresAt: api.nextDay() })) return;
    this.options.logger.warn({ channel: this.name, account: account.name, quota: account.dailyQuota }, 'WeCom daily quota used up: app messages wait for the next day');
    await api.stopSending(`the application’s daily quota of ${account.dailyQuota} messages is used up`);
  }

  private dailyKey(api: WecomApi): string {
    return `${api.key}/day/${api.nextDay().toISOString()}`;
  }

  /** Waits (deferred, not dropped) until the member's minute and hour allow one more message. */
  private async takeMemberSlots(account: WecomAccount, userId: string): Promise<void> {
    const now = this.clock().getTime();
    for (const { window, ms, limit } of MEMBER_LIMITS) {
      const start = now - (now % ms);
      const key = `${WECOM_CHANNEL}/${account.name}/member/${userId}/${window}/${start}`;
      if (!(await takeRateSlot(this.options.db, { key, limit, expiresAt: new Date(start + ms) }))) {
        throw new SendDeferred(`WeCom allows ${limit} messages a ${window} to one member`, new Date(start + ms));
      }
    }
  }

  /**
   * The staff group of the member's area hears an urgent alert (and the weekly summary) too, once
   * however many of its members are told: the first send to that area takes the area's one slot.
   */
  private async postToStaffGroup(api: WecomApi, account: WecomAccount, message: OutboundMessage): Promise<void> {
    const forTheGroup = message.params?.severity === '紧急' || ['checkin.urgent.alert', 'case.guardianship_gap', WEEKLY_SUMMARY].includes(message.messageKey ?? '');
    if (!forTheGroup) return;
    const areaCode = await areaCodeOfIdentity(this.options.db, { channel: this.name, botAccount: account.name, externalId: message.address });
    const robot = areaCode ? account.robots[areaCode] : undefined;
    if (!robot || !areaCode) return;
    const now = this.clock().getTime();
    // One slot per alert and group, kept a month (long after any retry): taken before posting, given back if the post fails.
    const alertKey = `${WECOM_CHANNEL}/${account.name}/robot-posted/${areaCode}/${message.messageKey}/${message.params?.number ?? message.params?.week ?? message.id}`;
    if (!(await takeRateSlot(this.options.db, { key: alertKey, limit: 1, expiresAt: new Date(now + 30 * 86_400_000) }))) return;
    try {
      const minute = now - (now % 60_000);
      const minuteKey = `${WECOM_CHANNEL}/${account.name}/robot/${areaCode}/${minute}`;
      if (!(await takeRateSlot(this.options.db, { key: minuteKey, limit: ROBOT_PER_MINUTE, expiresAt: new Date(minute + 60_000) }))) {
        throw new SendDeferred('the staff group robot takes 20 messages a minute', new Date(minute + 60_000));
      }
      const reply: PlatformReply = await api.robot(robot, message.text);
      if (reply.errcode === ERRCODE.dailyQuota) throw new SendDeferred('the staff group robot is over its limit', new Date(minute + 60_000));
      if ((reply.errcode ?? 0) !== 0) throw new SendFailure(`the staff group robot refused the alert (errcode ${reply.errcode})`);
    } catch (error) {
      await releaseRateSlot(this.options.db, alertKey);
      throw error;
    }
  }
}
