import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import { EntityManager, EntityTarget, Not } from 'typeorm';
import { AuditService, SYSTEM_CHAIN } from '../audit/audit.service';
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

  listBranches() {
    return this.list(BRANCH);
  }

  listPartners() {
    return this.list(PARTNER);
  }

  createBranch(dto: CreateBranchDto, actorId: number | null) {
    return this.create(BRANCH, { name: dto.name, secretaryUserId: dto.secretaryUserId ?? null, active: true }, actorId, (m) =>
      this.checkSecretary(m, dto.secretaryUserId, null),
    );
  }

  updateBranch(id: number, dto: UpdateBranchDto, actorId: number | null) {
    return this.update(BRANCH, id, dto, actorId, (m) => this.checkSecretary(m, dto.secretaryUserId, id));
  }

  createPartner(dto: CreatePartnerDto, actorId: number | null) {
    return this.create(PARTNER, { name: dto.name, kind: dto.kind, contact: dto.contact ?? null, active: true }, actorId);
  }

  updatePartner(id: number, dto: UpdatePartnerDto, actorId: number | null) {
    return this.update(PARTNER, id, dto, actorId);
  }

  private async list<E extends Named>(kind: Kind<E>) {
    const rows = await this.db.read((m) => m.find(kind.entity, { order: { id: 'ASC' } as never }));
    return rows.map(kind.view);
  }

  private create<E extends Named>(kind: Kind<E>, fields: Partial<E>, actorId: number | null, check?: (m: EntityManager) => Promise<void>) {
    return this.db.transaction(async (m) => {
      await check?.(m);
      await this.checkNameFree(m, kind, fields.name as string);
      const now = this.clock.now().toISOString();
      const row = m.create(kind.entity, { ...fields, createdAt: now, updatedAt: now } as never) as E;
      await m.insert(kind.entity, row as never);
      const view = kind.view(row);
      await this.audit.append(m, { chain: SYSTEM_CHAIN, actorId, type: kind.created, payload: view });
      return view;
    });
  }

  private update<E extends Named>(
    kind: Kind<E>,
    id: number,
    dto: Partial<E>,
    actorId: number | null,
    check?: (m: EntityManager) => Promise<void>,
  ) {
    return this.db.transaction(async (m) => {
      const row = await this.db.findForUpdate(m, kind.entity, { where: { id } as never });
      if (!row) throw new NotFoundError(kind.label);
      await check?.(m);
      if (dto.name !== undefined && dto.name !== row.name) await this.checkNameFree(m, kind, dto.name, id);
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
      await this.audit.append(m, { chain: SYSTEM_CHAIN, actorId, type: kind.changed, payload: { id, changes: diff } });
      return after;
    });
  }

  private async checkNameFree<E extends Named>(m: EntityManager, kind: Kind<E>, name: string, exceptId?: number) {
    const where = exceptId === undefined ? { name } : { name, id: Not(exceptId) };
    if (await m.exists(kind.entity, { where: where as never })) {
      throw new ConflictError(kind.taken, `The name "${name}" is already used.`);
    }
  }

  /** A branch's named secretary must be one of its own active secretaries, so user and branch never disagree. */
  private async checkSecretary(m: EntityManager, userId: number | null | undefined, branchId: number | null) {
    if (userId === null || userId === undefined) return;
    const user = await m.findOne(User, { where: { id: userId } });
    if (!user) throw new ValidationFailedError([{ field: 'secretaryUserId', messages: [`user ${userId} does not exist`] }]);
    if (branchId === null || !canBeSecretaryOf(user, branchId)) {
      throw new ValidationFailedError([{ field: 'secretaryUserId', messages: [`secretaryUserId ${NOT_ELIGIBLE_SECRETARY}`] }]);
    }
  }
}
