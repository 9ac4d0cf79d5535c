import type { CaseDeadlineHours } from '../domain/caseDeadlines';
import type { ReferralDeadlineHours } from '../domain/referrals';
import type { ChatDialogState } from '../store/messaging/chatDialogs';
import type { Tx } from '../store/db/database';
import type { Sender } from '../store/messaging/identities';
import type { InboxRecord } from '../store/messaging/inbox';
import type { Outgoing } from '../store/messaging/outbox';

export interface ChatSettings {
  timeZone: string;
  inviteTtlDays: number;
  /** Step deadlines of cases per severity; the plan's defaults when unset. */
  caseDeadlines?: CaseDeadlineHours;
  /** Time each department has to answer a referral; seven days (police on mandatory reports three) when unset. */
  referralDeadlines?: ReferralDeadlineHours;
  /** Attachments larger than this are not kept (default 10 MB). */
  attachmentMaxBytes?: number;
}

/** One inbound message being handled: everything a command may read or write. */
export interface ChatTurn {
  tx: Tx;
  now: Date;
  message: InboxRecord;
  /** Null until the sender has bound their chat identity with an invite code. */
  sender: Sender | null;
  settings: ChatSettings;
  /** Answers where the message came from (the room, if said in one). */
  reply(text: string): Promise<void>;
  /** Messages a person through their freshest chat identity; false if they have none. */
  notify(personId: number, text: Outgoing): Promise<boolean>;
  /** Posts to the child's care rooms (关爱群), if any. */
  notifyCareRooms(childId: number, text: Outgoing): Promise<number>;
  /** Set by 绑定: the platform may keep it on the contact to re-identify them later. */
  boundTag?: string;
}

/** A command whose sender is known. */
export type BoundTurn = ChatTurn & { sender: Sender };

export interface ChatCommand {
  /** The words that start the command; the longest match wins (绑定群 before 绑定). */
  keywords: readonly string[];
  /** Roles that may use it; 'anyone' includes senders who have not bound yet. */
  roles: 'anyone' | ReadonlyArray<Sender['person']['role']>;
  /**
   * For a command without a keyword (a teacher's `1 正常`): whether it takes this message, given the
   * sender's role (undefined before binding). Consulted only when no keyword matches, and not for
   * chatter in rooms; the command then gets the whole message as `args`.
   */
  matches?(text: string, role: Sender['person']['role'] | undefined): boolean;
  handle(turn: ChatTurn, args: string): Promise<void>;
  /** Set for a command that can leave a dialog open (src/store/messaging/chatDialogs.ts). */
  dialog?: ChatDialogHandler;
}

export interface ChatDialogHandler {
  /** ChatDialog.kind of the dialogs this command opens. */
  kind: string;
  /**
   * Takes every private message of a person whose dialog of this kind is open, keywords
   * included: the dialog itself understands 取消, 上一步 and 帮助.
   */
  continue(turn: BoundTurn, dialog: ChatDialogState, text: string): Promise<void>;
  /** Said before handling the next message of a person whose dialog timed out. */
  expiredNotice: string;
}
