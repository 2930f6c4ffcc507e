/**
 * A small JSON Schema (2020-12, the subset our OpenAPI document uses) → fast-check converter, in
 * three flavours for the fuzz test (`fuzz.test.ts`):
 *
 * - `valid`: values the schema accepts (enum, anyOf, pattern, lengths, ranges, required keys),
 *   steered by `hints` towards values that mean something to the product (real ids, known
 *   currencies, dates that have FX rates) so a share of requests gets past the services' checks;
 * - `boundary`: values at or just past an edge (empty and maximal strings, maxLength + 1, min and
 *   max numbers ± 1, huge bigints, impossible dates, NUL bytes, lone surrogates, RTL marks);
 * - `malformed`: wrong types, missing required keys, extra keys, strings off the pattern.
 *
 * No maintained package fits: `json-schema-fast-check` (0.0.6) predates fast-check 4 and 2020-12,
 * `zod-fast-check` targets zod 3; the document's schemas use a dozen keywords, so this is short.
 */
import fc from 'fast-check';

export interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  default?: unknown;
  description?: string;
}

/** A domain-meaningful generator for a property (by its name, `items[]` for an array's items). */
export type Hints = (name: string, schema: JsonSchema) => fc.Arbitrary<unknown> | undefined;

export const DECIMAL_INTEGER = '^-?(0|[1-9][0-9]*)$';
const DATE = '^\\d{4}-\\d{2}-\\d{2}$';
const MONTHS = ['^\\d{4}-(0[1-9]|1[0-2])$', '^[0-9]{4}-(0[1-9]|1[0-2])$'];

/** Strings that break naive code: control characters, surrogates, direction marks, injections. */
export const NASTY_STRINGS: readonly string[] = [
  '',
  ' ',
  '   ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfff',
  '\u202eRTL',
  '\u200b',
  'e\u0301\u0301\u0301',
  '😀'.repeat(3),
  'Ꙭ ЁЖ ї',
  '\n\r\t',
  "'; DROP TABLE ledger_transfer; --",
  '<script>alert(1)</script>',
  '%00%zz',
  '../../etc/passwd',
  '${7*7}{{7*7}}',
  '\\',
  '"',
  'null',
  'NaN',
  '-0',
  '0x10',
  '1e309',
];

export const INT8_MAX = 9_223_372_036_854_775_807n;

/** Bigint strings at and past every edge: int8, the 40-character cap, signs, leading zeros. */
export const BIGINT_EDGES: readonly string[] = [
  '0',
  '-0',
  '-1',
  '1',
  String(INT8_MAX),
  String(INT8_MAX + 1n),
  String(-INT8_MAX - 1n),
  String(-INT8_MAX - 2n),
  '1' + '0'.repeat(39),
  '1' + '0'.repeat(40),
  '9'.repeat(40),
  '-' + '9'.repeat(39),
  '9007199254740993',
  '00',
  '01',
  '+1',
  '1.0',
  '1e3',
  ' 1',
  '１',
];

export const DATE_EDGES: readonly string[] = [
  '0000-00-00',
  '0000-01-01',
  '0001-01-01',
  '1970-01-01',
  '1999-01-01',
  '2024-02-29',
  '2025-02-29',
  '2025-02-30',
  '2025-04-31',
  '2025-13-01',
  '2025-00-10',
  '2025-12-32',
  '9999-12-31',
  '2025-08-04',
  '2025-8-4',
  '20250804',
  '2025-08-04T00:00:00Z',
];

const MONTH_EDGES: readonly string[] = [
  '0000-01',
  '0000-12',
  '9999-12',
  '2025-00',
  '2025-13',
  '2025-1',
  '2025-08',
];

const PARTY_EDGES: readonly string[] = [
  'AA',
  'ZZZ',
  'A' + '-'.repeat(19),
  'A'.repeat(20),
  'A'.repeat(21),
  'NLD',
  'nld',
  'A',
];

const CURRENCY_EDGES: readonly string[] = ['AAA', 'XXX', 'ZZZ', 'USD', 'EUR', 'usd', 'EURO', 'XAU'];

