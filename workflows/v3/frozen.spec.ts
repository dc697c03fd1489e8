import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Version 3 of the lifecycle is released (new pairings start on it), so it is frozen like versions 1 and 2: these
 * are the files that decide how a v3 pairing behaves — its own and the parts of v2, v1 and the shared rules it
 * builds on. A change of the lifecycle goes into a new version (workflows/v4/ …) registered beside it in
 * PAIRING_WORKFLOWS. If you changed one of these files without changing any behaviour (a comment,
 * formatting), check that with the machine's specs and update the digest.
 */
const FROZEN: Record<string, string> = {
  'v3/machine.ts': '45a31349b853a5bac0664aaed80f9c2bbc102e39db17e50e24244eb44b04ff37',
  'v3/rules.ts': '09e9e095edb96460bc9cb42b211c0e1fb59ad6546687951ec77eaecde2b62b0d',
  'v3/index.ts': '258f0eb79a156df2956d8cd4c64ed106290a8c81e97399376bb422ebd6532818',
  'v2/machine.ts': '614c3ff88d0e2b0419ff04c32859622ebb8d52b9c89c375639487f57687560ec',
  'v2/rules.ts': '61a100d00c86553c653a00de740d6e4131bf2e2359f773e3dc6c5a0bd23bbb22',
  'v2/actors.ts': '703a5fc6d7eee80eb19a71780b658fc30eac6c4c18e73272b5ea1187511821fc',
  'v1/rules.ts': '9c9323be3b17807bff844f0bf6088a028ddbcd518997283fbda0308f6090749f',
  'v1/actors.ts': '46816de357b2543be90b94d483b1cc7bb543c8f39efab65b696977a36b22ccd3',
  'rules.ts': '215373f7931761934c49517ff14e5397187ba170bb121681aacc6bf1ae2d13b3',
  'quarters.ts': '85aa6d45800b908e792713bfba060f9876820a302d9bf5f047dea2ba8d438929',
  'calendar.ts': '846b7f422eed6cb18f9dc5164a758a1b21d12f72a58d425b9f773906f076a18b',
  'scoring.ts': '3a0c5d3a09ed14f56f8ad7c9a4c37e1d46e528845008048e31fd742786d4b257',
};

const digest = (file: string) =>
  createHash('sha256')
    .update(readFileSync(join(__dirname, '..', file)))
    .digest('hex');

describe('workflow version 3', () => {
  it.each(Object.keys(FROZEN))('is frozen: %s', (file) => {
    expect({ file, sha256: digest(file) }).toEqual({ file, sha256: FROZEN[file] });
  });
});
