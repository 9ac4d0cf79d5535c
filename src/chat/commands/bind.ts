import { z } from 'zod';
import { personTag } from '../../store/identities';
import { redeemInvite } from '../../store/invites';
import { catalog } from '../catalog';
import type { ChatCommand } from '../turn';

const bindArgs = z.string().regex(/^\d{6}$/);

const FAILURE_TEXT = { unknown: catalog.bindUnknownCode, used: catalog.bindUsedCode, expired: catalog.bindExpiredCode } as const;

/** 绑定 123456: ties this chat identity to the person the invite was issued for. */
export const bindCommand: ChatCommand = {
  keywords: ['绑定'],
  roles: 'anyone',
  async handle(turn, args) {
    if (turn.sender) return turn.reply(catalog.bindAlreadyBound(turn.sender.person.name));
    const code = bindArgs.safeParse(args.replace(/\s/g, ''));
    if (!code.success) return turn.reply(catalog.bindUsage);
    const { message } = turn;
    const result = await redeemInvite(
      turn.tx,
      code.data,
      { channel: message.channel, botAccount: message.botAccount, externalId: message.fromExternalId, displayName: message.fromName },
      turn.now,
    );
    if (!result.ok) return turn.reply(FAILURE_TEXT[result.reason]);
    turn.boundTag = personTag(result.person.id);
    return turn.reply(catalog.bound(result.person.name, result.person.role));
  },
};
