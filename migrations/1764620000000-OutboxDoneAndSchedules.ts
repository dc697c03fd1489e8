import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { instant, str } from './support/columns';

/**
 * The outbox knows when a row's effect was recorded (done_at) and when a row that keeps failing was put
 * aside for a person (parked_at); schedules (the deadline sweep) live in the database, not in Redis.
 * Plain ADD COLUMNs, which SQLite does in place.
 */
export class OutboxDoneAndSchedules1764620000000 implements MigrationInterface {
  name = 'OutboxDoneAndSchedules1764620000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE `outbox` ADD COLUMN `done_at` varchar(24) NULL');
    await queryRunner.query('ALTER TABLE `outbox` ADD COLUMN `parked_at` varchar(24) NULL');
    // Rows handed on before this version were taken as done then; they stay done.
    await queryRunner.query('UPDATE `outbox` SET `done_at` = `dispatched_at` WHERE `dispatched_at` IS NOT NULL');
    await queryRunner.createIndex(
      'outbox',
      new TableIndex({ name: 'ix_outbox_open', columnNames: ['done_at', 'parked_at', 'available_at'] }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'job_schedule',
        columns: [{ ...str('name', 64), isPrimary: true }, instant('next_run_at'), instant('last_run_at', true)],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('job_schedule');
    await queryRunner.dropIndex('outbox', 'ix_outbox_open');
    await queryRunner.query('ALTER TABLE `outbox` DROP COLUMN `parked_at`');
    await queryRunner.query('ALTER TABLE `outbox` DROP COLUMN `done_at`');
  }
}
