/**
 * The fuzz test's requests: one fast-check arbitrary per operation of the OpenAPI document, in
 * three classes — `valid` (every part from the schemas, real ids mixed with random ones, a role
 * the policy allows), `boundary` (one part at an edge) and `malformed` (one part wrong: a type, a
 * missing or extra field, a non-JSON body, a junk header, a bad query string). Ids that should
 * name real records are `PoolRef`s, resolved when the request is sent against the records the
 * seed and the run itself created.
 */
import fc from 'fast-check';
import type { InjectOptions } from 'fastify';
import { ROLES } from '../../src/core/actor.js';
import { LIMITS } from '../../src/core/limits.js';
import { isAllowed } from '../../src/core/policy.js';
import { CAPABILITY_AREA_CODES } from '../../src/core/reference.js';
import { ROUTE_OPERATIONS, type RouteOperation } from '../../src/http/route-policy.js';
import {
  DECIMAL_INTEGER,
  NASTY_STRINGS,
  schemaArbitraries,
  type JsonSchema,
  type SchemaArbitraries,
} from './fuzz-schema.js';

export type RequestClass = 'valid' | 'boundary' | 'malformed';
export const REQUEST_CLASSES: readonly RequestClass[] = ['valid', 'boundary', 'malformed'];

export const POOL_NAMES = [
  'requirement-list',
  'requirement-item',
  'contribution',
  'package',
  'package-line',
  'shipment',
  'discrepancy',
  'meeting',
  'announcement',
  'party',
  'user',
  'audit-event',
  'session',
  'token',
  'dataset',
] as const;
export type PoolName = (typeof POOL_NAMES)[number];

/** An id of a real record, picked when the request is sent (the pool grows during the run). */
export class PoolRef {
  constructor(
    readonly pool: PoolName,
    readonly n: number,
  ) {}
}

const POOL_CAP = 300;

export class Pools {
  private readonly ids = new Map<PoolName, string[]>();
  /** The meeting ids the briefing route must not be sent (see `fuzz.test.ts`). */
  readonly meetings = new Set<string>();

  add(pool: PoolName, id: unknown): void {
    if (typeof id !== 'string' && typeof id !== 'number') return;
    const text = String(id);
    const list = this.ids.get(pool) ?? [];
    if (list.includes(text)) return;
    list.push(text);
    if (list.length > POOL_CAP) list.shift();
    this.ids.set(pool, list);
    if (pool === 'meeting') this.meetings.add(text);
  }

  size(pool: PoolName): number {
    return this.ids.get(pool)?.length ?? 0;
  }

  pick(ref: PoolRef): string {
    const list = this.ids.get(ref.pool) ?? [];
    return list[ref.n % Math.max(list.length, 1)] ?? '1';
  }

  /** Replaces every `PoolRef` inside a value by a real id. */
  resolve(value: unknown): unknown {
    if (value instanceof PoolRef) return this.pick(value);
    if (Array.isArray(value)) return value.map((item) => this.resolve(item));
    if (typeof value === 'object' && value !== null) {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.resolve(v)]));
    }
    return value;
  }
}

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema: JsonSchema;
}

export interface FuzzOperation {
  /** `METHOD /api/v1/path/{param}`, as the OpenAPI document names it. */
  key: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  pathParams: Parameter[];
  queryParams: Parameter[];
  headerParams: Parameter[];
  body: { schema: JsonSchema; required: boolean } | undefined;
  /** `x-purl-actor` values the policy allows (null: no actor, for public routes). */
  actors: (string | null)[];
}

interface OpenApiOperation {
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content: Record<string, { schema: JsonSchema }> };
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
}

const ACTOR_VALUES: readonly string[] = ROLES.filter((role) => role !== 'system').flatMap((role) =>
  role === 'contributor' ? ['contributor:NLD', 'contributor:NOR', 'contributor:DEU'] : [role],
);