const NUMBER_EDGES: readonly number[] = [
  0,
  -0,
  -1,
  1,
  0.5,
  -0.5,
  2 ** 31 - 1,
  2 ** 31,
  -(2 ** 31) - 1,
  2 ** 53 - 1,
  2 ** 53 + 2,
  -(2 ** 53) - 2,
  1e21,
  -1e21,
  1e308,
  Number.MIN_VALUE,
];

/** Values of every JSON type, to stand where the schema wants another. */
const ANY_JSON: readonly unknown[] = [
  null,
  true,
  false,
  0,
  -1,
  1.5,
  1e300,
  '',
  'x',
  '1',
  'true',
  [],
  [1],
  ['x'],
  {},
  { a: 1 },
];

function types(schema: JsonSchema): string[] {
  if (schema.type === undefined) return [];
  return Array.isArray(schema.type) ? schema.type : [schema.type];
}

function branches(schema: JsonSchema): JsonSchema[] | undefined {
  return schema.anyOf ?? schema.oneOf;
}

function safeMin(schema: JsonSchema): number {
  if (schema.exclusiveMinimum !== undefined) return Math.floor(schema.exclusiveMinimum) + 1;
  return Math.max(schema.minimum ?? Number.MIN_SAFE_INTEGER, Number.MIN_SAFE_INTEGER);
}

