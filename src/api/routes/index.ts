import type { Resource } from '../route';
import { agreements } from './agreements';
import { areas } from './areas';
import { assessments } from './assessments';
import { attachments } from './attachments';
import { cases } from './cases';
import { checkIns } from './checkIns';
import { children } from './children';
import { contactWeeks } from './contactWeeks';
import { dataRequests } from './dataRequests';
import { ledgerExports } from './exports';
import { imports } from './imports';
import { invites } from './invites';
import { ledgers } from './ledgers';
import { links } from './links';
import { outbox } from './outbox';
import { referrals } from './referrals';
import { reports } from './reports';
import { returnHomeRequestsResource } from './returnHomeRequests';
import { people } from './people';
import { schoolCalendars } from './schoolCalendars';
import { tokens } from './tokens';
import { users } from './users';

/** Every resource of the admin API, in the order of the reference page. */
export const RESOURCES: readonly Resource[] = [
  areas,
  children,
  people,
  links,
  checkIns,
  invites,
  cases,
  attachments,
  referrals,
  returnHomeRequestsResource,
  agreements,
  assessments,
  contactWeeks,
  dataRequests,
  schoolCalendars,
  outbox,
  imports,
  ledgers,
  ledgerExports,
  reports,
  tokens,
  users,
];
