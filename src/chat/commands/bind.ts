import { recordNoticeGiven } from '../../store/privacy/privacy';
import { PRIVACY_NOTICE, PRIVACY_NOTICE_VERSION } from '../privacyNotice';
import { z } from 'zod';
import { personTag } from '../../store/messaging/identities';
import { countInboundStartingWith } from '../../store/messaging/inbox';
import { redeemInvite } from '../../store/registry/invites';
import { catalog } from '../../texts/catalog';
import type { ChatCommand } from '../turn';

const bindArgs = z.string().regex(/^\d{6}$/);

export const MAX_BIND_TRIES_PER_DAY = 5;

const FAILURE_TEXT = { unknown: catalog.bindUnknownCode, used: catalog.bindUsedCode, expired: catalog.bindExpiredCode } as const;

/** 绑定 123456: ties this chat identity to the person the invite was issued for. */
export const bindCommand: ChatCommand = {
  keywords: ['绑定'],
  roles: 'anyone',
  async handle(turn, args) {
    if (turn.sender) return turn.reply(catalog.bindAlreadyBound(turn.sender.person.name));
    const { message } = turn;
    if (message.roomExternalId) return turn.reply(catalog.privateOnly);
    const code = bindArgs.safeParse(args.replace(/\s/g, ''));
    if (!code.success) return turn.reply(catalog.bindUsage);
    // Six digits can be guessed: a sender gets a few tries a day, not a million.
    const tries = await countInboundStartingWith(turn.tx, { channel: message.channel, externalId: message.fromExternalId }, '绑定', new Date(turn.now.getTime() - 86_400_000));
    if (tries > MAX_BIND_TRIES_PER_DAY) return turn.reply(catalog.bindTooManyTries);
    const result = await redeemInvite(
      turn.tx,
      code.data,
      { channel: message.channel, botAccount: message.botAccount, externalId: message.fromExternalId, displayName: message.fromName },
      turn.now,
    );
    if (!result.ok) return turn.reply(FAILURE_TEXT[result.reason]);
    turn.boundTag = personTag(result.person.id);
    await recordNoticeGiven(turn.tx, result.person.id, PRIVACY_NOTICE_VERSION, turn.now);
    return turn.reply(`${catalog.bound(result.person.name, result.person.role)}\n\n${PRIVACY_NOTICE}`);
  },
};
