import { saveDialog } from '../store/messaging/chatDialogs';
import type { BoundTurn } from './turn';

/** What the bot remembers between two messages lives this long, like a report draft. */
export const MEMORY_TTL_MS = 30 * 60_000;
/** Dialog-table kinds of the memory: the question just asked, and the record that 撤销 undoes. */
export const PENDING_KIND = 'understanding';
export const UNDO_KIND = 'undo';

/** Remembers the question the bot just asked, so a bare `1` or `第二个` can answer it. */
export async function rememberQuestion(turn: BoundTurn, step: 'child_choice' | 'confirm' | 'keyword', data: Record<string, unknown>): Promise<void> {
  await saveDialog(turn.tx, turn.sender.person.id, {
    kind: PENDING_KIND,
    step,
    data: JSON.parse(JSON.stringify(data)),
    expiresAt: new Date(turn.now.getTime() + MEMORY_TTL_MS),
  });
}

/**
 * A keyword command asked "which child" with numbers: the answer runs it again with that child
 * (`已联系 视频` → `1` → `已联系 王小红 视频`).
 */
export function rememberChildQuestion(turn: BoundTurn, keyword: string, args: string, candidates: readonly string[]): Promise<void> {
  return rememberQuestion(turn, 'keyword', { keyword, args, candidates: [...candidates] });
}