export function operationsOf(document: OpenApiDocument): FuzzOperation[] {
  const operations: FuzzOperation[] = [];
  for (const [path, methods] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      const upper = method.toUpperCase() as FuzzOperation['method'];
      const parameters = operation.parameters ?? [];
      const json = operation.requestBody?.content['application/json'];
      const routeKey = `${upper} ${path.replace(/\{(\w+)\}/g, ':$1')}`;
      const policy: RouteOperation | undefined = ROUTE_OPERATIONS[routeKey];
      if (policy === undefined) throw new Error(`No policy entry for ${routeKey}`);
      const actors =
        policy === 'public'
          ? [null, ...ACTOR_VALUES]
          : ACTOR_VALUES.filter((value) =>
              isAllowed({ id: 'fuzz', role: value.split(':')[0] as never }, policy),
            );
      operations.push({
        key: `${upper} ${path}`,
        method: upper,
        path,
        pathParams: parameters.filter((p) => p.in === 'path'),
        queryParams: parameters.filter((p) => p.in === 'query'),
        headerParams: parameters.filter((p) => p.in === 'header'),
        body: json
          ? { schema: json.schema, required: operation.requestBody?.required === true }
          : undefined,
        actors: actors.length > 0 ? actors : [...ACTOR_VALUES],
      });
    }
  }
  return operations;
}

/** The pool a path parameter's real ids come from: by its name, else by the path before it. */
export function poolOfPathParam(path: string, name: string): PoolName | undefined {
  const byName: Record<string, PoolName> = {
    itemId: 'requirement-item',
    lineId: 'package-line',
    announcementId: 'announcement',
    contributionId: 'contribution',
    dataset: 'dataset',
  };
  if (byName[name]) return byName[name];
  return resourcePool(path);
}

/** The pool of the records a path is about (`/api/v1/packages/{id}/lines` → package). */
export function resourcePool(path: string): PoolName | undefined {
  const rest = path.replace('/api/v1/', '');
  const prefixes: [string, PoolName][] = [
    ['requirement-lists', 'requirement-list'],
    ['contributions', 'contribution'],
    ['packages', 'package'],
    ['shipments', 'shipment'],
    ['discrepancies', 'discrepancy'],
    ['meetings', 'meeting'],
    ['analytics/meetings', 'meeting'],
    ['parties', 'party'],
    ['users', 'user'],
    ['audit/events', 'audit-event'],
    ['auth/sessions', 'session'],
    ['auth/tokens', 'token'],
  ];
  return prefixes.find(([prefix]) => rest === prefix || rest.startsWith(`${prefix}/`))?.[1];
}

const CURRENCIES = ['USD', 'EUR', 'NOK', 'GBP', 'CAD'];
const DATES = ['2025-08-04', '2025-08-05', '2025-08-20', '2025-09-01', '2025-10-01'];
const FIGURES = [
  'funnel.committed',
  'funnel.paid',
  'burden.committed:NLD',
  'coverage.funded:2025-08:artillery',
  'pace.paid:2025-08',
  'leadTimes.stalled',
  'x',
];

/** Values that mean something to the product, by field name or pattern. */
function hintsFor(
  seedEmail: string,
): (name: string, schema: JsonSchema) => fc.Arbitrary<unknown> | undefined {
  const ref = (pool: PoolName) => fc.nat().map((n) => new PoolRef(pool, n));
  const idFields: Record<string, PoolName> = {
    contributionId: 'contribution',
    requirementItemId: 'requirement-item',
    packageLineId: 'package-line',
    'itemIds[]': 'requirement-item',
    earmarkPackageId: 'package',
    packageId: 'package',
    meetingId: 'meeting',
    listId: 'requirement-list',
    entityId: 'package',
  };
  const isInteger = (schema: JsonSchema) =>
    schema.pattern === DECIMAL_INTEGER ||
    (schema.anyOf ?? []).some((option) => option.pattern === DECIMAL_INTEGER);
  return (name, schema) => {
    const pool = idFields[name];
    if (pool && isInteger(schema)) return ref(pool);
    if (isInteger(schema) && /Minor$/.test(name)) {
      // Mostly within what the seeded contributions hold, so that money moves.
      return fc
        .oneof(
          { weight: 4, arbitrary: fc.bigInt({ min: 1n, max: 1_000_000n }) },
          { weight: 1, arbitrary: fc.bigInt({ min: 1n, max: 50_000_000_000n }) },
        )
        .map(String);
    }
    if (schema.pattern === '^[A-Z]{3}$') return fc.constantFrom(...CURRENCIES);
    if (name === 'currency' && schema.anyOf) return fc.constantFrom(...CURRENCIES);
    if (schema.pattern === '^\\d{4}-\\d{2}-\\d{2}$') return fc.constantFrom(...DATES);
    if (schema.pattern?.startsWith('^[A-Z][A-Z0-9-]') || name === 'donor') return ref('party');
    if (name === 'capabilityArea' || name === 'earmarkAreas[]') {
      return fc.constantFrom(...CAPABILITY_AREA_CODES);
    }
    if (name === 'email')
      return fc.constantFrom(seedEmail, 'nobody@example.org', 'Admin@Example.org');
    if (name === 'password') return fc.constant('correct horse battery staple 42');
    if (name === 'figure') return fc.constantFrom(...FIGURES);
    if (name === 'targetPerMonth' || name === 'goal') {
      return fc.constantFrom('1000000000.00', '250000000', '0.01', '1');
    }
    if (/[Qq]uantity$/.test(name) && schema.type === 'integer')
      return fc.integer({ min: 1, max: 20 });
    return undefined;
  };
}

