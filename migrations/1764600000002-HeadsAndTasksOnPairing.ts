import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

const TASK_COLUMNS = [
  ['task_kind', 'varchar(32)'],
  ['task_waits_on', 'varchar(16)'],
  ['task_since', 'varchar(24)'],
  ['task_due_at', 'varchar(24)'],
  ['task_reminded_at', 'varchar(24)'],
  ['task_overdue_notified_at', 'varchar(24)'],
] as const;

/**
 * A transition writes the pairing row anyway, so what it must otherwise lock or write elsewhere moves onto
 * it: the head of the pairing's audit chain (its seq already is `version`; the hash joins it, so appending
 * needs no second locked row) and the task the pairing waits on now (at most one per pairing). Open tasks
 * and pairing chain heads are carried over; audit_chain_head keeps the other chains (system ones).
 */
export class HeadsAndTasksOnPairing1764600000002 implements MigrationInterface {
  name = 'HeadsAndTasksOnPairing1764600000002';

  async up(queryRunner: QueryRunner): Promise<void> {
    const mysql = queryRunner.connection.options.type === 'mysql';
    // Plain ADD COLUMN reads the same on both engines; the Table API would rebuild the table on SQLite.
    await queryRunner.query(`ALTER TABLE pairing ADD COLUMN chain_hash varchar(64) NOT NULL DEFAULT ''`);
    for (const [name, type] of TASK_COLUMNS) await queryRunner.query(`ALTER TABLE pairing ADD COLUMN ${name} ${type} NULL`);
    await queryRunner.createIndex('pairing', new TableIndex({ name: 'ix_pairing_task_due', columnNames: ['task_due_at'] }));

    const chainOf = mysql ? "CONCAT('pairing:', pairing.id)" : "('pairing:' || pairing.id)";
    await queryRunner.query(
      `UPDATE pairing SET chain_hash = COALESCE((SELECT h.hash FROM audit_chain_head h WHERE h.chain = ${chainOf}), '')`,
    );
    const open = (column: string) =>
      `(SELECT t.${column} FROM task t WHERE t.pairing_id = pairing.id AND t.closed_at IS NULL ORDER BY t.id DESC LIMIT 1)`;
    await queryRunner.query(
      `UPDATE pairing SET task_kind = ${open('kind')}, task_waits_on = ${open('waits_on')}, task_since = ${open('since')}, ` +
        `task_due_at = ${open('due_at')}, task_reminded_at = ${open('reminded_at')}, task_overdue_notified_at = ${open('overdue_notified_at')}`,
    );
    await queryRunner.dropTable('task');
    await queryRunner.query(`DELETE FROM audit_chain_head WHERE chain LIKE 'pairing:%'`);
  }

  async down(): Promise<void> {
    throw new Error('HeadsAndTasksOnPairing cannot be undone: restore the backup taken before the upgrade.');
  }
}
