import { catalog } from '../../texts/catalog';
import type { BoundTurn, ChatCommand } from '../turn';
import { villageChildByName } from '../villageChild';
import { bindCareRoom, careRoomBinding } from '../../store/messaging/careRooms';

/** 绑定群 <孩子>, said in a WeChat room: the room becomes the family's care room (关爱群). */
export const bindRoomCommand: ChatCommand = {
  keywords: ['绑定群'],
  roles: ['director'],
  async handle(turn, args) {
    const { tx, sender, message, now } = turn as BoundTurn;
    const name = args.split(' ')[0];
    if (!message.roomExternalId || !name) return turn.reply(catalog.roomBindUsage);
    const match = await villageChildByName(tx, sender.person.areaId, name);
    if ('reply' in match) return turn.reply(match.reply);
    const { child } = match;
    const key = { channel: message.channel, botAccount: message.botAccount, externalId: message.roomExternalId };
    const existing = await careRoomBinding(tx, key);
    if (existing?.childId === child.id) return turn.reply(catalog.roomAlreadyBound(child.name));
    // Another village's family room is not this director's to take over.
    if (existing && existing.villageId !== sender.person.areaId) return turn.reply(catalog.roomOfAnotherVillage);
    await bindCareRoom(tx, key, child.id, sender.person.id, now);
    return turn.reply(catalog.roomBound(child.name));
  },
};
