import { createHash } from 'node:crypto';
import { auditHash, canonicalJson, GENESIS_HASH } from './canonical-json';

describe(canonicalJson.name, () => {
  it('sorts keys at every level and writes no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: '中文' } })).toBe('{"a":{"c":"中文","d":[3,{"y":2,"z":1}]},"b":1}');
  });

  it('drops undefined object members and writes undefined array items as null, like JSON.stringify', () => {
    expect(canonicalJson({ a: undefined, b: [undefined, 1] })).toBe('{"b":[null,1]}');
    expect(canonicalJson({ a: undefined, b: [undefined, 1] })).toBe(JSON.stringify({ b: [null, 1] }));
  });

  it('writes numbers, booleans and null as JSON.stringify does', () => {
    expect(canonicalJson([1.5, 85, true, null, 'x"y'])).toBe('[1.5,85,true,null,"x\\"y"]');
  });
});

describe(auditHash.name, () => {
  const fields = {
    chain: 'system',
    seq: 1,
    at: '2026-01-01T00:00:00.000Z',
    actorId: '1',
    type: 'LOGIN',
    fromState: null,
    toState: null,
    payload: { username: 'admin' },
    comment: null,
    prevHash: GENESIS_HASH,
  };

  it('is the sha256 of the canonical JSON of the hashed fields', () => {
    const expected = createHash('sha256')
      .update(
        '{"actorId":"1","at":"2026-01-01T00:00:00.000Z","chain":"system","comment":null,"fromState":null,' +
          `"payload":{"username":"admin"},"prevHash":"${GENESIS_HASH}","seq":1,"toState":null,"type":"LOGIN"}`,
      )
      .digest('hex');
    expect(auditHash(fields)).toBe(expected);
  });

  it('changes when any field changes', () => {
    expect(auditHash({ ...fields, seq: 2 })).not.toBe(auditHash(fields));
    expect(auditHash({ ...fields, payload: { username: 'admin2' } })).not.toBe(auditHash(fields));
  });
});
