import { Column, ColumnOptions } from 'typeorm';

/** Instants are stored as ISO 8601 UTC strings with milliseconds: exact, sortable and identical on both engines. */
export const InstantColumn = (options: ColumnOptions = {}) => Column({ type: 'varchar', length: 24, ...options });

/** Date-only values (YYYY-MM-DD in APP_TIMEZONE). */
export const DateColumn = (options: ColumnOptions = {}) => Column({ type: 'varchar', length: 10, ...options });

/** DOUBLE columns come back as strings from mysql2 and as numbers from SQLite; the API wants numbers. */
export const numberTransformer = {
  to: (value: number | null) => value,
  from: (value: unknown) => (value === null || value === undefined ? null : Number(value)),
};