type Body =
  | { kind: 'none' }
  | { kind: 'json'; value: unknown }
  | { kind: 'raw'; text: string; contentType: string | undefined }
  | { kind: 'oversize' }
  | { kind: 'deep'; depth: number };

export interface FuzzRequest {
  class: RequestClass;
  /** Which part was bent (`path.id`, `body`, `header.if-match` …), for the report. */
  slot: string;
  op: FuzzOperation;
  /** `x-purl-actor`; null sends none. */
  actor: string | null;
  path: Record<string, unknown>;
  query: Record<string, unknown> | { raw: string };
  headers: Record<string, string>;
  body: Body;
  /** Where a path value is sent as is, not percent-encoded (`%zz`, `..`). */
  rawPath?: boolean;
}

/** Credentials the seed made, used by some requests instead of the dev actor header. */
export interface Credentials {
  sessionSecret: string;
  tokenSecret: string;
  seedEmail: string;
}

/** The inject options of a request, with its `PoolRef`s resolved. */
export function toInject(
  request: FuzzRequest,
  pools: Pools,
  credentials: Credentials,
): InjectOptions & { url: string } {
  const { op } = request;
  let url = op.path;
  for (const param of op.pathParams) {
    let value = String(pools.resolve(request.path[param.name] ?? ''));
    // The briefing renders a PDF in Chromium (seconds each, tests/reports covers it): it is fuzzed
    // up to its 404, never with a meeting that exists.
    if (op.path.endsWith('/briefing') && isRealMeeting(value, pools)) value = '999999999';
    url = url.replace(`{${param.name}}`, request.rawPath ? value : percentEncoded(value));
  }
  url += queryString(request.query, pools);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    headers[name] = value
      .replace('$SESSION', credentials.sessionSecret)
      .replace('$TOKEN', credentials.tokenSecret);
  }
  if (request.actor !== null) headers['x-purl-actor'] = request.actor;
  const options: InjectOptions & { url: string } = { method: op.method, url, headers };
  const body = request.body;
  switch (body.kind) {
    case 'none':
      break;
    case 'json':
      headers['content-type'] ??= 'application/json';
      options.payload = JSON.stringify(pools.resolve(body.value)) ?? '';
      break;
    case 'raw':
      if (body.contentType !== undefined) headers['content-type'] = body.contentType;
      options.payload = body.text;
      break;
    case 'oversize':
      headers['content-type'] = 'application/json';
      options.payload = JSON.stringify({ padding: 'x'.repeat(LIMITS.httpBodyBytesMax + 10) });
      break;
    case 'deep':
      headers['content-type'] = 'application/json';
      options.payload = '['.repeat(body.depth) + ']'.repeat(body.depth);
      break;
  }
  return options;
}

/** `encodeURIComponent`; a lone surrogate (which it refuses) goes as U+FFFD, as a browser sends it. */
function percentEncoded(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return encodeURIComponent(
      value.replace(
        /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
        '\ufffd',
      ),
    );
  }
}

function isRealMeeting(value: string, pools: Pools): boolean {
  if (!/^-?\d+$/.test(value.trim())) return false;
  const id = BigInt(value.trim());
  return [...pools.meetings].some((meeting) => BigInt(meeting) === id);
}

function queryString(query: FuzzRequest['query'], pools: Pools): string {
  if ('raw' in query && typeof query.raw === 'string') return query.raw;
  const search = new URLSearchParams();
  for (const [name, raw] of Object.entries(query)) {
    const value = pools.resolve(raw);
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) {
      search.append(
        name,
        typeof item === 'object' && item !== null ? JSON.stringify(item) : String(item),
      );
    }
  }
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
}

