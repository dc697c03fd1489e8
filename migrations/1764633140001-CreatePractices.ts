import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { id, instant, int, str, text } from './support/columns';

/**
 * 好做法: good practices the committee publishes from scored pairings, and the evidence photos each shows.
 * `live` is 1 while a practice is published and null once withdrawn, so a unique (pairing_id, live) index
 * allows one published practice per pairing and any number of withdrawn ones (NULLs never collide).
 */
export class CreatePractices1764633140001 implements MigrationInterface {
  name = 'CreatePractices1764633140001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'practice',
        columns: [
          id(),
          int('pairing_id'),
          str('title', 200),
          text('summary'),
          str('status', 16),
          int('live', true),
          int('published_by'),
          instant('published_at'),
          int('withdrawn_by', true),
          instant('withdrawn_at', true),
          text('withdraw_comment', true),
        ],
        indices: [new TableIndex({ name: 'uq_practice_pairing_live', columnNames: ['pairing_id', 'live'], isUnique: true })],
        foreignKeys: [
          { name: 'fk_practice_pairing', columnNames: ['pairing_id'], referencedTableName: 'pairing', referencedColumnNames: ['id'] },
          { name: 'fk_practice_published_by', columnNames: ['published_by'], referencedTableName: 'user', referencedColumnNames: ['id'] },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'practice_photo',
        columns: [{ ...int('practice_id'), isPrimary: true }, { ...int('attachment_id'), isPrimary: true }, int('position')],
        indices: [new TableIndex({ name: 'ix_practice_photo_attachment', columnNames: ['attachment_id'] })],
        foreignKeys: [
          {
            name: 'fk_practice_photo_practice',
            columnNames: ['practice_id'],
            referencedTableName: 'practice',
            referencedColumnNames: ['id'],
          },
          {
            name: 'fk_practice_photo_attachment',
            columnNames: ['attachment_id'],
            referencedTableName: 'attachment',
            referencedColumnNames: ['id'],
          },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('practice_photo');
    await queryRunner.dropTable('practice');
  }
}
