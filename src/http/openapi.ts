/**
 * The OpenAPI 3.1 document, generated from the routes' zod schemas (@fastify/swagger with the
 * zod transforms of fastify-type-provider-zod, which emit JSON Schema draft 2020-12 for 3.1), at
 * `GET /api/openapi.json`, and the browsable reference at `/api/docs` (Scalar).
 *
 * Offline by design: Scalar's Fastify plugin serves its own bundled script at
 * `/api/docs/js/scalar.js` (no CDN), and the page is configured to fetch no web fonts, send no
 * telemetry and offer no hosted AI agent, so the docs work on an air-gapped network.
 */
import fastifySwagger, { type SwaggerTransformObject } from '@fastify/swagger';
import scalarApiReference from '@scalar/fastify-api-reference';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { PACKAGE_VERSION } from './version.js';

export const OPENAPI_PATH = '/api/openapi.json';
export const DOCS_PATH = '/api/docs';

export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'PURL Ledger API',
        version: PACKAGE_VERSION,
        description:
          'The coordination ledger of the Partnered Ukraine Resupply Line (PURL). ' +
          'Money is an integer of minor units written as a decimal string. Every error is ' +
          '`{ "error": { "code", "message", "details" } }` (schema `ErrorResponse`).',
      },
      servers: [{ url: '/', description: 'this server' }],
    },
    transform: jsonSchemaTransform,
    transformObject: withoutUnusedSchemas(jsonSchemaTransformObject),
  });

  app.get(OPENAPI_PATH, { schema: { hide: true } }, async () => app.swagger());

  await app.register(scalarApiReference, {
    routePrefix: DOCS_PATH,
    logLevel: 'warn',
    configuration: {
      url: OPENAPI_PATH,
      pageTitle: 'PURL Ledger API',
      withDefaultFonts: false,
      telemetry: false,
      agent: { disabled: true },
      mcp: { disabled: true },
      hideClientButton: true,
    },
  });
}

/**
 * The zod transform adds every registered schema twice (`X` for responses, `XInput` for
 * requests); keep only the components some path actually references, directly or through
 * another component.
 */
function withoutUnusedSchemas(transform: SwaggerTransformObject): SwaggerTransformObject {
  return (input) => {
    const document = transform(input) as { components?: { schemas?: Record<string, unknown> } };
    const schemas = document.components?.schemas;
    if (!schemas) return document as ReturnType<SwaggerTransformObject>;
    const used = new Set<string>();
    const pending = [referencedSchemas({ ...document, components: undefined })];
    while (pending.length > 0) {
      for (const name of pending.pop() ?? []) {
        if (used.has(name) || !(name in schemas)) continue;
        used.add(name);
        pending.push(referencedSchemas(schemas[name]));
      }
    }
    const kept = Object.fromEntries(Object.entries(schemas).filter(([name]) => used.has(name)));
    return {
      ...document,
      components: { ...document.components, schemas: kept },
    } as ReturnType<SwaggerTransformObject>;
  };
}

const SCHEMA_REF_PREFIX = '#/components/schemas/';

function referencedSchemas(value: unknown): string[] {
  const names: string[] = [];
  JSON.stringify(value, (key, inner: unknown) => {
    if (key === '$ref' && typeof inner === 'string' && inner.startsWith(SCHEMA_REF_PREFIX)) {
      names.push(inner.slice(SCHEMA_REF_PREFIX.length));
    }
    return inner;
  });
  return names;
}
