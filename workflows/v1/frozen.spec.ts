import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Version 1 of the lifecycle is frozen: pairings started under it are judged by exactly this code for the
 * rest of their year (SPEC §5: a new machine version never breaks pairings already running). These are
 * the files that decide how a v1 pairing behaves. A change of the lifecycle goes into a new version
 * (workflows/v2/ …) registered beside v1 in PAIRING_WORKFLOWS. If you changed one of these files without
 * changing any behaviour (a comment, formatting), check that with the machine's specs and update the digest.
 */
const FROZEN: Record<string, string> = {
  'v1/machine.ts': '87851d063a4cd78815da37f27b9247fa0cea98320f2dfb359b1a3f29a45a5b68',
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

describe('workflow version 1', () => {
  it.each(Object.keys(FROZEN))('is frozen: %s', (file) => {
    expect({ file, sha256: digest(file) }).toEqual({ file, sha256: FROZEN[file] });
  });
});
