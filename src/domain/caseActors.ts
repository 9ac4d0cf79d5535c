import { ACCOUNT_ROLE_LABELS, PERSON_ROLE_LABELS } from './labels';

/**
 * Who took a step of a case, as the viewer may know it: a person in chat, a console account, an
 * API token, the system's jobs, someone withheld (the reporter, from a viewer who may not see
 * who reported), or an account or token since deleted.
 */
export type CaseStepActor =
  | { kind: 'person'; personId: number; name: string; role: keyof typeof PERSON_ROLE_LABELS }
  | { kind: 'account'; label: string; name: string; role: keyof typeof ACCOUNT_ROLE_LABELS }
  | { kind: 'token'; label: string; name: string | null; role: keyof typeof ACCOUNT_ROLE_LABELS }
  | { kind: 'system' }
  | { kind: 'withheld' }
  | { kind: 'removed'; label: string };

/** The actor in people's words: 王主任（乡镇工作人员）, 管理平台接口（市级工作人员）, 系统, 身份保密. */
export function caseActorWords(actor: CaseStepActor): string {
  switch (actor.kind) {
    case 'person':
      return `${actor.name}（${PERSON_ROLE_LABELS[actor.role]}）`;
    case 'account':
      return `${actor.name}（${ACCOUNT_ROLE_LABELS[actor.role]}）`;
    case 'token':
      return `${actor.name ?? '管理平台接口'}（${ACCOUNT_ROLE_LABELS[actor.role]}，接口）`;
    case 'system':
      return '系统';
    case 'withheld':
      return '（身份保密）';
    case 'removed':
      return '（账号已删除）';
  }
}
