import { DateTime } from 'luxon';
import { z } from 'zod';
import { personActor } from '../../store/audit/auditLog';
import { recordParentWork } from '../../store/registry/parentWork';
import { catalog } from '../../texts/catalog';
import type { BoundTurn, ChatCommand } from '../turn';

const words = z.tuple([z.string().trim().min(1).max(50)]).rest(z.string());
const trade = z.string().trim().min(1).max(50);

/** 务工 <地点> [行业]: where an away parent works now, and in what trade (人社's 外出务工台账). */
export const parentWorkCommand: ChatCommand = {
  keywords: ['务工'],
  roles: ['parent'],
  async handle(turn, args) {
    const { tx, sender, now, settings } = turn as BoundTurn;
    const parsed = words.safeParse(args.split(/\s+/).filter(Boolean));
    if (!parsed.success) return turn.reply(catalog.parentWorkUsage);
    const [place, ...rest] = parsed.data;
    const tradeWords = rest.length ? trade.safeParse(rest.join(' ')) : null;
    if (tradeWords && !tradeWords.success) return turn.reply(catalog.parentWorkUsage);
    const saved = await recordParentWork(tx, { personId: sender.person.id, place, trade: tradeWords?.data ?? null, now, actor: personActor(sender.person.id) });
    const since = DateTime.fromJSDate(saved.since, { zone: settings.timeZone }).toFormat('yyyy年M月d日');
    return turn.reply(catalog.parentWorkRecorded(saved.place, saved.trade, since));
  },
};
