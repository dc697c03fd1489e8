import { DataSource } from 'typeorm';

type Escape = (sql: string, parameters: Record<string, unknown>, nativeParameters: Record<string, unknown>) => [string, unknown[]];

/**
 * TypeORM's SQLite drivers write number parameters into the SQL text (`WHERE "id" = 37`, `"seq" = 12`), so
 * nearly every statement is new text: better-sqlite3 prepares it again (its 100-entry statement cache never
 * hits) and SQLite parses and plans it again — about 8% of the CPU of a transition in `npm run bench`.
 * This binds safe integers as parameters instead. They are bound as BigInt, which better-sqlite3 binds as
 * INTEGER: exactly what the literal was (a plain JS number would bind as REAL, and a TEXT column would then
 * compare against '7.0'). Other numbers (fractions, NaN, huge values) stay literals as before.
 */
export function bindIntegersAsParameters(dataSource: DataSource): void {
  if (dataSource.options.type !== 'better-sqlite3') return;
  const driver = dataSource.driver as unknown as { escapeQueryWithParameters: Escape };
  const escape = driver.escapeQueryWithParameters.bind(driver);
  driver.escapeQueryWithParameters = (sql, parameters, nativeParameters) => {
    if (!parameters) return escape(sql, parameters, nativeParameters);
    let bound: Record<string, unknown> | null = null;
    for (const key of Object.keys(parameters)) {
      const value = parameters[key];
      if (typeof value === 'number' && Number.isSafeInteger(value)) (bound ??= { ...parameters })[key] = BigInt(value);
    }
    return escape(sql, bound ?? parameters, nativeParameters);
  };
}
