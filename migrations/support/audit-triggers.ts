import { QueryRunner } from 'typeorm';

const MESSAGE = 'audit_event is append-only';

/**
 * Append-only triggers on audit_event. Re-create them in any migration that alters the table:
 * SQLite rebuilds a table on many ALTERs and silently drops its triggers.
 */
export async function createAuditTriggers(queryRunner: QueryRunner): Promise<void> {
  const mysql = queryRunner.connection.options.type === 'mysql';
  for (const op of ['UPDATE', 'DELETE']) {
    const name = `audit_event_no_${op.toLowerCase()}`;
    await queryRunner.query(
      mysql
        ? `CREATE TRIGGER ${name} BEFORE ${op} ON audit_event FOR EACH ROW BEGIN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = '${MESSAGE}'; END`
        : `CREATE TRIGGER ${name} BEFORE ${op} ON audit_event BEGIN SELECT RAISE(ABORT, '${MESSAGE}'); END`,
    );
  }
}

export async function dropAuditTriggers(queryRunner: QueryRunner): Promise<void> {
  for (const op of ['update', 'delete']) await queryRunner.query(`DROP TRIGGER IF EXISTS audit_event_no_${op}`);
}
