import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { json } from './support/columns';

/**
 * Outcome indicators: a plan declares them (name, unit, baseline, target, direction) and each quarter report
 * gives their values. Both are JSON beside the rows they belong to; rows from before stay null (none).
 */
export class OutcomeIndicators1764633140000 implements MigrationInterface {
  name = 'OutcomeIndicators1764633140000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('plan', new TableColumn(json('indicators', true)));
    await queryRunner.addColumn('quarter_report', new TableColumn(json('indicator_values', true)));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('quarter_report', 'indicator_values');
    await queryRunner.dropColumn('plan', 'indicators');
  }
}
