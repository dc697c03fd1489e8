import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { InstantColumn } from '../database/columns';

export const PARTNER_KINDS = ['government', 'enterprise', 'public_institution', 'community', 'social_organization'] as const;
export type PartnerKind = (typeof PARTNER_KINDS)[number];

@Entity('partner')
@Index('uq_partner_court_name', ['courtId', 'name'], { unique: true })
export class Partner {
  @PrimaryGeneratedColumn()
  id!: number;

  /** The court the row belongs to (§11); repositories read it only through a CourtScope. */
  @Column({ name: 'court_id', type: 'int', default: 0 })
  courtId!: number;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  @Column({ type: 'varchar', length: 32 })
  kind!: PartnerKind;

  @Column({ type: 'varchar', length: 200, nullable: true })
  contact!: string | null;

  /** A deactivated one stays on the pairings that name it but cannot be chosen for new ones. */
  @Column({ type: 'boolean', default: true })
  active!: boolean;

  @InstantColumn({ name: 'created_at' })
  createdAt!: string;

  @InstantColumn({ name: 'updated_at' })
  updatedAt!: string;
}
