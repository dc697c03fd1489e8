import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../config/config';
import { AuditSigningKey, parseSigningKey, SIGNING_KEY_FILE } from './audit-signing-key';

describe(AuditSigningKey.name, () => {
  let dataDir: string;
  beforeEach(() => (dataDir = join(mkdtempSync(join(tmpdir(), 'gongjian-key-')), 'nested')));
  afterEach(() => rmSync(join(dataDir, '..'), { recursive: true, force: true }));

  const signingKey = (env: Record<string, string> = {}) => {
    const key = new AuditSigningKey(loadConfig({ DATA_DIR: dataDir, ...env }));
    key.onModuleInit();
    return key;
  };

  it('generates a key once, keeps it as PEM with mode 0600, and loads the same key afterwards', async () => {
    const [first, again] = await Promise.all([signingKey().get(), signingKey().get()]);
    const path = join(dataDir, SIGNING_KEY_FILE);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(path, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(again.publicKeyPem).toBe(first.publicKeyPem);
    expect((await signingKey().get()).publicKeyPem).toBe(first.publicKeyPem);
    expect(first.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----/);
  });

  it('uses AUDIT_SIGNING_KEY when set, also with its newlines written as \\n, and writes no file', async () => {
    const pem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const expected = parseSigningKey(pem)!.publicKeyPem;
    expect((await signingKey({ AUDIT_SIGNING_KEY: pem }).get()).publicKeyPem).toBe(expected);
    expect((await signingKey({ AUDIT_SIGNING_KEY: pem.replace(/\n/g, '\\n') }).get()).publicKeyPem).toBe(expected);
    expect(() => statSync(join(dataDir, SIGNING_KEY_FILE))).toThrow();
  });

  it('stops the start on an AUDIT_SIGNING_KEY that is not an Ed25519 private key, naming the variable', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    for (const bad of ['not a key', rsa]) {
      expect(() => signingKey({ AUDIT_SIGNING_KEY: bad })).toThrow(ConfigError);
      expect(() => signingKey({ AUDIT_SIGNING_KEY: bad })).toThrow(/AUDIT_SIGNING_KEY/);
    }
  });

  it('refuses a key file that does not hold a key, and tries again on the next call', async () => {
    const key = signingKey();
    await key.get();
    writeFileSync(join(dataDir, SIGNING_KEY_FILE), 'garbage');
    const fresh = signingKey();
    await expect(fresh.get()).rejects.toThrow(/does not hold an Ed25519 private key/);
    rmSync(join(dataDir, SIGNING_KEY_FILE));
    await expect(fresh.get()).resolves.toMatchObject({ publicKeyPem: expect.stringMatching(/PUBLIC KEY/) });
  });
});
