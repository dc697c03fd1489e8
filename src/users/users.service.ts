import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { RequestUser } from '../identity/current-user.decorator';
import { CourtScope } from '../identity/court-scope';
import { Court } from '../identity/court.entity';
import { hashPassword } from '../identity/password';
import { ConflictError, ForbiddenError, NotFoundError, ValidationFailedError } from '../common/errors';
import { DatabaseService } from '../database/database.service';
import { Branch } from '../organisation/branch.entity';
import { Partner } from '../organisation/partner.entity';
import { canBeSecretaryOf } from '../organisation/branch-secretary';
import { CreateUserDto, UpdateUserDto } from './users.dto';
import { publicUser, PublicUser, Role, User } from '../identity/user.entity';
import { usernameTaken } from '../identity/usernames';

const BRANCH_ROLES: Role[] = ['secretary', 'member'];

/** A court's admin manages their court; only a platform admin gives or takes the platform's role (§11). */
function checkPlatformRole(actor: RequestUser, before: Role[], after: Role[]): void {
  if (before.includes('platform_admin') === after.includes('platform_admin') || actor.roles.includes('platform_admin')) return;
  throw new ForbiddenError('Only a platform admin gives or takes the platform_admin role.');
}

interface BranchRef {
  id: number;
  name: string;
}

@Injectable()
export class UsersService {
  constructor(
    private readonly db: DatabaseService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async list(scope: CourtScope): Promise<PublicUser[]> {
    const users = await this.db.read((m) => m.find(User, { where: scope.where(), order: { id: 'ASC' } }));
    return users.map(publicUser);
  }

  /** Active users of a branch, for choosing a liaison. */
  async branchMembers(scope: CourtScope, branchId: number) {
    const users = await this.db.read((m) => m.find(User, { where: { branchId, active: true, ...scope.where() }, order: { id: 'ASC' } }));
    return users.map(({ id, displayName, roles }) => ({ id, displayName, roles }));
  }

  async create(dto: CreateUserDto, actor: RequestUser): Promise<PublicUser> {
    const passwordHash = await hashPassword(dto.password);
    const scope = CourtScope.own(actor);
    checkPlatformRole(actor, [], dto.roles);
    return this.db.transaction(async (m) => {
      await this.checkBranch(m, scope, dto.roles, dto.branchId ?? null, null);
      await this.checkPartner(m, scope, dto.roles, dto.branchId ?? null, dto.partnerId ?? null, null);
      await this.checkSupervisor(m, scope, [], dto.roles);
      if (await usernameTaken(m, dto.username)) {
        throw new ConflictError('USERNAME_TAKEN', `The username "${dto.username}" is already taken.`);
      }
      const now = this.clock.now().toISOString();
      const user = m.create(User, {
        courtId: scope.courtId,
        username: dto.username,
        displayName: dto.displayName,
        passwordHash,
        roles: dto.roles,
        branchId: dto.branchId ?? null,
        partnerId: dto.partnerId ?? null,
        active: dto.active ?? true,
        tokenVersion: 0,
        createdAt: now,
        updatedAt: now,
      });
      await m.insert(User, user);
      const view = publicUser(user);
      await this.audit.appendForCourt(m, scope.courtId, { actorId: actor.id, type: 'USER_CREATED', payload: { user: view } });
      return view;
    });
  }

  /**
   * Changes a user. A branch that names this user its secretary (branch.secretaryUserId) while the user no
   * longer is one of its active secretaries drops the name, audited, and the answer lists those branches
   * (`clearedSecretaryOf`), so the admin is told to choose a new secretary instead of the two disagreeing.
   */
  async update(id: number, dto: UpdateUserDto, actor: RequestUser): Promise<PublicUser & { clearedSecretaryOf: BranchRef[] }> {
    const passwordHash = dto.password ? await hashPassword(dto.password) : undefined;
    const scope = CourtScope.own(actor);
    const actorId = actor.id;
    return this.db.transaction(async (m) => {
      const user = await this.db.findForUpdate(m, User, { where: { id, ...scope.where() } });
      if (!user) throw new NotFoundError('The user');
      const before = publicUser(user);
      const wasActive = user.active;
      const previousBranchId = user.branchId;
      const previousPartnerId = user.partnerId;
      if (dto.displayName !== undefined) user.displayName = dto.displayName;
      if (dto.roles !== undefined) {
        checkPlatformRole(actor, user.roles, dto.roles);
        await this.checkSupervisor(m, scope, user.roles, dto.roles);
        user.roles = dto.roles;
      }
      if (dto.branchId !== undefined) user.branchId = dto.branchId;
      if (dto.partnerId !== undefined) user.partnerId = dto.partnerId;
      if (dto.active !== undefined) user.active = dto.active;
      await this.checkBranch(m, scope, user.roles, user.branchId, previousBranchId);
      await this.checkPartner(m, scope, user.roles, user.branchId, user.partnerId, previousPartnerId);
      const after = publicUser(user);
      const changes = Object.fromEntries(
        (Object.keys(after) as (keyof PublicUser)[])
          .filter((key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]))
          .map((key) => [key, { from: before[key], to: after[key] }]),
      );
      // A change that changes nothing is answered with the user as is: no write, no USER_CHANGED, tokens kept.
      if (!passwordHash && !Object.keys(changes).length)
        return { ...after, clearedSecretaryOf: await this.releaseBranches(m, user, actorId) };
      user.updatedAt = this.clock.now().toISOString();
      // Tokens issued before a new password, a deactivation or a change of rights stop working.
      const revoke =
        Boolean(passwordHash) ||
        user.active !== wasActive ||
        JSON.stringify(user.roles) !== JSON.stringify(before.roles) ||
        user.branchId !== before.branchId ||
        user.partnerId !== before.partnerId;
      await m.update(
        User,
        { id },
        {
          displayName: user.displayName,
          roles: user.roles,
          branchId: user.branchId,
          partnerId: user.partnerId,
          active: user.active,
          updatedAt: user.updatedAt,
          ...(passwordHash ? { passwordHash } : {}),
          ...(revoke ? { tokenVersion: user.tokenVersion + 1 } : {}),
        },
      );
      await this.audit.appendForCourt(m, scope.courtId, {
        actorId,
        type: 'USER_CHANGED',
        payload: { userId: id, changes, passwordChanged: Boolean(passwordHash) },
      });
      return { ...after, clearedSecretaryOf: await this.releaseBranches(m, user, actorId) };
    });
  }

