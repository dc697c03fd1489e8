import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Not } from 'typeorm';
import { AuditService, SYSTEM_CHAIN } from '../audit/audit.service';
import { Clock } from '../common/clock';
import { ConflictError, NotFoundError, ValidationFailedError } from '../common/errors';
import { DatabaseService } from '../database/database.service';
import { CourtDirectory, CourtRef } from '../identity/court-directory';
import { Court } from '../identity/court.entity';
import type { RequestUser } from '../identity/current-user.decorator';
import { hashPassword } from '../identity/password';
import { publicUser, PublicUser, User } from '../identity/user.entity';
import { CreateCourtAdminDto, CreateCourtDto, UpdateCourtDto } from './courts.dto';
import { usernameTaken } from '../identity/usernames';

export interface CourtView {
  id: number;
  code: string;
  name: string;
  parentCourtId: number | null;
}

const view = (court: CourtRef): CourtView => ({ id: court.id, code: court.code, name: court.name, parentCourtId: court.parentCourtId });

/**
 * The courts of the installation (§11). Platform admins create and rename them and give each its first
 * admin; the platform's chain (`system`) records it. Everyone else reads only the courts they may read.
 */
@Injectable()
export class CourtsService {
  constructor(
    private readonly db: DatabaseService,
    private readonly courts: CourtDirectory,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /**
   * Platform admins: every court; supervisors: their own and every court below it (SPEC §11). Nobody else lists
   * courts (the route's roles): a user's own court is in GET /api/auth/me.
   */
  async list(user: RequestUser): Promise<CourtView[]> {
    return this.db.read(async (m) =>
      (user.roles.includes('platform_admin') ? await this.courts.all(m) : await this.courts.subtree(m, user.courtId)).map(view),
    );
  }

  async create(actor: RequestUser, dto: CreateCourtDto): Promise<CourtView> {
    return this.db.transaction(async (m) => {
      // The platform chain's head row queues concurrent creations; the unique indexes refuse what slips past.
      if (dto.parentCourtId !== undefined && dto.parentCourtId !== null && !(await m.exists(Court, { where: { id: dto.parentCourtId } }))) {
        throw new ValidationFailedError([{ field: 'parentCourtId', messages: [`court ${dto.parentCourtId} does not exist`] }]);
      }
      if (await m.exists(Court, { where: { code: dto.code } }))
        throw new ConflictError('COURT_CODE_TAKEN', `The code "${dto.code}" is already used.`);
      await this.checkNameFree(m, dto.name);
      const now = this.clock.now().toISOString();
      const court = await this.insert(m, { code: dto.code, name: dto.name, parentCourtId: dto.parentCourtId ?? null }, now, actor.id);
      return view(court);
    });
  }

  /**
   * Writes a court and its COURT_CREATED in the platform chain, in the caller's transaction: for the API
   * (checked first, by `create`) and for the seed (the installation's first court, the demo courts), whose
   * `note` marks the event as theirs (`bootstrap`, `demo`).
   */
  async insert(
    m: EntityManager,
    fields: Pick<Court, 'code' | 'name' | 'parentCourtId'>,
    now: string,
    actorId: number | null,
    note: Record<string, unknown> = {},
  ): Promise<Court> {
    const court = m.create(Court, { ...fields, createdAt: now, updatedAt: now });
    await m.insert(Court, court);
    this.courts.remember(court);
    await this.audit.append(m, { chain: SYSTEM_CHAIN, actorId, type: 'COURT_CREATED', payload: { court: view(court), ...note } });
    return court;
  }

  /** A court is renamed; its code and place in the tree stay (codes are on every pairing and chain). */
  async update(actor: RequestUser, id: number, dto: UpdateCourtDto): Promise<CourtView> {
    return this.db.transaction(async (m) => {
      const court = await this.db.findForUpdate(m, Court, { where: { id } });
      if (!court) throw new NotFoundError('The court');
      if (dto.name === undefined || dto.name === court.name) return view(court);
      await this.checkNameFree(m, dto.name, id);
      const before = court.name;
      court.name = dto.name;
      court.updatedAt = this.clock.now().toISOString();
      await m.update(Court, { id }, { name: court.name, updatedAt: court.updatedAt });
      await this.audit.append(m, {
        chain: SYSTEM_CHAIN,
        actorId: actor.id,
        type: 'COURT_CHANGED',
        payload: { id, changes: { name: { from: before, to: court.name } } },
      });
      this.courts.remember(court);
      return view(court);
    });
  }

  /** The court's first admin (or another): an `admin` of that court, recorded in that court's chain. */
  async createAdmin(actor: RequestUser, courtId: number, dto: CreateCourtAdminDto): Promise<PublicUser> {
    const passwordHash = await hashPassword(dto.password);
    return this.db.transaction(async (m) => {
      const court = await m.findOne(Court, { where: { id: courtId } });
      if (!court) throw new NotFoundError('The court');
      if (await usernameTaken(m, dto.username)) {
        throw new ConflictError('USERNAME_TAKEN', `The username "${dto.username}" is already taken.`);
      }
      const now = this.clock.now().toISOString();
      const user = m.create(User, {
        courtId: court.id,
        username: dto.username,
        displayName: dto.displayName,
        passwordHash,
        roles: ['admin'],
        branchId: null,
        active: true,
        tokenVersion: 0,
        createdAt: now,
        updatedAt: now,
      });
      await m.insert(User, user);
      const created = publicUser(user);
      await this.audit.appendForCourt(m, court.id, {
        actorId: actor.id,
        type: 'USER_CREATED',
        payload: { user: created, byPlatformAdmin: true },
      });
      return created;
    });
  }

  private async checkNameFree(m: EntityManager, name: string, exceptId?: number): Promise<void> {
    const where = exceptId === undefined ? { name } : { name, id: Not(exceptId) };
    if (await m.exists(Court, { where })) throw new ConflictError('COURT_NAME_TAKEN', `The name "${name}" is already used.`);
  }
}
