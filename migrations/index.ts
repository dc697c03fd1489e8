import { CreateOrganisationAndAudit1764140000000 } from './1764140000000-CreateOrganisationAndAudit';
import { CreatePairings1764150000000 } from './1764150000000-CreatePairings';
import { RefuseAuditReplace1764600000000 } from './1764600000000-RefuseAuditReplace';
import { AddUserTokenVersion1764600000001 } from './1764600000001-AddUserTokenVersion';
import { HeadsAndTasksOnPairing1764600000002 } from './1764600000002-HeadsAndTasksOnPairing';
import { NoticesDoneAndDeactivation1764610000000 } from './1764610000000-NoticesDoneAndDeactivation';
import { OutboxDoneAndSchedules1764620000000 } from './1764620000000-OutboxDoneAndSchedules';
import { OutcomeIndicators1764633140000 } from './1764633140000-OutcomeIndicators';
import { CreatePractices1764633140001 } from './1764633140001-CreatePractices';
import { IntroduceCourts1764700000000 } from './1764700000000-IntroduceCourts';
import { PartnerSide1764800000000 } from './1764800000000-PartnerSide';
import { IndexOpenNotices1764900000000 } from './1764900000000-IndexOpenNotices';

/** Every migration in order; the app and the CLI run this list (no globbing over .ts/.js). */
export const MIGRATIONS = [
  CreateOrganisationAndAudit1764140000000,
  CreatePairings1764150000000,
  RefuseAuditReplace1764600000000,
  AddUserTokenVersion1764600000001,
  HeadsAndTasksOnPairing1764600000002,
  NoticesDoneAndDeactivation1764610000000,
  OutboxDoneAndSchedules1764620000000,
  OutcomeIndicators1764633140000,
  CreatePractices1764633140001,
  IntroduceCourts1764700000000,
  PartnerSide1764800000000,
  IndexOpenNotices1764900000000,
];
