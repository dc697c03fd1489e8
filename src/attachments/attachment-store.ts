import { randomUUID, createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pipeline, Transform } from 'node:stream';
import { Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import type { StorageEngine } from 'multer';
import { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';

/** An upload as it lies in the incoming folder, hashed while it was written. */
export interface IncomingFile {
  path: string;
  size: number;
  sha256: string;
  originalname: string;
}

const SHA256 = /^[0-9a-f]{64}$/;

/**
 * Content-addressed storage under ATTACHMENTS_DIR: `<sha256[0..2]>/<sha256>`. Uploads stream into
 * `.incoming/` (same file system, so the final rename is atomic) and are hashed on the way; the same
 * content uploaded twice is kept once. A stored file is never changed or deleted.
 */
@Injectable()
export class AttachmentStore {
  private readonly root: string;
  private readonly incoming: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.root = resolve(config.attachmentsDir);
    this.incoming = join(this.root, '.incoming');
  }

  /** A multer storage engine writing to the incoming folder. */
  engine(): StorageEngine {
    return {
      _handleFile: (_req: Request, file, callback) => {
        const path = join(this.incoming, randomUUID());
        const hash = createHash('sha256');
        let size = 0;
        const tap = new Transform({
          transform(chunk: Buffer, _encoding, done) {
            hash.update(chunk);
            size += chunk.length;
            done(null, chunk);
          },
        });
        mkdir(this.incoming, { recursive: true }).then(
          () =>
            pipeline(file.stream, tap, createWriteStream(path, { flags: 'wx' }), (error) => {
              if (error) return void rm(path, { force: true }).finally(() => callback(error));
              callback(null, { path, size, sha256: hash.digest('hex') } as Partial<Express.Multer.File>);
            }),
          callback,
        );
      },
      _removeFile: (_req: Request, file, callback) => {
        rm(file.path, { force: true }).then(() => callback(null), callback);
      },
    };
  }

  pathOf(sha256: string): string {
    if (!SHA256.test(sha256)) throw new Error(`Not a sha256: ${sha256}`);
    return join(this.root, sha256.slice(0, 2), sha256);
  }

  /** Moves an upload to its content address; when that content is already stored the upload is dropped. */
  async keep(file: IncomingFile): Promise<void> {
    const target = this.pathOf(file.sha256);
    if ((await this.sizeOf(target)) !== null) {
      await this.discard(file.path);
      return;
    }
    await mkdir(join(this.root, file.sha256.slice(0, 2)), { recursive: true });
    // Two uploads of the same content racing here both rename a complete, identical file: either wins.
    await rename(file.path, target);
  }

  discard(path: string): Promise<void> {
    return rm(path, { force: true });
  }

  /** Size of a stored file, or null when it is missing. */
  async sizeOf(path: string): Promise<number | null> {
    try {
      const info = await stat(path);
      return info.isFile() ? info.size : null;
    } catch {
      return null;
    }
  }

  open(sha256: string) {
    return createReadStream(this.pathOf(sha256));
  }
}
