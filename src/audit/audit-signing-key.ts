import { createPrivateKey, createPublicKey, generateKeyPairSync, KeyObject } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { AppConfig, ConfigError } from '../config/config';
import { APP_CONFIG } from '../config/config.module';

export const SIGNING_KEY_FILE = 'audit-signing-key.pem';

export interface SigningKeys {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** SPKI PEM, handed out with each checkpoint so anyone can check its signature. */
  publicKeyPem: string;
}

/** Parses an Ed25519 private key in PKCS#8 PEM; null when the text is anything else. */
export function parseSigningKey(pem: string): SigningKeys | null {
  let privateKey: KeyObject;
  try {
    // A PEM put into one environment variable line often arrives with literal "\n".
    privateKey = createPrivateKey({ key: pem.replace(/\\n/g, '\n'), format: 'pem' });
  } catch {
    return null;
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') return null;
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

/**
 * The server's checkpoint signing key: AUDIT_SIGNING_KEY when configured (checked at start), else a
 * key generated once and kept at <dataDir>/audit-signing-key.pem (mode 0600), loaded on first use.
 * Processes that do not share the data directory must share AUDIT_SIGNING_KEY instead.
 */
@Injectable()
export class AuditSigningKey implements OnModuleInit {
  private keys: Promise<SigningKeys> | null = null;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  onModuleInit(): void {
    if (this.config.auditSigningKey === null) return;
    const keys = parseSigningKey(this.config.auditSigningKey);
    if (!keys) throw new ConfigError('AUDIT_SIGNING_KEY must be an Ed25519 private key in PEM (PKCS#8) form.');
    this.keys = Promise.resolve(keys);
  }

  get(): Promise<SigningKeys> {
    if (!this.keys) {
      // A failed load is not remembered: the next request tries again.
      this.keys = this.loadOrCreate().catch((error: unknown) => {
        this.keys = null;
        throw error;
      });
    }
    return this.keys;
  }

  private async loadOrCreate(): Promise<SigningKeys> {
    const path = join(this.config.dataDir, SIGNING_KEY_FILE);
    let pem = await readIfExists(path);
    if (pem === null) {
      await mkdir(this.config.dataDir, { recursive: true });
      const fresh = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
      try {
        await writeFile(path, fresh, { mode: 0o600, flag: 'wx' });
        pem = fresh;
      } catch (error) {
        // Another process sharing the data directory wrote it first: use theirs.
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        pem = await readFile(path, 'utf8');
      }
    }
    const keys = parseSigningKey(pem);
    if (!keys) throw new Error(`${path} does not hold an Ed25519 private key in PEM (PKCS#8) form.`);
    return keys;
  }
}

async function readIfExists(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}
