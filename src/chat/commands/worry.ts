import { keyed } from '../../texts/keyedMessages';
import { z } from 'zod';
import { catalog } from '../../texts/catalog';
import { childrenOf, pickChild } from '../childChoice';
import { fileReport } from '../../usecases/fileReport';
import type { BoundTurn, ChatCommand } from '../turn';

const KEYWORD = '情况';

const description = z.string().trim().min(2).max(1000);

/** 情况 [孩子] <描述>: a guardian's worry, filed as a normal-severity report for the village director. */
export const worryCommand: ChatCommand = {
  keywords: [KEYWORD],
  roles: ['guardian'],
  async handle(turn, args) {
    const { tx, sender, now, settings } = turn as BoundTurn;
    const children = await childrenOf(tx, sender.person.id, 'guardian');
    const [first, ...rest] = args.split(' ');
    const named = children.find((child) => child.name === first);
    const pick = named ? { child: named } : pickChild(children, undefined, KEYWORD);
    if ('reply' in pick) return turn.reply(children.length > 1 ? pick.reply : catalog.noChildren);
    const text = description.safeParse(named ? rest.join(' ') : args);
    if (!text.success) return turn.reply(catalog.worryUsage);

    const report = await fileReport(
      tx,
      { child: pick.child, type: 'other', severity: 'normal', description: text.data, source: 'guardian', reporter: sender.person },
      {
        now,
        timeZone: settings.timeZone,
        deadlines: settings.caseDeadlines,
        inboxMessageId: turn.message.id,
        staffAlert: (number) => keyed.worryForDirector(number, pick.child.name, text.data),
      },
    );
    return turn.reply(catalog.worryFiled(report.number));
  },
};
