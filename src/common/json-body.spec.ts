import { MAX_BODY_DEPTH, nestsDeeperThan, unparsableBody } from './json-body';

/** An object holding lists `levels` deep in all: {"x": [[…]]}. */
const nested = (levels: number) => JSON.parse(`{"x":${'['.repeat(levels - 1)}${']'.repeat(levels - 1)}}`) as unknown;

describe('JSON bodies', () => {
  it('count an object and each list in it as a level, scalars as none', () => {
    expect(nestsDeeperThan({ a: 1, b: 'x', c: null }, 1)).toBe(false);
    expect(nestsDeeperThan({ a: { b: 1 } }, 1)).toBe(true);
    expect(nestsDeeperThan(nested(MAX_BODY_DEPTH), MAX_BODY_DEPTH)).toBe(false);
    expect(nestsDeeperThan(nested(MAX_BODY_DEPTH + 1), MAX_BODY_DEPTH)).toBe(true);
  });

  it('walk a body far deeper than the stack would allow a recursion to', () => {
    expect(nestsDeeperThan(nested(200_000), MAX_BODY_DEPTH)).toBe(true);
  });

  it('say whether a refused body is not JSON or JSON but not an object', () => {
    expect(unparsableBody('{"name": ').reason).toBe('the body is not valid JSON');
    expect(unparsableBody('"SUBMIT"').reason).toBe('the body must be a JSON object, not a string');
    expect(unparsableBody('null').reason).toBe('the body must be a JSON object, not null');
    expect(unparsableBody(' true ').reason).toBe('the body must be a JSON object, not a boolean');
    expect(unparsableBody(undefined).reason).toBe('the body is not valid JSON');
  });
});
