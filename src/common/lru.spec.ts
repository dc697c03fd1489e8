import { LruMap } from './lru';

describe(LruMap.name, () => {
  it('forgets the entry used longest ago once full', () => {
    const map = new LruMap<string, number>(2);
    map.set('a', 1);
    map.set('b', 2);
    expect(map.get('a')).toBe(1); // a is now the most recent
    map.set('c', 3);
    expect(map.get('b')).toBeUndefined();
    expect(map.get('a')).toBe(1);
    expect(map.get('c')).toBe(3);
    expect(map.size).toBe(2);
  });

  it('replaces a value without growing, and deletes', () => {
    const map = new LruMap<number, string>(3);
    map.set(1, 'x');
    map.set(1, 'y');
    expect(map.size).toBe(1);
    expect(map.get(1)).toBe('y');
    map.delete(1);
    expect(map.get(1)).toBeUndefined();
  });

  it('refuses a capacity that cannot hold anything', () => {
    expect(() => new LruMap(0)).toThrow('capacity of at least 1');
  });
});
