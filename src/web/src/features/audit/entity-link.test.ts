import { describe, expect, it } from 'vitest';
import { entityPath, isEntityType, prettyJson, shortHash } from './entity-link';

describe('audit entity links', () => {
  it('links the entities that have a page, by record id', () => {
    expect(entityPath('package', '12')).toBe('/packages/12');
    expect(entityPath('contribution', '3')).toBe('/contributions/3');
    expect(entityPath('requirement_list', '7')).toBe('/requirements/7');
    expect(entityPath('meeting', '1')).toBe('/meetings/1');
  });

  it('does not link entities without a page, nor ids that are not record ids', () => {
    expect(entityPath('user', '5')).toBeUndefined();
    expect(entityPath('package', null)).toBeUndefined();
    expect(entityPath('package', '../admin')).toBeUndefined();
    expect(entityPath('unknown', '5')).toBeUndefined();
    expect(isEntityType('api_token')).toBe(true);
    expect(isEntityType('nope')).toBe(false);
  });

  it('shortens hashes and pretty-prints payloads', () => {
    expect(shortHash('a'.repeat(64))).toBe(`${'a'.repeat(12)}…`);
    expect(shortHash('abc')).toBe('abc');
    expect(prettyJson(null)).toBeNull();
    expect(prettyJson({ a: 1 })).toBe('{\n  "a": 1\n}');
  });
});
