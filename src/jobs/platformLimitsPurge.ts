import { purgeEndedRateWindows } from '../store/messaging/rateCounts';
import type { Job } from './job';

/** The official channels count their platforms' limits in windows; ended windows are of no more use. */
export const platformLimitsPurgeJob: Job = {
  name: 'platform-limits-purge',
  defaultSchedule: '20 4 * * *',
  description: '每天清理已结束的平台限额计数窗口（服务号48小时窗口、企业微信每分钟/每小时限额）',
  async run(context) {
    const purged = await purgeEndedRateWindows(context.db, context.now);
    context.logger.info({ job: 'platform-limits-purge', purged }, 'ended platform limit windows purged');
    return { purged };
  },
};
