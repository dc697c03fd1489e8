import { TableColumnOptions } from 'typeorm';

/** Column shapes shared by the migrations; the Table API turns them into SQL for SQLite and MySQL alike. */
export const id = (): TableColumnOptions => ({
  name: 'id',
  type: 'integer',
  isPrimary: true,
  isGenerated: true,
  generationStrategy: 'increment',
});
export const str = (name: string, length: number, nullable = false): TableColumnOptions => ({
  name,
  type: 'varchar',
  length: String(length),
  isNullable: nullable,
});
export const instant = (name: string, nullable = false): TableColumnOptions => str(name, 24, nullable);
export const date = (name: string, nullable = false): TableColumnOptions => str(name, 10, nullable);
export const json = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'text', isNullable: nullable });
export const int = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'int', isNullable: nullable });
export const text = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'text', isNullable: nullable });