/** Junk for every header the API reads, and a few it does not. */
const JUNK_HEADERS: readonly [string, string][] = [
  ['if-match', 'junk'],
  ['if-match', '"abc"'],
  ['if-match', '"1'],
  ['if-match', '"1", "2"'],
  ['if-match', '"9999999999"'],
  ['if-match', '*'],
  ['if-match', ''],
  ['idempotency-key', ''],
  ['idempotency-key', 'k'.repeat(LIMITS.idempotencyKeyMaxChars + 1)],
  ['idempotency-key', 'clé-\u00e9\u00ff'],
  ['idempotency-key', 'with space'],
  ['idempotency-key', 'x'.repeat(5000)],
  ['accept-language', ';;;,,,q=abc'],
  ['accept-language', '\u00ff\u00fe'],
  ['accept-language', 'x'.repeat(8000)],
  ['accept', 'application/xml'],
  ['accept', '*/*;q=nope'],
  ['x-purl-actor', 'system'],
  ['x-purl-actor', 'ADMIN'],
  ['x-purl-actor', 'root'],
  ['x-purl-actor', 'contributor:'],
  ['x-purl-actor', 'contributor:nld'],
  ['x-purl-actor', `contributor:${'A'.repeat(30)}`],
  ['x-purl-actor', 'admin:NLD:X'],
  ['x-purl-actor', ''],
  ['authorization', 'Bearer'],
  ['authorization', 'Bearer not-a-real-session'],
  ['authorization', 'Basic Zm9vOmJhcg=='],
  ['authorization', `Bearer purl_tok_${'x'.repeat(40)}`],
  ['authorization', `Bearer ${'a'.repeat(300)}`],
  ['authorization', 'Bearer \u00e9\u00e9'],
  ['cookie', 'purl_session=garbage'],
  ['cookie', '=;;;=; purl_session'],
  ['cookie', 'purl_session=$SESSION'],
  ['cookie', 'purl_session=$SESSION; purl_csrf=wrong'],
  ['x-csrf-token', 'x'.repeat(300)],
  ['x-request-id', 'x'.repeat(65)],
  ['x-request-id', '\u00e9'],
  ['x-forwarded-for', 'not-an-ip, 999.1.1.1'],
  ['content-language', '\u00ff'],
];

/** Non-JSON or mislabelled bodies. */
const JUNK_BODIES: readonly { text: string; contentType: string | undefined }[] = [
  { text: '{', contentType: 'application/json' },
  { text: '{"a":', contentType: 'application/json' },
  { text: 'null', contentType: 'application/json' },
  { text: '[]', contentType: 'application/json' },
  { text: '"text"', contentType: 'application/json' },
  { text: '1', contentType: 'application/json' },
  { text: 'NaN', contentType: 'application/json' },
  { text: '', contentType: 'application/json' },
  { text: '{"__proto__": {"polluted": 1}}', contentType: 'application/json' },
  { text: '{"constructor": {"prototype": {"polluted": 1}}}', contentType: 'application/json' },
  { text: '\u0000\u0001\u0002', contentType: 'application/json' },
  { text: '{"a": 1}', contentType: 'text/plain' },
  { text: 'a=1&b=2', contentType: 'application/x-www-form-urlencoded' },
  { text: '--x\r\n\r\n--x--', contentType: 'multipart/form-data; boundary=x' },
  { text: '{}', contentType: 'application/json; charset=utf-16' },
  { text: '{}', contentType: 'application/jsonx' },
  { text: '{}', contentType: 'application/merge-patch+json' },
  { text: '{}', contentType: ';;;' },
  { text: '{}', contentType: undefined },
  { text: '<xml/>', contentType: 'application/xml' },
];

/** Path values that are not ids at all, some sent without percent-encoding. */
const JUNK_PATH_VALUES: readonly string[] = [
  'abc',
  '1.5',
  '-',
  '%zz',
  '%',
  '%00',
  '..',
  '1;DROP',
  ' 1',
  'ï¿½',
  '9'.repeat(1000),
];

export interface RequestArbitraries {
  forOperation(op: FuzzOperation): fc.Arbitrary<FuzzRequest>;
}

