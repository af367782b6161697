// buildApp wires the contexts into one Fastify instance and never listens: main.ts listens, tests inject.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, jsonSchemaTransformObject, serializerCompiler } from 'fastify-type-provider-zod';
import type { Config } from './config.ts';
import type { Database } from './platform/db.ts';
import type { Jobs } from './platform/jobs.ts';
import { clientErrors, frameworkErrors, registerHttpEdge, registerTextRule } from './platform/http.ts';
import { registerAuth } from './platform/auth.ts';
import { createIdentityService, identityRoutes } from './modules/identity/index.ts';
import { catalogueRoutes, createCatalogueService } from './modules/catalogue/index.ts';
import { calendarRoutes, createCalendarService } from './modules/calendar/index.ts';
import { identifierRoutes } from './modules/identifiers/index.ts';
import { casesRoutes, createCasesService } from './modules/cases/index.ts';
import { analyticsRoutes, createAnalyticsService } from './modules/analytics/index.ts';
import { applicationPort, applicationRoutes, createApplicationsService } from './modules/applications/index.ts';
import { notificationRoutes } from './modules/notifications/index.ts';
import { ssoRoutes } from './modules/sso/index.ts';
import { spreadsheetRoutes } from './modules/spreadsheets/index.ts';
import { createKeyItemsService, keyItemRoutes } from './modules/keyitems/index.ts';
import { systemClock, type Clock } from './platform/clock.ts';
import { createPiiSealer, keyRingFromConfig } from './platform/pii.ts';
import { registerErrors } from './platform/errors.ts';
import { logOptions } from './platform/log.ts';
import { AuthErrors } from './platform/auth.ts';
import { XlsxErrors } from './platform/xlsx.ts';
import { CsvErrors } from './platform/csv.ts';
import { CommonErrors } from '@onething/shared/problem';
import { ApplicationsErrors } from '@onething/shared/applications';
import { CalendarErrors } from '@onething/shared/calendar';
import { CasesErrors } from '@onething/shared/cases';
import { CatalogueErrors } from '@onething/shared/catalogue';
import { IdentityErrors } from '@onething/shared/identity';
import { KeyItemErrors } from '@onething/shared/keyitems';
import { SsoErrors } from '@onething/shared/sso';

/** Every error code the API answers with, from each context's table; a code declared twice refuses the start. */
export const ERROR_CODES = registerErrors({
  CommonErrors,
  AuthErrors,
  XlsxErrors,
  CsvErrors,
  ApplicationsErrors,
  CalendarErrors,
  CasesErrors,
  CatalogueErrors,
  IdentityErrors,
  KeyItemErrors,
  SsoErrors,
});

export const WEB_DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/dist');

export interface AppDeps {
  config: Config;
  db: Database;
  jobs?: Jobs;
  /** Pino options or false; tests pass false. */
  logger?: boolean | object;
  /** The day of the statutory clock; tests move it. */
  clock?: Clock;
  /** The built web app to serve (default web/dist); tests give their own. */
  webDist?: string;
  /** The services main.ts created once for its jobs and seed; created here from config, db and clock otherwise. */
  services?: Services;
}

export function createServices(deps: Pick<AppDeps, 'config' | 'db' | 'clock'>) {
  const clock = deps.clock ?? systemClock;
  // What encrypts ID and phone numbers at rest, under PII_KEYS and PII_HASH_KEY (platform/pii.ts): made here once,
  // handed to whatever encrypts, opens or hashes them.
  const pii = createPiiSealer(keyRingFromConfig(deps.config));
  const identity = createIdentityService(deps.db, pii, {
    sessionTtlHours: deps.config.SESSION_TTL_HOURS,
    loginOtp: deps.config.LOGIN_OTP,
    otpDelivery: deps.config.OTP_DELIVERY,
  });
  const catalogue = createCatalogueService({ db: deps.db });
  const calendar = createCalendarService(deps.db);
  const cases = createCasesService({
    db: deps.db,
    calendar,
    clock,
    pii,
    applications: applicationPort({ catalogue, pii, dataDir: deps.config.dataDir }),
  });
  const applications = createApplicationsService({
    db: deps.db,
    catalogue,
    cases,
    clock,
    pii,
    dataDir: deps.config.dataDir,
  });
  const analytics = createAnalyticsService(deps.db, { clock, calendar });
  const keyItems = createKeyItemsService(deps.db, { analytics });
  return { clock, pii, identity, catalogue, calendar, cases, applications, analytics, keyItems };
}

