import { Inject, Injectable, Logger } from '@nestjs/common';
import { Clock } from '../common/clock';
import { AuditChainHead } from '../audit/audit-event.entity';
import type { EntityManager } from 'typeorm';
import { AuditEntry, AuditService, SYSTEM_CHAIN } from '../audit/audit.service';
import { Court } from '../identity/court.entity';
import { hashPassword } from '../identity/password';
import { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { DatabaseService } from '../database/database.service';
import { Branch } from '../organisation/branch.entity';
import { Partner } from '../organisation/partner.entity';
import { publicUser, User } from '../identity/user.entity';
import { DEMO_BRANCHES, DEMO_PARTNERS, DEMO_PASSWORD, DEMO_USERS } from './demo-organisation';
import { DemoPairingsSeeder } from './demo-pairings';
import { DemoCourtsSeeder } from './demo-courts';
import { CourtsService } from '../courts/courts.service';

export interface SeedReport {
  admin: string | null;
  demoLogins: { username: string; password: string; roles: string[] }[];
  demoPairings?: number;
}

/** Fills an empty database: the bootstrap admin, and with SEED_DEMO the court's demo organisation. */
@Injectable()
export class SeedService {
  private readonly logger = new Logger('Seed');

  constructor(
    private readonly db: DatabaseService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly demoPairings: DemoPairingsSeeder,
    private readonly demoCourts: DemoCourtsSeeder,
    private readonly courtRecords: CourtsService,
  ) {}

  async seedIfEmpty(): Promise<SeedReport | null> {
    const empty = (await this.db.read((m) => m.count(User))) === 0;
    if (!empty) return null;
    const report: SeedReport = { admin: null, demoLogins: [] };
    const adminHash = this.config.admin ? await hashPassword(this.config.admin.password) : null;
    const demoHash = this.config.seedDemo ? await hashPassword(DEMO_PASSWORD) : null;

    await this.db.transaction(async (m) => {
      // Several processes may start on one empty database: the system chain's head row serialises them.
      await this.db.findForUpdate(m, AuditChainHead, { where: { chain: SYSTEM_CHAIN } });
      if ((await m.count(User)) > 0) return;
      const now = this.clock.now().toISOString();
      // The full demo (§11): 嘉兴中院 above the demo court, and a sister court beside it.
      const fullDemo = Boolean(demoHash) && this.config.seedDemoPairings;
      const supervising = fullDemo ? await this.demoCourts.supervisingCourt(m, now) : null;
      const court = await this.defaultCourt(m, now, supervising?.id ?? null);
      const inCourt = (entry: Omit<AuditEntry, 'chain'>) => this.audit.appendForCourt(m, court.id, entry);
      if (this.config.admin && adminHash) {
        const admin = m.create(User, {
          courtId: court.id,
          username: this.config.admin.username,
          displayName: '系统管理员',
          passwordHash: adminHash,
          roles: ['admin', 'platform_admin'],
          branchId: null,
          active: true,
          createdAt: now,
          updatedAt: now,
        });
        await m.insert(User, admin);
        await inCourt({ actorId: null, type: 'USER_CREATED', payload: { user: publicUser(admin), bootstrap: true } });
        report.admin = admin.username;
      }
      if (!demoHash) return;

      const branchIds = new Map<string, number>();
      for (const name of DEMO_BRANCHES) {
        const branch = m.create(Branch, { courtId: court.id, name, secretaryUserId: null, createdAt: now, updatedAt: now });
        await m.insert(Branch, branch);
        branchIds.set(name, branch.id);
        await inCourt({
          actorId: null,
          type: 'BRANCH_CREATED',
          payload: { id: branch.id, name, secretaryUserId: null },
        });
      }
      const partnerIds = new Map<string, number>();
      for (const partner of DEMO_PARTNERS) {
        const row = m.create(Partner, { ...partner, courtId: court.id, createdAt: now, updatedAt: now });
        await m.insert(Partner, row);
        partnerIds.set(partner.name, row.id);
        await inCourt({ actorId: null, type: 'PARTNER_CREATED', payload: { id: row.id, ...partner } });
      }
      for (const demo of DEMO_USERS) {
        const branchId = demo.branch ? branchIds.get(demo.branch)! : null;
        const user = m.create(User, {
          courtId: court.id,
          username: demo.username,
          displayName: demo.displayName,
          passwordHash: demoHash,
          roles: demo.roles,
          branchId,
          partnerId: demo.partner ? partnerIds.get(demo.partner)! : null,
          active: true,
          createdAt: now,
          updatedAt: now,
        });
        await m.insert(User, user);
        await inCourt({ actorId: null, type: 'USER_CREATED', payload: { user: publicUser(user), demo: true } });
        if (demo.roles.includes('secretary') && branchId) {
          await m.update(Branch, { id: branchId }, { secretaryUserId: user.id });
          await inCourt({
            actorId: null,
            type: 'BRANCH_CHANGED',
            payload: { id: branchId, changes: { secretaryUserId: { from: null, to: user.id } } },
          });
        }
        report.demoLogins.push({ username: demo.username, password: DEMO_PASSWORD, roles: demo.roles });
      }
      if (supervising) {
        for (const login of await this.demoCourts.seed(m, supervising, demoHash, now))
          report.demoLogins.push({ ...login, password: DEMO_PASSWORD });
      }
    });
    if (report.demoLogins.length && this.config.seedDemoPairings) {
      report.demoPairings = (await this.demoPairings.seed()) + (await this.demoCourts.seedPairings());
    }
    if (report.admin || report.demoLogins.length)
      this.logger.log(`Seeded ${report.demoLogins.length ? 'the demo organisation' : 'the bootstrap admin'}`);
    return report;
  }

  /**
   * The installation's first court (COURT_CODE, COURT_NAME), created on an empty database and recorded in
   * the platform's chain; an upgraded installation has its court `GJ` from the migration already.
   */
  private async defaultCourt(m: EntityManager, now: string, parentCourtId: number | null): Promise<Court> {
    const existing = await m.findOne(Court, { where: { code: this.config.court.code } });
    if (existing) return existing;
    return this.courtRecords.insert(m, { ...this.config.court, parentCourtId }, now, null, { bootstrap: true });
  }
}
