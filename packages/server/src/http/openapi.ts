/** The OpenAPI 3.1 document, generated from the same zod schemas that validate requests. */
import { z, type ZodType } from 'zod';
import type { Api } from './route';

const jsonSchema = (s: ZodType, io: 'input' | 'output') =>
  z.toJSONSchema(s, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as Record<string, unknown>;

const problemSchema = {
  type: 'object',
  required: ['type', 'title', 'status', 'code', 'detail'],
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    code: { type: 'string', description: 'stable machine code, e.g. invalid_container_number' },
    detail: { type: 'string' },
    instance: { type: 'string' },
    requestId: { type: 'string' },
  },
};

export function buildOpenApiDocument(api: Api, version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const spec of api.specs) {
    const path = spec.url.replace(/:(\w+)/g, '{$1}');
    const parameters: unknown[] = [];
    for (const [where, schema] of [
      ['path', spec.params],
      ['query', spec.query],
    ] as const) {
      if (!schema) continue;
      const js = jsonSchema(schema, 'input') as { properties?: Record<string, unknown>; required?: string[] };
      for (const [name, s] of Object.entries(js.properties ?? {})) {
        parameters.push({ name, in: where, required: where === 'path' || (js.required ?? []).includes(name), schema: s });
      }
    }
    const responses: Record<string, unknown> = {};
    for (const [status, r] of Object.entries(spec.responses)) {
      responses[status] = r.schema
        ? { description: r.description, content: { [r.contentType ?? 'application/json']: { schema: jsonSchema(r.schema, 'output') } } }
        : { description: r.description };
    }
    responses.default = {
      description: 'Problem (RFC 9457)',
      content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
    };
    const op: Record<string, unknown> = {
      operationId: spec.operationId,
      summary: spec.summary,
      tags: [spec.tag],
      parameters,
      responses,
      security:
        spec.auth === 'admin' || spec.auth === 'user'
          ? [{ bearer: [] }, { session: [] }]
          : spec.auth === 'integration'
            ? [{ bearer: [] }]
            : [],
      // Who may call it: a permission of the role table (core/access/policy.ts), `admin`, or null (device signature, integration token, public).
      'x-sealwatch-auth': spec.auth,
      'x-sealwatch-permission': spec.auth === 'admin' ? 'admin' : spec.auth === 'user' ? (spec.permission ?? 'signed-in') : null,
      // Refused to API tokens (a console session or the installation token only).
      ...(spec.noApiTokens ? { 'x-sealwatch-no-api-tokens': true } : {}),
    };
    if (spec.body) {
      const types = spec.bodyContentTypes ?? ['application/json'];
      op.requestBody = {
        required: true,
        content: Object.fromEntries(
          types.map((t) => [t, { schema: t === 'application/json' ? jsonSchema(spec.body!, 'input') : { type: 'string' } }]),
        ),
      };
    }
    (paths[path] ??= {})[spec.method.toLowerCase()] = op;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Sealwatch API',
      version,
      description:
        'Customs monitoring of cargo with Smart Security Devices. Errors are RFC 9457 problem details with a stable `code`. Lists are cursor-paginated (`limit`, `cursor` → `nextCursor`).',
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    },
    servers: [{ url: '/' }],
    paths,
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'the admin token, or an API token (POST /api/v1/tokens)' },
        session: {
          type: 'apiKey',
          in: 'cookie',
          name: 'sw_session',
          description: 'console session (POST /api/v1/auth/login); changes need the X-Sealwatch-CSRF header',
        },
      },
      schemas: { Problem: problemSchema },
    },
  };
}
