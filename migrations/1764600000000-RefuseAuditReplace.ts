import { MigrationInterface, QueryRunner } from 'typeorm';
import { createAuditTriggers, dropAuditTriggers } from './support/audit-triggers';

/** Re-creates the append-only triggers, which now also refuse SQLite's INSERT OR REPLACE on audit_event. */
export class RefuseAuditReplace1764600000000 implements MigrationInterface {
  name = 'RefuseAuditReplace1764600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await dropAuditTriggers(queryRunner);
    await createAuditTriggers(queryRunner);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TRIGGER IF EXISTS audit_event_no_replace');
  }
}
