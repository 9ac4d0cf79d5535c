import { catalog } from '../../texts/catalog';
import type { ChatCommand } from '../turn';

/** 帮助: what the sender can do, for their role. */
export const helpCommand: ChatCommand = {
  keywords: ['帮助', 'help', '?', '？'],
  roles: 'anyone',
  handle: (turn) => turn.reply(turn.sender ? catalog.help(turn.sender.person.role, turn.sender.person.name) : catalog.helpUnbound),
};
