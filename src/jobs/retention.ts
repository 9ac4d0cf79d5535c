import { applyRetention, DEFAULT_RETENTION } from '../store/privacy/retention';
import type { Job } from './job';

/** Anonymises and purges what the retention periods no longer allow keeping, and says how much. */
export const retentionJob: Job = {
  name: 'retention',
  defaultSchedule: '40 3 * * *',
  description: '每天按保存期限匿名化成年或迁出多年的儿童记录，归档结案已久的案件，清除过期的消息文字',
  async run(context) {
    const report = await applyRetention(context.db, context.retention ?? DEFAULT_RETENTION, context.now, { dryRun: false });
    context.logger.info({ job: 'retention', ...report }, 'retention applied');
    return { ...report };
  },
};
