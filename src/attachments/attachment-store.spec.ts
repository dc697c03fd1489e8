import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { Request } from 'express';
import { loadConfig } from '../config/config';
import { AttachmentStore, IncomingFile } from './attachment-store';

describe(AttachmentStore.name, () => {
  let dir: string;
  let store: AttachmentStore;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gongjian-store-'));
    store = new AttachmentStore(loadConfig({ NODE_ENV: 'test', ATTACHMENTS_DIR: dir }));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const receive = (bytes: Buffer, originalname = 'a.pdf') =>
    new Promise<IncomingFile>((resolve, reject) => {
      const file = { stream: Readable.from([bytes.subarray(0, 3), bytes.subarray(3)]), originalname } as unknown as Express.Multer.File;
      store
        .engine()
        ._handleFile({} as Request, file, (error, info) => (error ? reject(error) : resolve({ ...info, originalname } as IncomingFile)));
    });

  it('hashes an upload while writing it to the incoming folder', async () => {
    const bytes = Buffer.from('%PDF-1.4 evidence');
    const file = await receive(bytes);
    expect(file.size).toBe(bytes.length);
    expect(file.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(file.path.startsWith(join(dir, '.incoming'))).toBe(true);
    expect(readFileSync(file.path)).toEqual(bytes);
  });

  it('keeps content under <sha[0..2]>/<sha> once, however often it is uploaded', async () => {
    const bytes = Buffer.from('same content');
    const first = await receive(bytes);
    const second = await receive(bytes);
    await store.keep(first);
    await store.keep(second);
    const target = store.pathOf(first.sha256);
    expect(target).toBe(join(dir, first.sha256.slice(0, 2), first.sha256));
    expect(readFileSync(target)).toEqual(bytes);
    expect(readdirSync(join(dir, first.sha256.slice(0, 2)))).toEqual([first.sha256]);
    expect(readdirSync(join(dir, '.incoming'))).toEqual([]);
    expect(await store.sizeOf(target)).toBe(bytes.length);
  });

  it('answers null for a missing file and refuses a path that is not a sha256', async () => {
    expect(await store.sizeOf(join(dir, 'nothing'))).toBeNull();
    expect(() => store.pathOf('../../etc/passwd')).toThrow(/sha256/);
  });
});
