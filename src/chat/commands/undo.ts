import { undoLastFreeTextRecord } from '../freeText';
import type { BoundTurn, ChatCommand } from '../turn';

/** 撤销: undoes the last record the bot made from the sender's free text (said back with this hint). */
export const undoCommand: ChatCommand = {
  keywords: ['撤销'],
  roles: ['parent', 'guardian', 'teacher', 'director'],
  handle: (turn) => undoLastFreeTextRecord(turn as BoundTurn),
};
