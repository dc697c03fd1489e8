import { QueryRunner } from 'typeorm';

const MESSAGE = 'audit_event is append-only';

/**
 * Append-only triggers on audit_event. Re-create them in any migration that alters the table:
 * SQLite rebuilds a table on many ALTERs and silently drops its triggers.
 *
 * SQLite's `INSERT OR REPLACE` (and `REPLACE INTO`) deletes the row it collides with without firing
 * DELETE triggers (unless `recursive_triggers` is on for that connection), so a BEFORE INSERT trigger
 * refuses any insert that would meet an existing id or (chain, seq). MySQL fires DELETE triggers for
 * REPLACE and UPDATE triggers for ON DUPLICATE KEY UPDATE, so the two triggers already refuse both there.
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
  if (!mysql) {
    await queryRunner.query(
      `CREATE TRIGGER audit_event_no_replace BEFORE INSERT ON audit_event
       WHEN EXISTS (SELECT 1 FROM audit_event WHERE id = NEW.id) OR EXISTS (SELECT 1 FROM audit_event WHERE chain = NEW.chain AND seq = NEW.seq)
       BEGIN SELECT RAISE(ABORT, '${MESSAGE}'); END`,
    );
  }
}

export async function dropAuditTriggers(queryRunner: QueryRunner): Promise<void> {
  for (const op of ['update', 'delete', 'replace']) await queryRunner.query(`DROP TRIGGER IF EXISTS audit_event_no_${op}`);
}
