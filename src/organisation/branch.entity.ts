import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { InstantColumn } from '../database/columns';

@Entity('branch')
@Index('uq_branch_court_name', ['courtId', 'name'], { unique: true })
export class Branch {
  @PrimaryGeneratedColumn()
  id!: number;

  /** The court the row belongs to (§11); repositories read it only through a CourtScope. */
  @Column({ name: 'court_id', type: 'int', default: 0 })
  courtId!: number;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  @Column({ name: 'secretary_user_id', type: 'int', nullable: true })
  secretaryUserId!: number | null;

  /** A deactivated one stays on the pairings that name it but cannot be chosen for new ones. */
  @Column({ type: 'boolean', default: true })
  active!: boolean;

  @InstantColumn({ name: 'created_at' })
  createdAt!: string;

  @InstantColumn({ name: 'updated_at' })
  updatedAt!: string;
}
