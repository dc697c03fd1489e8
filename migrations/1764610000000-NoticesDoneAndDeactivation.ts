import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { instant, int, text } from './support/columns';

/**
 * Notifications keep what they are about (kind + params, rendered in the reader's language), which pairing
 * event they answer and whether they asked for an action that has since been done. Branches and partners can
 * be deactivated: pairings refer to them, so they are never deleted.
 */
export class NoticesDoneAndDeactivation1764610000000 implements MigrationInterface {
  name = 'NoticesDoneAndDeactivation1764610000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('notification', [
      new TableColumn(text('params', true)),
      new TableColumn(int('seq', true)),
      new TableColumn({ name: 'needs_action', type: 'boolean', default: false }),
      new TableColumn(instant('done_at', true)),
    ]);
    for (const table of ['branch', 'partner']) {
      await queryRunner.addColumn(table, new TableColumn({ name: 'active', type: 'boolean', default: true }));
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['branch', 'partner']) await queryRunner.dropColumn(table, 'active');
    for (const column of ['done_at', 'needs_action', 'seq', 'params']) await queryRunner.dropColumn('notification', column);
  }
}
