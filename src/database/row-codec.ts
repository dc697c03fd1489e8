import type { DataSource, EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { select, write, writeLater } from './sql';

interface ColumnCodec {
  property: string;
  column: string;
  kind: 'json' | 'boolean' | 'number' | 'plain';
  generated: boolean;
  select: boolean;
}

const NUMERIC = new Set(['int', 'integer', 'double', 'float', 'real', 'decimal', 'bigint', 'smallint']);

/**
 * Plain SQL for one entity's table on the hot path, with no query building and no hydration: statements are
 * written once (so SQLite prepares each once and MySQL sees the same text), rows are read with the entity's
 * own column metadata (JSON columns parsed, booleans and numbers as JavaScript has them on both engines).
 * Identifiers are quoted with backticks, which MySQL and SQLite both accept.
 */
export class RowCodec<E extends ObjectLiteral> {
  readonly table: string;
  /** `col` AS `property`, … for SELECT lists (columns marked `select: false`, e.g. a password hash, left out). */
  readonly selectList: string;
  private readonly columns: ColumnCodec[];
  private readonly selected: ColumnCodec[];
  private readonly byProperty: Map<string, ColumnCodec>;
  private readonly insertSql = new Map<string, string>();

  constructor(dataSource: DataSource, entity: EntityTarget<E>) {
    const metadata = dataSource.getMetadata(entity);
    this.table = `\`${metadata.tableName}\``;
    this.columns = metadata.columns.map((c) => {
      const type = String(c.type);
      const kind = type === 'simple-json' ? 'json' : type === 'boolean' ? 'boolean' : NUMERIC.has(type) ? 'number' : 'plain';
      return { property: c.propertyName, column: c.databaseName, kind, generated: c.isGenerated, select: c.isSelect };
    });
    this.byProperty = new Map(this.columns.map((c) => [c.property, c]));
    this.selected = this.columns.filter((c) => c.select);
    this.selectList = this.selected.map((c) => `\`${c.column}\` AS \`${c.property}\``).join(', ');
  }

  /** A row read with `selectList` as the entity's plain object. */
  read(raw: Record<string, unknown>): E {
    const row: Record<string, unknown> = {};
    for (const c of this.selected) {
      const value = raw[c.property];
      if (value === null || value === undefined) row[c.property] = value ?? null;
      else if (c.kind === 'json') row[c.property] = typeof value === 'string' ? JSON.parse(value) : value;
      else if (c.kind === 'boolean') row[c.property] = Boolean(Number(value));
      else if (c.kind === 'number') row[c.property] = Number(value);
      else row[c.property] = value;
    }
    return row as E;
  }

  async findOne(m: EntityManager, where: string, params: unknown[], suffix = ''): Promise<E | null> {
    const rows = await select(m, `SELECT ${this.selectList} FROM ${this.table} WHERE ${where}${suffix}`, params);
    return rows.length ? this.read(rows[0]) : null;
  }

  async findMany(m: EntityManager, where: string, params: unknown[], orderBy: string): Promise<E[]> {
    const rows = await select(m, `SELECT ${this.selectList} FROM ${this.table} WHERE ${where} ORDER BY ${orderBy}`, params);
    return rows.map((raw) => this.read(raw));
  }

  /** Inserts the row (its generated id left out) and returns the new id. */
  async insert(m: EntityManager, values: Partial<E>): Promise<number> {
    const properties = Object.keys(values).filter((p) => !this.codec(p).generated);
    const key = properties.join(',');
    let sql = this.insertSql.get(key);
    if (!sql) {
      const columns = properties.map((p) => `\`${this.codec(p).column}\``).join(', ');
      sql = `INSERT INTO ${this.table} (${columns}) VALUES (${properties.map(() => '?').join(', ')})`;
      this.insertSql.set(key, sql);
    }
    const result = await write(
      m,
      sql,
      properties.map((p) => this.write(p, values[p])),
    );
    return insertedId(result.raw);
  }

  /**
   * UPDATE … SET the given properties WHERE `where`, sent with the transaction's next statement (`writeLater`):
   * nothing on the hot path waits for an update's answer. `changed`, if given, judges the number of rows it
   * changed then, and what it throws rolls the transaction back.
   */
  async update(m: EntityManager, changes: Partial<E>, where: string, params: unknown[], changed?: (rows: number) => void): Promise<void> {
    const properties = Object.keys(changes);
    if (!properties.length) return changed?.(0);
    const set = properties.map((p) => `\`${this.codec(p).column}\` = ?`).join(', ');
    await writeLater(
      m,
      `UPDATE ${this.table} SET ${set} WHERE ${where}`,
      [...properties.map((p) => this.write(p, changes[p])), ...params],
      changed && ((result) => changed(result.affected ?? 0)),
    );
  }

  private codec(property: string): ColumnCodec {
    const found = this.byProperty.get(property);
    if (!found) throw new Error(`${this.table} has no column for ${property}`);
    return found;
  }

  private write(property: string, value: unknown): unknown {
    if (value === undefined || value === null) return null;
    const { kind } = this.codec(property);
    if (kind === 'json') return JSON.stringify(value);
    if (kind === 'boolean') return value ? 1 : 0;
    return value;
  }
}

/** mysql2 answers an INSERT with a result header; better-sqlite3 with the last row id. */
function insertedId(result: unknown): number {
  if (typeof result === 'number' || typeof result === 'bigint') return Number(result);
  const header = result as { insertId?: number | string } | undefined;
  if (header?.insertId !== undefined) return Number(header.insertId);
  throw new Error('The database did not say which id it gave the new row');
}
