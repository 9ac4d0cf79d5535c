import { mock, PuppetMock } from 'wechaty-puppet-mock';
export { until } from './budgets';

export type ContactMock = ReturnType<mock.Mocker['createContact']>;
export type RoomMock = ReturnType<mock.Mocker['createRoom']>;
export type MessageMock = Parameters<Parameters<ContactMock['on']>[1]>[0];

/** PuppetMock answers every remark with 'mock alias' and forgets what is set; this one keeps remarks like WeChat does. */
export class RemarkKeepingPuppet extends PuppetMock {
  override contactAlias(contactId: string): Promise<string>;
  override contactAlias(contactId: string, alias: string | null): Promise<void>;
  override async contactAlias(contactId: string, alias?: string | null): Promise<void | string> {
    const payload = this.mocker.contactPayload(contactId);
    if (alias === undefined) return payload.alias ?? '';
    this.mocker.contactPayload(contactId, { ...payload, alias: alias ?? undefined });
  }
}

export interface MockAccount {
  name: string;
  mocker: mock.Mocker;
  puppet: RemarkKeepingPuppet;
  botUser: ContactMock;
}

export function mockAccount(name: string): MockAccount {
  const mocker = new mock.Mocker();
  const puppet = new RemarkKeepingPuppet({ mocker });
  return { name, mocker, puppet, botUser: mocker.createContact({ name: `守望助手${name}` }) };
}

/** What `from` says to `to`, as the mock platform delivers it; returns the platform message id. */
export function say(from: ContactMock, text: string, to: ContactMock | RoomMock, mentions: ContactMock[] = []): string {
  let id: string | undefined;
  const capture = (message: MessageMock) => {
    if (message.talker().id === from.id) id ??= message.id;
  };
  from.on('message', capture);
  from.say(text, mentions).to(to);
  from.off('message', capture);
  if (!id) throw new Error('the mock did not deliver the message');
  return id;
}

/** Texts the bot user said into a conversation, collected as the mock delivers them. */
export function inboxOf(conversation: ContactMock | RoomMock, botUser: ContactMock): string[] {
  const texts: string[] = [];
  conversation.on('message', (message: MessageMock) => {
    if (message.talker().id === botUser.id) texts.push(message.text() ?? '');
  });
  return texts;
}

