import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { date, id, instant, int, json, str, text } from './support/columns';

/** A submission (quarter report, year-end review): sent by the secretary, decided by the committee. */
const submissionColumns = () => [
  str('status', 16),
  { name: 'score', type: 'double', isNullable: true },
  text('decision_comment', true),
  int('submitted_by'),
  instant('submitted_at'),
  int('decided_by', true),
  instant('decided_at', true),
];

const fk = (name: string, column: string, table: string) => ({
  name,
  columnNames: [column],
  referencedTableName: table,
  referencedColumnNames: ['id'],
});

export class CreatePairings1764150000000 implements MigrationInterface {
  name = 'CreatePairings1764150000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'pairing',
        columns: [
          id(),
          str('code', 32),
          int('year'),
          str('title', 200),
          text('theme'),
          text('problem'),
          text('goals', true),
          str('mode', 16),
          int('lead_branch_id'),
          json('co_branch_ids'),
          json('partner_ids'),
          json('categories'),
          int('liaison_user_id', true),
          json('partner_liaisons'),
          str('state', 40),
          int('quarter', true),
          json('quarter_scores'),
          { name: 'review_score', type: 'double', isNullable: true },
          { name: 'final_score', type: 'double', isNullable: true },
          text('snapshot'),
          int('workflow_version'),
          int('version'),
          int('created_by'),
          instant('created_at'),
          instant('updated_at'),
        ],
        indices: [
          new TableIndex({ name: 'uq_pairing_code', columnNames: ['code'], isUnique: true }),
          new TableIndex({ name: 'ix_pairing_state', columnNames: ['state'] }),
          new TableIndex({ name: 'ix_pairing_year_state', columnNames: ['year', 'state'] }),
          new TableIndex({ name: 'ix_pairing_lead_branch', columnNames: ['lead_branch_id'] }),
        ],
        foreignKeys: [fk('fk_pairing_lead_branch', 'lead_branch_id', 'branch'), fk('fk_pairing_created_by', 'created_by', 'user')],
      }),
    );
    // Lead and co-branches, so "my branch's pairings" is an indexed lookup.
    await queryRunner.createTable(
      new Table({
        name: 'pairing_branch',
        columns: [{ ...int('pairing_id'), isPrimary: true }, { ...int('branch_id'), isPrimary: true }, str('role', 8)],
        indices: [new TableIndex({ name: 'ix_pairing_branch_branch', columnNames: ['branch_id', 'pairing_id'] })],
        foreignKeys: [fk('fk_pairing_branch_pairing', 'pairing_id', 'pairing'), fk('fk_pairing_branch_branch', 'branch_id', 'branch')],
      }),
    );
    await queryRunner.createTable(new Table({ name: 'pairing_code_counter', columns: [{ ...int('year'), isPrimary: true }, int('last')] }));
    await queryRunner.createTable(
      new Table({
        name: 'agreement',
        columns: [
          id(),
          int('pairing_id'),
          date('signed_on'),
          date('valid_from'),
          date('valid_to'),
          text('goals'),
          text('content'),
          text('requirements'),
          json('attachment_ids'),
          int('created_by'),
          instant('created_at'),
        ],
        indices: [new TableIndex({ name: 'ix_agreement_pairing', columnNames: ['pairing_id'] })],
        foreignKeys: [fk('fk_agreement_pairing', 'pairing_id', 'pairing')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'plan',
        columns: [
          id(),
          int('pairing_id'),
          int('start_quarter'),
          json('items'),
          str('status', 16),
          int('created_by'),
          instant('created_at'),
        ],
        indices: [new TableIndex({ name: 'ix_plan_pairing', columnNames: ['pairing_id'] })],
        foreignKeys: [fk('fk_plan_pairing', 'pairing_id', 'pairing')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'activity',
        columns: [
          id(),
          int('pairing_id'),
          int('quarter'),
          str('kind', 32),
          date('held_on'),
          str('title', 200),
          str('location', 200, true),
          int('participants'),
          int('partner_participants'),
          text('summary'),
          json('attachment_ids'),
          { name: 'voided', type: 'boolean', default: false },
          text('void_comment', true),
          int('voided_by', true),
          instant('voided_at', true),
          int('recorded_by'),
          instant('created_at'),
        ],
        indices: [new TableIndex({ name: 'ix_activity_pairing_quarter', columnNames: ['pairing_id', 'quarter'] })],
        foreignKeys: [fk('fk_activity_pairing', 'pairing_id', 'pairing')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'quarter_report',
        columns: [
          id(),
          int('pairing_id'),
          int('quarter'),
          text('summary'),
          text('plan_progress', true),
          text('shortfall_reason', true),
          { name: 'requirements_met', type: 'boolean' },
          ...submissionColumns(),
        ],
        indices: [new TableIndex({ name: 'ix_quarter_report_pairing', columnNames: ['pairing_id', 'quarter'] })],
        foreignKeys: [fk('fk_quarter_report_pairing', 'pairing_id', 'pairing')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'year_end_review',
        columns: [
          id(),
          int('pairing_id'),
          text('summary'),
          { name: 'problem_solved', type: 'boolean' },
          text('problem_resolution'),
          json('outcomes'),
          ...submissionColumns(),
        ],
        indices: [new TableIndex({ name: 'ix_review_pairing', columnNames: ['pairing_id'] })],
        foreignKeys: [fk('fk_review_pairing', 'pairing_id', 'pairing')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'task',
        columns: [
          id(),
          int('pairing_id'),
          str('kind', 32),
          str('state', 40),
          str('waits_on', 16),
          int('quarter', true),
          instant('since'),
          instant('due_at', true),
          instant('reminded_at', true),
          instant('overdue_notified_at', true),
          instant('closed_at', true),
        ],
        indices: [
          new TableIndex({ name: 'ix_task_open', columnNames: ['closed_at', 'waits_on', 'due_at'] }),
          new TableIndex({ name: 'ix_task_pairing', columnNames: ['pairing_id', 'closed_at'] }),
        ],
        foreignKeys: [fk('fk_task_pairing', 'pairing_id', 'pairing')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'outbox',
        columns: [
          id(),
          str('queue', 32),
          str('kind', 40),
          json('payload'),
          instant('created_at'),
          instant('available_at'),
          int('attempts'),
          instant('claimed_until', true),
          instant('dispatched_at', true),
          text('last_error', true),
        ],
        indices: [new TableIndex({ name: 'ix_outbox_pending', columnNames: ['dispatched_at', 'available_at'] })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'notification',
        columns: [
          id(),
          int('user_id'),
          int('pairing_id', true),
          str('kind', 40),
          str('title', 200),
          text('body'),
          str('dedupe_key', 191),
          instant('created_at'),
          instant('read_at', true),
        ],
        indices: [
          new TableIndex({ name: 'uq_notification_dedupe', columnNames: ['dedupe_key'], isUnique: true }),
          new TableIndex({ name: 'ix_notification_user', columnNames: ['user_id', 'id'] }),
        ],
        foreignKeys: [fk('fk_notification_user', 'user_id', 'user')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'idempotency_key',
        columns: [
          id(),
          int('user_id'),
          str('key', 128),
          str('request_hash', 64),
          str('status', 16),
          int('response_status', true),
          text('response_body', true),
          instant('created_at'),
        ],
        indices: [new TableIndex({ name: 'uq_idempotency_user_key', columnNames: ['user_id', 'key'], isUnique: true })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'attachment',
        columns: [
          id(),
          str('sha256', 64),
          str('filename', 255),
          str('mime', 100),
          int('size'),
          int('uploaded_by'),
          int('pairing_id', true),
          instant('created_at'),
        ],
        indices: [new TableIndex({ name: 'ix_attachment_pairing', columnNames: ['pairing_id'] })],
        foreignKeys: [fk('fk_attachment_uploaded_by', 'uploaded_by', 'user')],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'attachment',
      'idempotency_key',
      'notification',
      'outbox',
      'task',
      'year_end_review',
      'quarter_report',
      'activity',
      'plan',
      'agreement',
      'pairing_code_counter',
      'pairing_branch',
      'pairing',
    ]) {
      await queryRunner.dropTable(table);
    }
  }
}
