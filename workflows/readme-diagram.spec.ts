import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pairingMermaid } from './mermaid';
import { PAIRING_MACHINES } from './pairing.machine';

describe('README lifecycle diagrams', () => {
  it.each(Object.keys(PAIRING_MACHINES).map(Number))('show version %i as generated from its machine', (version) => {
    const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
    expect(readme).toContain(['```mermaid', pairingMermaid(PAIRING_MACHINES[version]), '```'].join('\n'));
  });
});