function safeMax(schema: JsonSchema): number {
  if (schema.exclusiveMaximum !== undefined) return Math.ceil(schema.exclusiveMaximum) - 1;
  return Math.min(schema.maximum ?? Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
}

/** A string of `length` UTF-16 units, ASCII or not (zod counts UTF-16 units). */
function lengthString(length: number, unit: string): string {
  if (length <= 0) return '';
  return unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
}

export interface SchemaArbitraries {
  valid(schema: JsonSchema, name?: string): fc.Arbitrary<unknown>;
  boundary(schema: JsonSchema, name?: string): fc.Arbitrary<unknown>;
  malformed(schema: JsonSchema, name?: string): fc.Arbitrary<unknown>;
}

export function schemaArbitraries(hints: Hints): SchemaArbitraries {
  function validString(schema: JsonSchema): fc.Arbitrary<string> {
    const min = schema.minLength ?? 0;
    const max = schema.maxLength ?? 60;
    const fits = (s: string) => s.length >= min && s.length <= max;
    const pattern = schema.pattern;
    if (pattern === DECIMAL_INTEGER) {
      return fc
        .oneof(
          fc.bigInt({ min: 0n, max: 1000n }),
          fc.bigInt({ min: 0n, max: 10n ** 12n }),
          fc.bigInt({ min: -1000n, max: INT8_MAX }),
        )
        .map(String)
        .filter(fits);
    }
    if (pattern === DATE) {
      return fc
        .date({ min: new Date('2000-01-01'), max: new Date('2035-12-31'), noInvalidDate: true })
        .map((d) => d.toISOString().slice(0, 10));
    }
    if (pattern !== undefined && MONTHS.includes(pattern)) {
      return fc
        .tuple(fc.integer({ min: 2000, max: 2035 }), fc.integer({ min: 1, max: 12 }))
        .map(([y, m]) => `${y}-${String(m).padStart(2, '0')}`);
    }
    if (pattern !== undefined) {
      return fc.stringMatching(new RegExp(pattern), { maxLength: max }).filter(fits);
    }
    const cap = Math.min(max, 60);
    return fc
      .oneof(
        fc.string({ minLength: Math.max(min, 1), maxLength: Math.max(cap, min, 1) }),
        fc.string({
          unit: 'grapheme',
          minLength: Math.max(min, 1),
          maxLength: Math.max(cap, min, 1),
        }),
        fc.string({ unit: 'grapheme-ascii', minLength: min, maxLength: Math.max(cap, min) }),
      )
      .filter(fits);
  }

  function valid(schema: JsonSchema, name = ''): fc.Arbitrary<unknown> {
    const plain = validPlain(schema, name);
    const hinted = hints(name, schema);
    return hinted
      ? fc.oneof({ weight: 4, arbitrary: hinted }, { weight: 1, arbitrary: plain })
      : plain;
  }

  function validPlain(schema: JsonSchema, name: string): fc.Arbitrary<unknown> {
    if (schema.const !== undefined) return fc.constant(schema.const);
    if (schema.enum) return fc.constantFrom(...schema.enum);
    const options = branches(schema);
    if (options) return fc.oneof(...options.map((option) => valid(option, name)));
    const kinds = types(schema);
    if (kinds.length > 1) return fc.oneof(...kinds.map((type) => valid({ ...schema, type }, name)));
    switch (kinds[0]) {
      case 'string':
        return validString(schema);
      case 'integer': {
        const [min, max] = [safeMin(schema), safeMax(schema)];
        return fc.oneof(
          fc.integer({ min: Math.max(min, -3), max: Math.max(Math.min(max, 1000), min) }),
          fc.integer({ min, max }),
        );
      }
      case 'number':
        return fc.double({
          min: schema.minimum ?? -1e9,
          max: schema.maximum ?? 1e9,
          noNaN: true,
          noDefaultInfinity: true,
        });
      case 'boolean':
        return fc.boolean();
      case 'null':
        return fc.constant(null);
      case 'array':
        return fc.array(valid(schema.items ?? {}, `${name}[]`), {
          minLength: schema.minItems ?? 0,
          maxLength: Math.max(Math.min(schema.maxItems ?? 4, 4), schema.minItems ?? 0),
        });
      case 'object': {
        const properties = schema.properties ?? {};
        const model = Object.fromEntries(
          Object.entries(properties).map(([key, inner]) => [key, valid(inner, key)]),
        );
        return fc.record(model, { requiredKeys: schema.required ?? [] });
      }
      default:
        return fc.jsonValue({ maxDepth: 2 });
    }
  }

  function boundaryString(schema: JsonSchema): fc.Arbitrary<string> {
    const edges: string[] = [...NASTY_STRINGS];
    const pattern = schema.pattern;
    if (pattern === DECIMAL_INTEGER) edges.push(...BIGINT_EDGES);
    else if (pattern === DATE) edges.push(...DATE_EDGES);
    else if (pattern !== undefined && MONTHS.includes(pattern)) edges.push(...MONTH_EDGES);
    else if (pattern?.startsWith('^[A-Z][A-Z0-9-]')) edges.push(...PARTY_EDGES);
    else if (pattern === '^[A-Z]{3}$') edges.push(...CURRENCY_EDGES);
    const lengths = [schema.minLength, schema.maxLength, 10_000]
      .filter((n): n is number => n !== undefined)
      .flatMap((n) => [n - 1, n, n + 1])
      .filter((n) => n >= 0);
    const units = pattern === DECIMAL_INTEGER ? ['9'] : ['x', 'é', '😀', 'Ж'];
    for (const length of lengths) for (const unit of units) edges.push(lengthString(length, unit));
    return fc.constantFrom(...edges);
  }

  function boundary(schema: JsonSchema, name = ''): fc.Arbitrary<unknown> {
    if (schema.enum) {
      const texts = schema.enum.filter((v): v is string => typeof v === 'string');
      return fc.constantFrom(
        ...schema.enum,
        ...texts.flatMap((t) => [t.toUpperCase(), ` ${t}`, `${t}\u0000`]),
        '',
      );
    }
    const options = branches(schema);
    if (options) return fc.oneof(...options.map((option) => boundary(option, name)));
    const kinds = types(schema);
    if (kinds.length > 1)
      return fc.oneof(...kinds.map((type) => boundary({ ...schema, type }, name)));
    switch (kinds[0]) {
      case 'string':
        return boundaryString(schema);
      case 'integer':
      case 'number': {
        const edges = [...NUMBER_EDGES];
        for (const n of [schema.minimum, schema.maximum, schema.exclusiveMinimum]) {
          if (n !== undefined) edges.push(n - 1, n, n + 1);
        }
        return fc.constantFrom(...edges);
      }
      case 'boolean':
        return fc.boolean();
      case 'null':
        return fc.constant(null);
      case 'array': {
        const item = valid(schema.items ?? {}, `${name}[]`);
        const max = schema.maxItems ?? 50;
        return fc.oneof(
          fc.constant([]),
          fc.array(item, { minLength: max, maxLength: max }),
          fc.array(item, { minLength: max + 1, maxLength: max + 1 }),
          item.map((value) => [value, value, value]),
          fc.array(boundary(schema.items ?? {}, `${name}[]`), { minLength: 1, maxLength: 3 }),
        );
      }
      case 'object': {
        const keys = Object.keys(schema.properties ?? {});
        if (keys.length === 0) return fc.constantFrom({}, { x: 1 });
        // A valid object with one property (any, required or not) at an edge.
        return fc.tuple(valid(schema, name), fc.constantFrom(...keys)).chain(([base, key]) =>
          boundary(schema.properties?.[key] ?? {}, key).map((edge) => ({
            ...(base as object),
            [key]: edge,
          })),
        );
      }
      default:
        return fc.constantFrom(...ANY_JSON);
    }
  }

  function wrongType(schema: JsonSchema): fc.Arbitrary<unknown> {
    const kinds = new Set(types(schema));
    const wrong = ANY_JSON.filter((value) => {
      if (value === null) return !kinds.has('null');
      if (Array.isArray(value)) return !kinds.has('array');
      if (typeof value === 'object') return !kinds.has('object');
      if (typeof value === 'number') {
        return Number.isInteger(value)
          ? !kinds.has('integer') && !kinds.has('number')
          : !kinds.has('number');
      }
      return !kinds.has(typeof value);
    });
    // A schema that accepts every type has no wrong type: any value will do.
    return fc.constantFrom(...(wrong.length > 0 ? wrong : ANY_JSON));
  }

  function malformed(schema: JsonSchema, name = ''): fc.Arbitrary<unknown> {
    if (schema.enum) {
      return fc
        .oneof(fc.constantFrom('not-a-member', 0, null, [], {}), fc.string({ maxLength: 8 }))
        .filter((value) => !schema.enum?.includes(value));
    }
    const options = branches(schema);
    if (options) {
      const all: JsonSchema = { type: options.flatMap(types) };
      return wrongType(all);
    }
    const kinds = types(schema);
    const pattern = schema.pattern;
    switch (kinds.length === 1 ? kinds[0] : undefined) {
      case 'string':
        if (pattern !== undefined) {
          const regex = new RegExp(pattern);
          return fc.oneof(
            wrongType(schema),
            fc.string({ maxLength: 12 }).filter((s) => !regex.test(s)),
          );
        }
        return wrongType(schema);
      case 'integer':
        return fc.oneof(wrongType(schema), fc.constantFrom(1.5, '1', '1e3', 'abc', -0.1));
      case 'array':
        return fc.oneof(
          wrongType(schema),
          fc.array(malformed(schema.items ?? {}, `${name}[]`), { minLength: 1, maxLength: 3 }),
        );
      case 'object': {
        const properties = schema.properties ?? {};
        const keys = Object.keys(properties);
        const required = schema.required ?? [];
        const base = valid(schema, name) as fc.Arbitrary<Record<string, unknown>>;
        const variants: fc.Arbitrary<unknown>[] = [
          wrongType(schema),
          base.map((value) => ({ ...value, unexpectedField: 'x', __proto__x: { polluted: 1 } })),
        ];
        if (required.length > 0) {
          variants.push(
            fc.tuple(base, fc.constantFrom(...required)).map(([value, key]) => {
              const copy = { ...value };
              delete copy[key];
              return copy;
            }),
          );
        }
        if (keys.length > 0) {
          variants.push(
            fc
              .tuple(base, fc.constantFrom(...keys))
              .chain(([value, key]) =>
                malformed(properties[key] ?? {}, key).map((bad) => ({ ...value, [key]: bad })),
              ),
          );
        }
        return fc.oneof(...variants);
      }
      default:
        return wrongType(schema);
    }
  }

  return { valid, boundary, malformed };
}
