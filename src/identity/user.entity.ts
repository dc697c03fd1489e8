import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { InstantColumn } from '../database/columns';

export const ROLES = ['secretary', 'committee', 'auditor', 'leader', 'member', 'admin', 'partner', 'supervisor', 'platform_admin'] as const;
export type Role = (typeof ROLES)[number];

@Entity('user')
@Index('ix_user_court', ['courtId', 'id'])
export class User {
  @PrimaryGeneratedColumn()
  id!: number;

  /** The court the row belongs to (§11); repositories read it only through a CourtScope. */
  @Column({ name: 'court_id', type: 'int', default: 0 })
  courtId!: number;

  @Index('uq_user_username', { unique: true })
  @Column({ type: 'varchar', length: 64 })
  username!: string;

  @Column({ name: 'display_name', type: 'varchar', length: 100 })
  displayName!: string;

  @Column({ name: 'password_hash', type: 'varchar', length: 100, select: false })
  passwordHash!: string;

  @Column({ type: 'simple-json' })
  roles!: Role[];

  @Index('ix_user_branch')
  @Column({ name: 'branch_id', type: 'int', nullable: true })
  branchId!: number | null;

  /** The partner organisation a `partner` user speaks for (SPEC §12); null for every other user. */
  @Column({ name: 'partner_id', type: 'int', nullable: true })
  partnerId!: number | null;

  @Column({ type: 'boolean', default: true })
  active!: boolean;

  /** Carried by sign-in tokens; bumped when the password, activity, roles or branch change, so older tokens stop working. */
  @Column({ name: 'token_version', type: 'int', default: 0 })
  tokenVersion!: number;

  @InstantColumn({ name: 'created_at' })
  createdAt!: string;

  @InstantColumn({ name: 'updated_at' })
  updatedAt!: string;
}

/** What the API shows of a user: never the password hash. */
export function publicUser(user: User) {
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    roles: user.roles,
    courtId: user.courtId,
    branchId: user.branchId,
    partnerId: user.partnerId ?? null,
    active: user.active,
  };
}
export type PublicUser = ReturnType<typeof publicUser>;
