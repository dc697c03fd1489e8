import type { StoredAuditEvent } from './chain-verifier';

/** Excel reads a UTF-8 file as UTF-8 (and so shows Chinese) only when it starts with a byte order mark. */
export const UTF8_BOM = '\uFEFF';

export const AUDIT_CSV_COLUMNS = [
  'chain',
  'seq',
  'at',
  'actorId',
  'type',
  'fromState',
  'toState',
  'payload',
  'comment',
  'prevHash',
  'hash',
] as const;

/**
 * One RFC 4180 field: quoted when it holds a comma, quote, CR or LF, quotes doubled. Values are
 * written exactly as stored (payload as its canonical JSON), so every hash can be recomputed from the file.
 */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const csvLine = (fields: (string | number | null)[]) => `${fields.map(csvField).join(',')}\r\n`;

export const auditCsvHeader = () => UTF8_BOM + csvLine([...AUDIT_CSV_COLUMNS]);

export const auditCsvLine = (row: StoredAuditEvent) => csvLine(AUDIT_CSV_COLUMNS.map((column) => row[column]));
