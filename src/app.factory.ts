import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { HttpAdapterHost, NestFactory, Reflector } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import { AppLogger } from './logging/logging.module';
import { AppModule } from './app.module';
import { AllExceptionsFilter } from './common/exception.filter';
import { JsonBodyGuard, refuseDeepBodies } from './common/json-body';
import { createValidationPipe } from './common/validation';
import { AppConfig } from './config/config';

export const WEB_DIST = join(__dirname, '..', '..', 'web', 'dist');

const isApi = (req: Request) => req.path === '/api' || req.path.startsWith('/api/');

/** Builds the whole HTTP application (used by main.ts and by the e2e tests alike). */
export async function createApp(config: AppConfig): Promise<NestExpressApplication> {
  // Only JSON (and multipart uploads, read by their own interceptor): no urlencoded parser on every request.
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), { bufferLogs: true, bodyParser: false });
  app.useLogger(app.get(AppLogger));
  app.setGlobalPrefix('api');
  if (config.trustProxy !== false) app.set('trust proxy', config.trustProxy);
  // First, so that every answer carries them, a refused body or an unknown address too.
  app.use(securityHeaders());
  app.useBodyParser('json', { limit: '1mb' });
  app.use(refuseDeepBodies());
  app.useGlobalPipes(createValidationPipe());
  // Before the auth guard, as the body's other refusals (SPEC §5 lets a malformed request be refused before sign-in).
  app.useGlobalGuards(new JsonBodyGuard(app.get(Reflector)));
  app.useGlobalFilters(new AllExceptionsFilter(app.get(HttpAdapterHost)));
  app.enableShutdownHooks();
  app.disable('x-powered-by');
  // Answers depend on who asks (availableEvents, visibility): never cache them, never answer 304.
  app.set('etag', false);
  app.use('/api', (_req: Request, res: Response, next: NextFunction) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Gongjian 共建')
      .setDescription('Party-building / business integration partnership workflow of the court')
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document);

  if (existsSync(join(WEB_DIST, 'index.html'))) {
    // The web UI's files, looked up for web addresses only: an API request never waits on a file lookup.
    const files = express.static(WEB_DIST, { index: false });
    app.use((req: Request, res: Response, next: NextFunction) => (isApi(req) ? next() : files(req, res, next)));
    // The web app routes on the client: any non-API GET answers index.html.
    app.use((req: Request, res: Response, next: NextFunction) => {
      if ((req.method !== 'GET' && req.method !== 'HEAD') || isApi(req)) return next();
      res.sendFile(join(WEB_DIST, 'index.html'));
    });
  }
  return app;
}

/**
 * Security headers on every response, API and web UI alike. The policy is what the built web UI needs:
 * its own scripts only, inline styles (antd writes its CSS-in-JS into <style> elements), images from
 * itself, data: and blob: URLs; no framing, no plugins. HSTS only on a request that arrived over TLS
 * (directly, or as a proxy named by TRUST_PROXY says): sent over plain HTTP it would lock an intranet
 * installation that has no certificate out of its own browsers.
 */
function securityHeaders() {
  const headers = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    xFrameOptions: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: false,
  });
  const hsts = helmet.strictTransportSecurity({ maxAge: 180 * 86_400, includeSubDomains: true });
  return (req: Request, res: Response, next: NextFunction) =>
    headers(req, res, (error?: unknown) => (error || !req.secure ? next(error) : hsts(req, res, next)));
}
