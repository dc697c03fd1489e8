import { createReadStream, createWriteStream, type ReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Body, Controller, createParamDecorator, ExecutionContext, Get, HttpCode, Post, Query, Req, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { DomainError, ValidationFailedError } from '../common/errors';
import { ReadsOwnBody } from '../common/json-body';
import { Roles } from '../identity/roles.decorator';
import { AuditEventsQueryDto, ExportQueryDto, VerifyCheckpointDto, VerifyQueryDto } from './audit.dto';
import { AuditReader, auditReaderOf, AuditTrailService } from './audit-trail.service';
import { CheckpointSource, parsedCheckpoint, streamedCheckpoint } from './checkpoint-reader';

/** A checkpoint of a million chains is about 90 MB; refuse what no checkpoint of this server can be. */
export const MAX_CHECKPOINT_BYTES = 512 * 1024 * 1024;

/**
 * The request body written to a temporary file first (refused with 413 once it passes `max` bytes), then
 * read from there: checking a million heads takes longer than receiving them, and a request that is not
 * received within the server's (or a proxy's) request timeout would be cut off half way.
 */
async function spooled(req: Request, max: number): Promise<{ file: ReadStream; done: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'gongjian-checkpoint-'));
  const path = join(dir, 'checkpoint.json');
  const done = () => rm(dir, { recursive: true, force: true });
  let bytes = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, next) {
      bytes += chunk.length;
      if (bytes > max) next(new DomainError(413, 'PAYLOAD_TOO_LARGE', `A checkpoint file is at most ${max / 1024 / 1024} MB.`));
      else next(null, chunk);
    },
  });
  try {
    await pipeline(req, counter, createWriteStream(path));
  } catch (error) {
    await done();
    throw error;
  }
  return { file: createReadStream(path), done };
}

/** The checkpoint a request carries: a small JSON body parsed already, or the file itself read as a stream. */
async function uploadedCheckpoint(req: Request): Promise<{ source: CheckpointSource; done: () => Promise<void> }> {
  if (req.is('application/json') && typeof req.body === 'object' && req.body !== null) {
    const body = (req.body as { checkpoint?: unknown }).checkpoint ?? req.body;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new ValidationFailedError([{ field: 'checkpoint', messages: ['checkpoint must be an object'] }]);
    }
    return { source: parsedCheckpoint({ ...(body as object) }), done: async () => undefined };
  }
  const { file, done } = await spooled(req, MAX_CHECKPOINT_BYTES);
  return {
    source: streamedCheckpoint(file),
    done: async () => {
      file.destroy();
      await done();
    },
  };
}

/** The reader of the trail: the request's court scope and what the user's roles let them read of it. */
const Reader = createParamDecorator((_: unknown, ctx: ExecutionContext): AuditReader => {
  const request = ctx.switchToHttp().getRequest();
  return auditReaderOf(request.user, request.scope, request.reach);
});

@ApiTags('audit')
@ApiBearerAuth()
@Controller('audit')
export class AuditController {
  constructor(private readonly trail: AuditTrailService) {}

  @Get('events')
  @Roles('auditor', 'committee', 'leader', 'supervisor', 'platform_admin')
  @ApiOperation({
    summary: 'Audit events, ordered by chain then seq, each exactly as hashed (a platform admin: the platform chain `system` alone)',
  })
  events(@Query() query: AuditEventsQueryDto, @Reader() reader: AuditReader) {
    return this.trail.listEvents(query, reader);
  }

  @Get('verify')
  @Roles('auditor', 'committee', 'leader', 'supervisor', 'platform_admin')
  @ApiOperation({
    summary: 'Recompute every link of every chain (or of one) and name the first broken seq of each (a platform admin: the chain `system`)',
  })
  verify(@Query() query: VerifyQueryDto, @Reader() reader: AuditReader) {
    return this.trail.verify(query, reader);
  }

  @Post('verify')
  @HttpCode(200)
  @Roles('auditor', 'committee', 'leader', 'supervisor')
  @ApiOperation({ summary: 'Verify the chains and compare them with a signed checkpoint: truncated or rewritten since?' })
  verifyCheckpoint(@Body() body: VerifyCheckpointDto, @Reader() reader: AuditReader) {
    return this.trail.verifyCheckpoint(parsedCheckpoint({ ...body.checkpoint }), reader);
  }

  @Post('verify/checkpoint')
  @ReadsOwnBody()
  @HttpCode(200)
  @Roles('auditor', 'committee', 'leader', 'supervisor')
  @ApiConsumes('application/octet-stream')
  @ApiBody({ description: 'The checkpoint file exactly as GET /api/audit/checkpoint served it, of any size (read as a stream)' })
  @ApiOperation({ summary: 'As POST verify, for a checkpoint file of any size (a million chains), uploaded as the request body' })
  async verifyCheckpointFile(@Req() req: Request, @Reader() reader: AuditReader) {
    const { source, done } = await uploadedCheckpoint(req);
    try {
      return await this.trail.verifyCheckpoint(source, reader);
    } finally {
      await done();
    }
  }

  @Get('export')
  @Roles('auditor', 'supervisor')
  @ApiProduces('text/csv', 'application/x-ndjson')
  @ApiOperation({
    summary: 'The audit trail (or what the filters select), streamed: CSV for people, or format=jsonl exactly as hashed',
  })
  async export(@Query() query: ExportQueryDto, @Reader() reader: AuditReader) {
    const { filename, mime, stream } = await this.trail.export(query, reader);
    return new StreamableFile(stream, { type: mime, disposition: `attachment; filename="${filename}"` });
  }

  @Get('checkpoint')
  @Roles('auditor', 'supervisor')
  @ApiProduces('application/json')
  @ApiOperation({
    summary:
      'The head of every chain, signed with the server’s Ed25519 key (streamed: {format, algorithm, publicKey, chains, at, count, headsSha256, signature})',
  })
  async checkpoint(@Reader() reader: AuditReader) {
    return new StreamableFile(await this.trail.checkpoint(reader), {
      type: 'application/json; charset=utf-8',
      disposition: `attachment; filename="audit-checkpoint.json"`,
    });
  }
}
