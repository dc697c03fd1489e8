import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pairingMermaid } from './mermaid';

describe('README lifecycle diagram', () => {
  it('is the diagram generated from the machine', () => {
    const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
    expect(readme).toContain(['```mermaid', pairingMermaid(), '```'].join('\n'));
  });
});
