import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import { describePayload, EVENT_LABELS, labelOf, type NameLookup, payloadText, STATE_LABELS, SYSTEM_EVENT_LABELS } from '../../workflows';
import { pairingIdOfChain, type PairingSubject } from './audit-subjects';
import type { StoredAuditEvent } from './chain-verifier';
import { localTime } from '../../workflows';

/** Who and what a batch of events is about: pairings by id, actors by id, and the names behind payload ids. */
export interface EventSubjects {
  pairings: Map<number, PairingSubject>;
  actors: Map<string, { displayName: string; username: string }>;
  names: NameLookup;
}

/** The columns of the audit CSV for people, in order: what each holds is in the README. */
export const PEOPLE_CSV_COLUMNS = [
  '项目编号',
  '项目名称',
  '序号',
  '时间',
  '操作人',
  '用户名',
  '事件',
  '事件代码',
  '原状态',
  '新状态',
  '意见',
  '内容',
  '链',
  '哈希',
] as const;
export type PeopleCsvRecord = Record<(typeof PEOPLE_CSV_COLUMNS)[number], string | number>;

/** One event as people read it: names for ids, labels for codes, the local time with its zone. */
export function peopleCsvRecord(row: StoredAuditEvent, subjects: EventSubjects, timeZone: string): PeopleCsvRecord {
  const pairingId = pairingIdOfChain(row.chain);
  const pairing = pairingId === null ? undefined : subjects.pairings.get(pairingId);
  const actor = row.actorId === null ? undefined : subjects.actors.get(row.actorId);
  let content = row.payload ?? '';
  if (row.payload !== null) {
    try {
      content = payloadText(describePayload(JSON.parse(row.payload), subjects.names, 'zh', { instant: (iso) => localTime(iso, timeZone) }));
    } catch {
      // A payload that no longer parses is shown as stored.
    }
  }
  const isPairing = pairingId !== null;
  return {
    项目编号: pairing?.code ?? (isPairing ? `#${pairingId}` : '系统'),
    项目名称: pairing?.title ?? '',
    序号: row.seq,
    时间: localTime(row.at, timeZone),
    操作人: row.actorId === null ? '系统' : (actor?.displayName ?? `#${row.actorId}`),
    用户名: actor?.username ?? '',
    事件: labelOf(isPairing ? EVENT_LABELS : SYSTEM_EVENT_LABELS, row.type),
    事件代码: row.type,
    原状态: row.fromState === null ? '' : labelOf(STATE_LABELS, row.fromState),
    新状态: row.toState === null ? '' : labelOf(STATE_LABELS, row.toState),
    意见: row.comment ?? '',
    内容: content,
    链: row.chain,
    哈希: row.hash,
  };
}

/**
 * Records as CSV for Excel: UTF-8 with a byte order mark (else Excel guesses the encoding and garbles the
 * Chinese), CRLF line ends, RFC 4180 quoting, and every cell that starts with =, +, -, @, a tab or a CR
 * prefixed with ' so that a spreadsheet shows it as text instead of running it as a formula.
 */
export function peopleCsv(records: Readable): Readable {
  const csv = stringify({
    bom: true,
    header: true,
    columns: [...PEOPLE_CSV_COLUMNS],
    record_delimiter: 'windows',
    escape_formulas: true,
    // A bare LF inside a cell would end the row for Excel: quote it like CR and the delimiter.
    quoted_match: /[\r\n]/,
    cast: { number: (value) => String(value) },
  });
  records.on('error', (error) => csv.destroy(error));
  return records.pipe(csv);
}
