import { Attachment } from './attachments/attachment.entity';
import { AuditChainHead, AuditEvent } from './audit/audit-event.entity';
import { LoginFailure } from './auth/login-failure.entity';
import { OutboxRow } from './outbox/outbox.entity';
import { Notification } from './notifications/notification.entity';
import { Branch } from './organisation/branch.entity';
import { Partner } from './organisation/partner.entity';
import { Pairing, PairingBranch } from './workflow-engine/pairing.entity';
import { Court, CourtCodeCounter } from './identity/court.entity';
import { IdempotencyKey } from './pairings/idempotency-key.entity';
import { Practice, PracticePhoto } from './practices/practice.entity';
import {
  Activity,
  ActivityConfirmation,
  Agreement,
  Countersignature,
  PartnerEvaluation,
  Plan,
  QuarterReport,
  YearEndReview,
} from './workflow-engine/records.entity';
import { User } from './identity/user.entity';
import { JobSchedule } from './jobs/job-schedule.entity';

export const ENTITIES = [
  User,
  Branch,
  Partner,
  AuditEvent,
  AuditChainHead,
  LoginFailure,
  Pairing,
  PairingBranch,
  Court,
  CourtCodeCounter,
  Agreement,
  Plan,
  Activity,
  QuarterReport,
  YearEndReview,
  Countersignature,
  ActivityConfirmation,
  PartnerEvaluation,
  IdempotencyKey,
  OutboxRow,
  JobSchedule,
  Notification,
  Attachment,
  Practice,
  PracticePhoto,
];
