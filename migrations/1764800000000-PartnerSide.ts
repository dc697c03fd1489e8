import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { id, instant, int, json, text } from './support/columns';

/**
 * The partner side (SPEC §12): a `partner` user names the partner organisation it speaks for, and three
 * tables keep what the partner side did — its countersignature of the agreement (or the secretary's record
 * of a paper one), its confirmation of each activity, and its one evaluation of the partnership. Each may be
 * done once per partner, which the unique indexes hold even against two racing requests.
 * The user column is a plain ADD COLUMN, which SQLite does in place.
 */
export class PartnerSide1764800000000 implements MigrationInterface {
  name = 'PartnerSide1764800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE `user` ADD COLUMN `partner_id` int NULL');
    await queryRunner.createTable(
      new Table({
        name: 'agreement_countersignature',
        columns: [
          id(),
          int('pairing_id'),
          int('partner_id'),
          { name: 'paper', type: 'boolean' },
          json('attachment_ids'),
          text('comment', true),
          int('countersigned_by'),
          instant('countersigned_at'),
        ],
        indices: [new TableIndex({ name: 'uq_countersignature_partner', columnNames: ['pairing_id', 'partner_id'], isUnique: true })],
        foreignKeys: [
          {
            name: 'fk_countersignature_pairing',
            columnNames: ['pairing_id'],
            referencedTableName: 'pairing',
            referencedColumnNames: ['id'],
          },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'activity_confirmation',
        columns: [
          id(),
          int('pairing_id'),
          int('activity_id'),
          int('partner_id'),
          text('comment', true),
          int('confirmed_by'),
          instant('confirmed_at'),
        ],
        indices: [
          new TableIndex({ name: 'uq_confirmation_partner', columnNames: ['activity_id', 'partner_id'], isUnique: true }),
          new TableIndex({ name: 'ix_confirmation_pairing', columnNames: ['pairing_id'] }),
        ],
        foreignKeys: [
          {
            name: 'fk_confirmation_activity',
            columnNames: ['activity_id'],
            referencedTableName: 'activity',
            referencedColumnNames: ['id'],
          },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'partner_evaluation',
        columns: [id(), int('pairing_id'), int('partner_id'), int('rating'), text('comment'), int('evaluated_by'), instant('evaluated_at')],
        indices: [new TableIndex({ name: 'uq_evaluation_partner', columnNames: ['pairing_id', 'partner_id'], isUnique: true })],
        foreignKeys: [
          { name: 'fk_evaluation_pairing', columnNames: ['pairing_id'], referencedTableName: 'pairing', referencedColumnNames: ['id'] },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('partner_evaluation');
    await queryRunner.dropTable('activity_confirmation');
    await queryRunner.dropTable('agreement_countersignature');
    await queryRunner.query('ALTER TABLE `user` DROP COLUMN `partner_id`');
  }
}