export function requestArbitraries(
  credentials: Pick<Credentials, 'seedEmail'>,
): RequestArbitraries {
  const schemas: SchemaArbitraries = schemaArbitraries(hintsFor(credentials.seedEmail));
  // Mostly fresh keys; a few shared ones, so that replays and key conflicts happen too.
  const idempotencyKeys = fc.oneof(
    { weight: 1, arbitrary: fc.constantFrom('fuzz-key-1', 'fuzz-key-2', 'fuzz-key-3') },
    { weight: 3, arbitrary: fc.uuid() },
  );

  function validPath(op: FuzzOperation, param: Parameter): fc.Arbitrary<unknown> {
    const pool = poolOfPathParam(op.path, param.name);
    const plain = schemas.valid(param.schema, param.name);
    if (!pool) return plain;
    return fc.oneof(
      { weight: 4, arbitrary: fc.nat().map((n) => new PoolRef(pool, n)) },
      { weight: 1, arbitrary: plain },
    );
  }

  function validQuery(op: FuzzOperation): fc.Arbitrary<Record<string, unknown>> {
    const model = Object.fromEntries(
      op.queryParams.map((param) => [param.name, schemas.valid(param.schema, param.name)]),
    );
    const required = op.queryParams.filter((param) => param.required).map((param) => param.name);
    const optional = op.queryParams.filter((param) => !param.required).map((param) => param.name);
    // A few optional parameters at a time: with all of them at random, some filter would almost
    // always refuse the rest (an export has fifteen).
    return fc
      .tuple(fc.record(model), fc.subarray(optional, { maxLength: Math.min(3, optional.length) }))
      .map(([values, chosen]) =>
        Object.fromEntries(
          Object.entries(values).filter(
            ([name]) => required.includes(name) || chosen.includes(name),
          ),
        ),
      );
  }

  function validHeaders(op: FuzzOperation): fc.Arbitrary<Record<string, string>> {
    const optional: Record<string, fc.Arbitrary<string>> = {
      'accept-language': fc.constantFrom('en', 'fr', 'uk', 'en-GB,fr;q=0.8'),
      accept: fc.constantFrom('application/json', '*/*'),
    };
    if (op.method === 'POST') optional['idempotency-key'] = idempotencyKeys;
    if (op.headerParams.some((param) => param.name === 'if-match')) {
      optional['if-match'] = fc.constantFrom('"1"', '"2"', 'W/"1"');
    }
    return fc
      .record(optional, { requiredKeys: [] })
      .map((headers) => headers as Record<string, string>);
  }

  function validBody(op: FuzzOperation): fc.Arbitrary<Body> {
    if (!op.body) return fc.constant({ kind: 'none' });
    return schemas.valid(op.body.schema).map((value) => ({ kind: 'json', value }));
  }

  function validRequest(op: FuzzOperation): fc.Arbitrary<FuzzRequest> {
    const pathModel = Object.fromEntries(op.pathParams.map((p) => [p.name, validPath(op, p)]));
    return fc
      .record({
        actor: fc.constantFrom(...op.actors),
        // The seeded user's own session or API token now and then (the only way to reach the
        // routes of one's own sessions and tokens: a development actor is no user).
        credential: fc.constantFrom(undefined, undefined, undefined, '$SESSION', '$TOKEN'),
        path: fc.record(pathModel),
        query: validQuery(op),
        headers: validHeaders(op),
        body: validBody(op),
      })
      .map(({ credential, ...parts }) => ({
        ...parts,
        ...(credential
          ? { actor: null, headers: { ...parts.headers, authorization: `Bearer ${credential}` } }
          : {}),
        class: 'valid' as const,
        slot: 'none',
        op,
      }));
  }

  function bent(
    op: FuzzOperation,
    requestClass: 'boundary' | 'malformed',
    slots: [string, (base: FuzzRequest) => fc.Arbitrary<Partial<FuzzRequest>>][],
  ): fc.Arbitrary<FuzzRequest> {
    return fc
      .tuple(validRequest(op), fc.constantFrom(...slots))
      .chain(([base, [slot, change]]) =>
        change(base).map((patch) => ({ ...base, ...patch, class: requestClass, slot })),
      );
  }

  function boundaryRequest(op: FuzzOperation): fc.Arbitrary<FuzzRequest> {
    const slots: [string, (base: FuzzRequest) => fc.Arbitrary<Partial<FuzzRequest>>][] = [];
    for (const param of op.pathParams) {
      slots.push([
        `path.${param.name}`,
        (base) =>
          schemas
            .boundary(param.schema, param.name)
            .map((value) => ({ path: { ...base.path, [param.name]: value } })),
      ]);
    }
    for (const param of op.queryParams) {
      slots.push([
        `query.${param.name}`,
        (base) =>
          schemas
            .boundary(param.schema, param.name)
            .map((value) => ({ query: { ...base.query, [param.name]: value } })),
      ]);
    }
    if (op.body) {
      const schema = op.body.schema;
      slots.push([
        'body',
        () => schemas.boundary(schema).map((value) => ({ body: { kind: 'json', value } })),
      ]);
    } else {
      slots.push([
        'body',
        () =>
          fc
            .constantFrom<Body>(
              { kind: 'json', value: {} },
              { kind: 'raw', text: '', contentType: 'application/json' },
            )
            .map((body) => ({ body })),
      ]);
    }
    slots.push([
      'headers',
      (base) =>
        fc
          .constantFrom<[string, string]>(
            ['idempotency-key', 'k'.repeat(LIMITS.idempotencyKeyMaxChars)],
            ['idempotency-key', '!'],
            ['if-match', '"999999999"'],
            ['if-match', 'W/"0"'],
            ['if-match', '"0"'],
            ['accept-language', '*'],
            ['accept-language', 'x'.repeat(200)],
            ['x-request-id', 'r'.repeat(64)],
            ['authorization', 'Bearer $SESSION'],
            ['authorization', 'Bearer $TOKEN'],
          )
          .map(([name, value]) => ({
            headers: { ...base.headers, [name]: value },
            // A credential is read only without the dev header.
            ...(name === 'authorization' ? { actor: null } : {}),
          })),
    ]);
    slots.push([
      'actor',
      () => fc.constantFrom<string | null>(null, ...ACTOR_VALUES).map((actor) => ({ actor })),
    ]);
    return bent(op, 'boundary', slots);
  }

  function malformedRequest(op: FuzzOperation): fc.Arbitrary<FuzzRequest> {
    const slots: [string, (base: FuzzRequest) => fc.Arbitrary<Partial<FuzzRequest>>][] = [];
    for (const param of op.pathParams) {
      slots.push([
        `path.${param.name}`,
        (base) =>
          fc
            .tuple(
              fc.oneof(
                schemas.malformed(param.schema, param.name),
                fc.constantFrom(...JUNK_PATH_VALUES),
              ),
              fc.boolean(),
            )
            .map(([value, rawPath]) => ({
              path: { ...base.path, [param.name]: value },
              rawPath,
            })),
      ]);
    }
    for (const param of op.queryParams) {
      slots.push([
        `query.${param.name}`,
        (base) =>
          schemas
            .malformed(param.schema, param.name)
            .map((value) => ({ query: { ...base.query, [param.name]: value } })),
      ]);
    }
    slots.push([
      'query.raw',
      () =>
        fc
          .constantFrom(
            '?%zz=1',
            '?limit=%ZZ',
            '?limit=1&limit=2',
            '?a[b]=1&a[c]=2',
            '?=&&=&',
            `?x=${'y'.repeat(9000)}`,
            '?cursor=%00',
            '?__proto__=1',
          )
          .map((raw) => ({ query: { raw } })),
    ]);
    slots.push([
      'query.unknown',
      (base) =>
        fc
          .constantFrom(...NASTY_STRINGS)
          .map((value) => ({ query: { ...base.query, unknownParam: value } })),
    ]);
    if (op.body) {
      const schema = op.body.schema;
      slots.push([
        'body',
        () => schemas.malformed(schema).map((value) => ({ body: { kind: 'json', value } })),
      ]);
      slots.push(['body.missing', () => fc.constant({ body: { kind: 'none' } as Body })]);
    }
    slots.push([
      'body.transport',
      () =>
        fc
          .oneof(
            {
              weight: 8,
              arbitrary: fc.constantFrom(...JUNK_BODIES).map((b): Body => ({ kind: 'raw', ...b })),
            },
            { weight: 1, arbitrary: fc.constant<Body>({ kind: 'oversize' }) },
            { weight: 1, arbitrary: fc.constantFrom<Body>({ kind: 'deep', depth: 5000 }) },
          )
          .map((body) => ({ body })),
    ]);
    slots.push([
      'headers',
      (base) =>
        fc.constantFrom(...JUNK_HEADERS).map(([name, value]) => ({
          headers: { ...base.headers, [name]: value },
          ...(name === 'x-purl-actor' || name === 'authorization' || name === 'cookie'
            ? { actor: name === 'x-purl-actor' ? value : null }
            : {}),
        })),
    ]);
    return bent(op, 'malformed', slots);
  }

  return {
    forOperation(op) {
      return fc.oneof(
        { weight: 4, arbitrary: validRequest(op) },
        { weight: 3, arbitrary: boundaryRequest(op) },
        { weight: 3, arbitrary: malformedRequest(op) },
      );
    },
  };
}
