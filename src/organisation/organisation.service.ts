import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import { EntityManager, EntityTarget, Not } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { RequestUser } from '../identity/current-user.decorator';
import { CourtScope } from '../identity/court-scope';
import { ConflictError, NotFoundError, ValidationFailedError } from '../common/errors';
import { DatabaseService } from '../database/database.service';
import { User } from '../identity/user.entity';
import { CreateBranchDto, CreatePartnerDto, UpdateBranchDto, UpdatePartnerDto } from './organisation.dto';
import { Branch } from './branch.entity';
import { Partner } from './partner.entity';
import { canBeSecretaryOf, NOT_ELIGIBLE_SECRETARY } from './branch-secretary';

type Named = Branch | Partner;

interface Kind<E extends Named> {
  entity: EntityTarget<E>;
  label: string;
  taken: string;
  created: string;
  changed: string;
  view: (row: E) => Record<string, unknown>;
}

const BRANCH: Kind<Branch> = {
  entity: Branch,
  label: 'The branch',
  taken: 'BRANCH_NAME_TAKEN',
  created: 'BRANCH_CREATED',
  changed: 'BRANCH_CHANGED',
  view: (b) => ({ id: b.id, name: b.name, secretaryUserId: b.secretaryUserId, active: b.active }),
};

const PARTNER: Kind<Partner> = {
  entity: Partner,
  label: 'The partner',
  taken: 'PARTNER_NAME_TAKEN',
  created: 'PARTNER_CREATED',
  changed: 'PARTNER_CHANGED',
  view: (p) => ({ id: p.id, name: p.name, kind: p.kind, contact: p.contact, active: p.active }),
};

/**
 * Branches and partners: the same life (unique name, audited create and change, deactivated instead of
 * deleted since pairings name them), two tables.
 */
@Injectable()
export class OrganisationService {
  constructor(
    private readonly db: DatabaseService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  listBranches(scope: CourtScope) {
    return this.list(BRANCH, scope);
  }

  listPartners(scope: CourtScope) {
    return this.list(PARTNER, scope);
  }

  createBranch(dto: CreateBranchDto, actor: RequestUser) {
    const scope = CourtScope.own(actor);
    return this.create(BRANCH, { name: dto.name, secretaryUserId: dto.secretaryUserId ?? null, active: true }, actor, (m) =>
      this.checkSecretary(m, scope, dto.secretaryUserId, null),
    );
  }

  updateBranch(id: number, dto: UpdateBranchDto, actor: RequestUser) {
    const scope = CourtScope.own(actor);
    return this.update(BRANCH, id, dto, actor, (m) => this.checkSecretary(m, scope, dto.secretaryUserId, id));
  }

  createPartner(dto: CreatePartnerDto, actor: RequestUser) {
    return this.create(PARTNER, { name: dto.name, kind: dto.kind, contact: dto.contact ?? null, active: true }, actor);
  }

  updatePartner(id: number, dto: UpdatePartnerDto, actor: RequestUser) {
    return this.update(PARTNER, id, dto, actor);
  }

  private async list<E extends Named>(kind: Kind<E>, scope: CourtScope) {
    const rows = await this.db.read((m) => m.find(kind.entity, { where: scope.where() as never, order: { id: 'ASC' } as never }));
    return rows.map(kind.view);
  }

  private create<E extends Named>(kind: Kind<E>, fields: Partial<E>, actor: RequestUser, check?: (m: EntityManager) => Promise<void>) {
    const scope = CourtScope.own(actor);
    return this.db.transaction(async (m) => {
      await check?.(m);
      await this.checkNameFree(m, scope, kind, fields.name as string);
      const now = this.clock.now().toISOString();
      const row = m.create(kind.entity, { ...fields, courtId: scope.courtId, createdAt: now, updatedAt: now } as never) as E;
      await m.insert(kind.entity, row as never);
      const view = kind.view(row);
      await this.audit.appendForCourt(m, scope.courtId, { actorId: actor.id, type: kind.created, payload: view });
      return view;
    });
  }

  private update<E extends Named>(
    kind: Kind<E>,
    id: number,
    dto: Partial<E>,
    actor: RequestUser,
    check?: (m: EntityManager) => Promise<void>,
  ) {
    const scope = CourtScope.own(actor);
    const actorId = actor.id;
    return this.db.transaction(async (m) => {
      const row = await this.db.findForUpdate(m, kind.entity, { where: { id, ...scope.where() } as never });
      if (!row) throw new NotFoundError(kind.label);
      await check?.(m);
      if (dto.name !== undefined && dto.name !== row.name) await this.checkNameFree(m, scope, kind, dto.name, id);
      const before = kind.view(row);
      const changes = Object.fromEntries(Object.entries(dto).filter(([, value]) => value !== undefined));
      Object.assign(row, changes, { updatedAt: this.clock.now().toISOString() });
      await m.update(kind.entity, { id } as never, { ...changes, updatedAt: row.updatedAt } as never);
      const after = kind.view(row);
      const diff = Object.fromEntries(
        Object.keys(after)
          .filter((key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]))
          .map((key) => [key, { from: before[key], to: after[key] }]),
      );
      await this.audit.appendForCourt(m, scope.courtId, { actorId, type: kind.changed, payload: { id, changes: diff } });
      return after;
    });
  }

  private async checkNameFree<E extends Named>(m: EntityManager, scope: CourtScope, kind: Kind<E>, name: string, exceptId?: number) {
    const where = exceptId === undefined ? { name, ...scope.where() } : { name, id: Not(exceptId), ...scope.where() };
    if (await m.exists(kind.entity, { where: where as never })) {
      throw new ConflictError(kind.taken, `The name "${name}" is already used.`);
    }
  }

  /** A branch's named secretary must be one of its own active secretaries, so user and branch never disagree. */
  private async checkSecretary(m: EntityManager, scope: CourtScope, userId: number | null | undefined, branchId: number | null) {
    if (userId === null || userId === undefined) return;
    const user = await m.findOne(User, { where: { id: userId, ...scope.where() } });
    if (!user) throw new ValidationFailedError([{ field: 'secretaryUserId', messages: [`user ${userId} does not exist`] }]);
    if (branchId === null || !canBeSecretaryOf(user, branchId)) {
      throw new ValidationFailedError([{ field: 'secretaryUserId', messages: [`secretaryUserId ${NOT_ELIGIBLE_SECRETARY}`] }]);
    }
  }
}
