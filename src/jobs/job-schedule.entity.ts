import { Entity, PrimaryColumn } from 'typeorm';
import { InstantColumn } from '../database/columns';

/** A recurring job (the deadline sweep) and when it is next due; the database, not Redis, keeps it. */
@Entity('job_schedule')
export class JobSchedule {
  @PrimaryColumn({ type: 'varchar', length: 64 }) name!: string;
  @InstantColumn({ name: 'next_run_at' }) nextRunAt!: string;
  @InstantColumn({ name: 'last_run_at', nullable: true }) lastRunAt!: string | null;
}