export type Services = ReturnType<typeof createServices>;

declare module 'fastify' {
  interface FastifyInstance {
    services: Services;
  }
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config, db } = deps;
  const app = Fastify({
    logger:
      deps.logger === false
        ? false
        : {
            // Bodies are never logged; secrets are redacted and ID and phone numbers masked (platform/log.ts).
            ...logOptions(config.LOG_LEVEL),
            ...(typeof deps.logger === 'object' ? deps.logger : {}),
          },
    bodyLimit: config.BODY_LIMIT,
    // request.ip is the client as the trusted proxies saw it (X-Forwarded-For, walked from the right while the hop
    // is trusted), or the peer itself: lockouts and rate limits count per real client.
    trustProxy: config.TRUSTED_PROXIES.length > 0 ? config.TRUSTED_PROXIES : false,
    // A caller's own request id is kept when it is a sane token, so that traces join up across systems.
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[A-Za-z0-9._-]{1,64}$/.test(given) ? given : crypto.randomUUID();
    },
    routerOptions: { maxParamLength: 200 },
    frameworkErrors,
    clientErrorHandler: clientErrors,
  });
  const services = deps.services ?? createServices(deps);
  app.decorate('services', services);

  app.setSerializerCompiler(serializerCompiler);
  const webDist = deps.webDist ?? WEB_DIST;
  const hasWeb = fs.existsSync(path.join(webDist, 'index.html'));
  registerHttpEdge(app, { spaFallback: hasWeb });
  await app.register(fastifyCookie);
  registerAuth(app, services.identity.resolveSession);
  registerTextRule(app);

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'OneThing API',
        version: '1',
        description:
          'One-thing (一件事) government services: catalogue of service items and bundles, working-day calendar, identifiers. ' +
          'Errors are application/problem+json (RFC 9457) with a stable `code`; messages follow Accept-Language (zh-CN default, en).',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          session: { type: 'apiKey', in: 'cookie', name: 'onething_session' },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
    // Named schemas (zod .meta({ id })) become components, which recursive ones (JSON values) refer to.
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs' });

  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true } }, async (_request, reply) => {
    try {
      await db.query('SELECT 1 FROM schema_migrations LIMIT 1');
      return { status: 'ready', database: db.kind };
    } catch {
      return reply.status(503).send({ status: 'not ready', database: db.kind });
    }
  });

  await app.register(
    identityRoutes(services.identity, { cookieSecure: config.COOKIE_SECURE, devOtp: config.OTP_DELIVERY === 'dev' }),
  );
  await app.register(catalogueRoutes(services.catalogue));
  await app.register(calendarRoutes(services.calendar));
  await app.register(identifierRoutes());
  // Per-account limits on submissions and uploads (login and one-time codes are limited in the database by the
  // identity service). Route-level only; the key is the account, known once authentication has run.
  await app.register(fastifyRateLimit, { global: false, hook: 'preHandler' });
  await app.register(
    applicationRoutes(services.applications, {
      submissionsPerMinute: config.SUBMISSIONS_PER_MINUTE,
      uploadsPerMinute: config.UPLOADS_PER_MINUTE,
    }),
  );
  await app.register(casesRoutes(services.cases, db, services.pii));
  await app.register(analyticsRoutes(services.analytics));
  await app.register(notificationRoutes(db));
  await app.register(ssoRoutes({ config, db, identity: services.identity }));
  await app.register(spreadsheetRoutes({ identity: services.identity, catalogue: services.catalogue }));
  await app.register(keyItemRoutes(services.keyItems));

  // The built web app, when there is one (npm start builds it); http.ts falls back to its index.html.
  // Vite names every file under assets/ by its content's hash, so a browser keeps those for a year without asking
  // again (a reload or the next day's visit fetches nothing but the page); the page and the unhashed files are
  // asked about every time (a 304 when unchanged), so a new build is seen at once. The build writes a brotli and a
  // gzip copy of each text file (vite.config.ts compressAssets); a browser that accepts one gets it.
  if (hasWeb) {
    await app.register(fastifyStatic, {
      root: webDist,
      wildcard: false,
      cacheControl: false,
      preCompressed: true,
      setHeaders: (res, file) => {
        const immutable = path.relative(webDist, file).split(path.sep)[0] === 'assets';
        res.setHeader('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
        res.setHeader('vary', 'accept-encoding');
      },
    });
  }

  return app;
}
