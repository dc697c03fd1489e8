import { AuditChainHead, AuditEvent } from '../audit/audit-event.entity';
import { LoginFailure } from '../auth/login-failure.entity';
import { Branch } from '../organisation/branch.entity';
import { Partner } from '../organisation/partner.entity';
import { User } from '../users/user.entity';

export const ENTITIES = [User, Branch, Partner, AuditEvent, AuditChainHead, LoginFailure];
