import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

/**
 * A pairing's notices that still ask for an action, found by index. Every transition marks those its step has
 * answered as done (`NotificationsService.markDone`); without the index that update read the whole notification
 * table each time — on MySQL locking every row it read — and grew slower with every notice ever sent.
 */
export class IndexOpenNotices1764900000000 implements MigrationInterface {
  name = 'IndexOpenNotices1764900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex(
      'notification',
      new TableIndex({ name: 'ix_notification_pairing_open', columnNames: ['pairing_id', 'needs_action', 'done_at'] }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('notification', 'ix_notification_pairing_open');
  }
}
