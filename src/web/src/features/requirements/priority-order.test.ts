import { describe, expect, it } from 'vitest';
import { effectiveOrder, moveItem, sameOrder } from './priority-order';

describe('priority order', () => {
  it('moves an item down, up, and clamps to the ends', () => {
    expect(moveItem(['a', 'b', 'c'], 0, 1)).toEqual(['b', 'a', 'c']);
    expect(moveItem(['a', 'b', 'c'], 2, 0)).toEqual(['c', 'a', 'b']);
    expect(moveItem(['a', 'b', 'c'], 2, 5)).toEqual(['a', 'b', 'c']);
    expect(moveItem(['a', 'b', 'c'], 0, -1)).toEqual(['a', 'b', 'c']);
    expect(moveItem(['a', 'b'], 7, 0)).toEqual(['a', 'b']);
  });

  it('compares orders element by element', () => {
    expect(sameOrder(['a', 'b'], ['a', 'b'])).toBe(true);
    expect(sameOrder(['a', 'b'], ['b', 'a'])).toBe(false);
    expect(sameOrder(['a'], ['a', 'b'])).toBe(false);
  });

  it('keeps an edited order only while it names exactly the server’s items', () => {
    expect(effectiveOrder(['a', 'b'], null)).toEqual(['a', 'b']);
    expect(effectiveOrder(['a', 'b'], ['b', 'a'])).toEqual(['b', 'a']);
    expect(effectiveOrder(['a', 'b', 'c'], ['b', 'a'])).toEqual(['a', 'b', 'c']);
    expect(effectiveOrder(['a', 'c'], ['b', 'a'])).toEqual(['a', 'c']);
    expect(effectiveOrder(['a', 'b'], ['a', 'a'])).toEqual(['a', 'b']);
  });
});
