import { auditCsvHeader, auditCsvLine, csvField, UTF8_BOM } from './audit-csv';

describe(csvField.name, () => {
  it('quotes only fields that need it, doubling quotes (RFC 4180)', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('中文')).toBe('中文');
    expect(csvField(7)).toBe('7');
    expect(csvField(null)).toBe('');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('line\r\nbreak')).toBe('"line\r\nbreak"');
  });
});

describe(auditCsvLine.name, () => {
  it('writes the columns in order, payload as its stored canonical JSON, CRLF-terminated, after a BOM-led header', () => {
    expect(auditCsvHeader()).toBe(`${UTF8_BOM}chain,seq,at,actorId,type,fromState,toState,payload,comment,prevHash,hash\r\n`);
    const line = auditCsvLine({
      chain: 'pairing:3',
      seq: 2,
      at: '2026-01-01T00:00:00.000Z',
      actorId: '5',
      type: 'RETURN',
      fromState: 'proposed',
      toState: 'returned',
      payload: '{"note":"a, \\"b\\""}',
      comment: '请补充',
      prevHash: '0'.repeat(64),
      hash: 'f'.repeat(64),
    });
    expect(line).toBe(
      `pairing:3,2,2026-01-01T00:00:00.000Z,5,RETURN,proposed,returned,"{""note"":""a, \\""b\\""""}",请补充,${'0'.repeat(64)},${'f'.repeat(64)}\r\n`,
    );
  });
});
