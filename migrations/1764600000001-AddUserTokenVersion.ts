import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each user's token version: sign-in tokens carry it, and a change of password, activity, roles or branch
 * bumps it, so tokens issued before stop working. A plain ADD COLUMN (both engines accept the backticks),
 * which SQLite does in place without rebuilding the table.
 */
export class AddUserTokenVersion1764600000001 implements MigrationInterface {
  name = 'AddUserTokenVersion1764600000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE `user` ADD COLUMN `token_version` int NOT NULL DEFAULT 0');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE `user` DROP COLUMN `token_version`');
  }
}
