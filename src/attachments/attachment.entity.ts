import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { InstantColumn } from '../database/columns';

/** Uploaded evidence; the bytes live under ATTACHMENTS_DIR named by their sha256. */
@Entity('attachment')
export class Attachment {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ name: 'court_id', type: 'int', default: 0 }) courtId!: number;
  @Column({ type: 'varchar', length: 64 }) sha256!: string;
  @Column({ type: 'varchar', length: 255 }) filename!: string;
  @Column({ type: 'varchar', length: 100 }) mime!: string;
  @Column({ type: 'int' }) size!: number;
  @Column({ name: 'uploaded_by', type: 'int' }) uploadedBy!: number;
  /** Set when an event first references it; from then on it is visible as the pairing is. */
  @Column({ name: 'pairing_id', type: 'int', nullable: true }) pairingId!: number | null;
  @InstantColumn({ name: 'created_at' }) createdAt!: string;
}
