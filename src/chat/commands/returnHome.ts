import { readReturnAnswer, type ReturnAnswer } from '../../domain/returnHome';
import { returnHomeTexts } from '../../texts/returnHomeTexts';
import { answerReturnHome } from '../../usecases/answerReturnHome';
import type { BoundTurn, ChatCommand } from '../turn';

/** Records the answer and says it back; free words (the understanding step) come here too. */
export async function replyToReturnAnswer(turn: BoundTurn, answer: ReturnAnswer): Promise<void> {
  const { tx, sender, now, settings } = turn;
  if (answer.intention === null && answer.needs.length === 0 && answer.consent === null) return turn.reply(returnHomeTexts.usage);
  const outcome = await answerReturnHome(tx, { personId: sender.person.id, answer, now, timeZone: settings.timeZone, referralDeadlines: settings.referralDeadlines });
  if (answer.consent === false && answer.intention === null && answer.needs.length === 0) return turn.reply(returnHomeTexts.consentRefused);
  const { wish } = outcome;
  const asksConsent = wish.intention !== 'no' && wish.needs.length > 0 && wish.consent === null;
  return turn.reply(returnHomeTexts.recorded(wish.intention, wish.needs, wish.referredAt !== null, asksConsent));
}

/** 返乡 [就业/创业] [培训] [推荐] [贷款] [同意]: the answer to the twice-yearly return-home question. */
export const returnHomeCommand: ChatCommand = {
  keywords: ['返乡'],
  roles: ['parent'],
  handle: (turn, args) => replyToReturnAnswer(turn as BoundTurn, { ...readReturnAnswer(args), ...(args.trim() === '' ? { intention: 'work' as const } : {}) }),
};

/** 不返乡: not coming home to work for now (counted for 人社, nothing referred). */
export const notReturningCommand: ChatCommand = {
  keywords: ['不返乡'],
  roles: ['parent'],
  handle: (turn) => replyToReturnAnswer(turn as BoundTurn, { intention: 'no', needs: [], consent: null }),
};
