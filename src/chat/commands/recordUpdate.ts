import { z } from 'zod';
import { quarterLabel, recordQuarterOf } from '../../domain/recordQuarter';
import { confirmRecord, countUnconfirmed, type ChatRecordField } from '../../store/registry/recordConfirmations';
import { catalog } from '../../texts/catalog';
import type { BoundTurn, ChatCommand } from '../turn';
import { villageChildByName } from '../villageChild';

/** The record fields a director can change by chat, by the word they type, with each value's limit. */
export const RECORD_FIELD_WORDS: Record<string, { field: ChatRecordField; max: number }> = {
  学校: { field: 'schoolName', max: 100 },
  年级: { field: 'grade', max: 20 },
  健康: { field: 'healthStatus', max: 500 },
  家庭: { field: 'familySituation', max: 500 },
  监护: { field: 'guardianshipStatus', max: 500 },
};

const UNCHANGED_WORDS = ['无变化', '没有变化', '没变化'];

const childName = z.string().min(1).max(30);

const updateArgs = z.union([
  z.object({ child: childName, unchanged: z.literal(true) }),
  z
    .object({ child: childName, word: z.enum(Object.keys(RECORD_FIELD_WORDS) as [string, ...string[]]), value: z.string().trim().min(1) })
    .refine(({ word, value }) => value.length <= RECORD_FIELD_WORDS[word]!.max, { message: 'value too long' }),
]);

function parse(args: string) {
  const [child, second, ...rest] = args.split(' ').filter(Boolean);
  if (second !== undefined && UNCHANGED_WORDS.includes(second) && rest.length === 0) return updateArgs.safeParse({ child, unchanged: true });
  return updateArgs.safeParse({ child, word: second, value: rest.join(' ') });
}

/**
 * 更新 <孩子> 无变化 | 更新 <孩子> <学校/年级/健康/家庭/监护> <新值>: a director confirms a child's
 * record for the current quarter, with at most one field change per message.
 */
export const recordUpdateCommand: ChatCommand = {
  keywords: ['更新'],
  roles: ['director'],
  async handle(turn, args) {
    const { tx, sender, now, settings } = turn as BoundTurn;
    const parsed = parse(args);
    if (!parsed.success) return turn.reply(catalog.recordUpdateUsage);
    const found = await villageChildByName(tx, sender.person.areaId, parsed.data.child);
    if ('reply' in found) return turn.reply(found.reply);

    const quarter = recordQuarterOf(now, settings.timeZone);
    const request = 'word' in parsed.data ? { field: RECORD_FIELD_WORDS[parsed.data.word]!.field, value: parsed.data.value } : null;
    const { change } = await confirmRecord(tx, { childId: found.child.id, quarter: quarter.key, confirmedById: sender.person.id, change: request, now });
    const remaining = await countUnconfirmed(tx, sender.person.areaId, quarter.key);
    if (!change || !('word' in parsed.data)) return turn.reply(catalog.recordConfirmed(found.child.name, quarterLabel(quarter), remaining));
    return turn.reply(catalog.recordChanged(found.child.name, parsed.data.word, change.before, change.after, remaining));
  },
};