  /** Branches naming `user` their secretary though the user is no longer one of their active secretaries. */
  private async releaseBranches(m: EntityManager, user: User, actorId: number | null): Promise<BranchRef[]> {
    const named = await m.find(Branch, { where: { secretaryUserId: user.id, courtId: user.courtId }, order: { id: 'ASC' } });
    const released = named.filter((branch) => !canBeSecretaryOf(user, branch.id));
    for (const branch of released) {
      await m.update(Branch, { id: branch.id }, { secretaryUserId: null, updatedAt: user.updatedAt });
      await this.audit.appendForCourt(m, user.courtId, {
        actorId,
        type: 'BRANCH_CHANGED',
        payload: { id: branch.id, changes: { secretaryUserId: { from: user.id, to: null } }, because: { userChanged: user.id } },
      });
    }
    return released.map(({ id, name }) => ({ id, name }));
  }

  /**
   * A `partner` user speaks for exactly one existing partner and holds no other role and no branch (SPEC §12: it
   * sees only its partner's pairings); no other user names a partner.
   */
  private async checkPartner(
    m: EntityManager,
    scope: CourtScope,
    roles: Role[],
    branchId: number | null,
    partnerId: number | null,
    previousPartnerId: number | null,
  ): Promise<void> {
    if (!roles.includes('partner')) {
      if (partnerId !== null) throw new ValidationFailedError([{ field: 'partnerId', messages: ['only a partner user names a partner'] }]);
      return;
    }
    const problems: { field: string; messages: string[] }[] = [];
    if (roles.length > 1) problems.push({ field: 'roles', messages: ['the partner role cannot be combined with other roles'] });
    if (branchId !== null) problems.push({ field: 'branchId', messages: ['a partner user belongs to no branch'] });
    if (partnerId === null) problems.push({ field: 'partnerId', messages: ['a partner user must name its partner organisation'] });
    else if (partnerId !== previousPartnerId) {
      const partner = await m.findOne(Partner, { where: { id: partnerId, ...scope.where() } });
      if (!partner) problems.push({ field: 'partnerId', messages: [`partner ${partnerId} does not exist`] });
      else if (!partner.active) problems.push({ field: 'partnerId', messages: [`partner ${partnerId} is deactivated`] });
    }
    if (problems.length) throw new ValidationFailedError(problems);
  }

  /** A supervisor reads the courts below theirs (§11): the role is given only in a court that has some. */
  private async checkSupervisor(m: EntityManager, scope: CourtScope, before: Role[], after: Role[]): Promise<void> {
    if (before.includes('supervisor') || !after.includes('supervisor')) return;
    if (await m.exists(Court, { where: { parentCourtId: scope.courtId } })) return;
    throw new ValidationFailedError([
      { field: 'roles', messages: ['supervisor is for a court that has courts below it; this court has none'] },
    ]);
  }

  /** A secretary or member needs a branch; a new branch must exist and be active (a user may stay in a deactivated one). */
  private async checkBranch(
    m: EntityManager,
    scope: CourtScope,
    roles: Role[],
    branchId: number | null,
    previousBranchId: number | null,
  ): Promise<void> {
    const needsBranch = roles.some((role) => BRANCH_ROLES.includes(role));
    if (needsBranch && branchId === null) {
      throw new ValidationFailedError([{ field: 'branchId', messages: ['a secretary or member must belong to a branch'] }]);
    }
    if (branchId === null || branchId === previousBranchId) return;
    const branch = await m.findOne(Branch, { where: { id: branchId, ...scope.where() } });
    if (!branch) throw new ValidationFailedError([{ field: 'branchId', messages: [`branch ${branchId} does not exist`] }]);
    if (!branch.active) throw new ValidationFailedError([{ field: 'branchId', messages: [`branch ${branchId} is deactivated`] }]);
  }
}
