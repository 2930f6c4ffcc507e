/**
 * The app-wide JSON rule: a `bigint` (money in minor units, ids) is written as a decimal string,
 * never as a JSON number, so no client parses it into a float and loses digits.
 */
export function jsonReplacer(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}

/** `JSON.stringify` with the bigint rule; the reply serializer of routes without a schema. */
export function serializeJson(payload: unknown): string {
  return JSON.stringify(payload, jsonReplacer);
}
