import { InvalidFieldError } from './errors';
import { intersect, normalize, requireStartBeforeEnd, subtract, totalLength, union } from './time-range';

const r = (start: number, end: number) => ({ start, end });

describe('time ranges', () => {
  it('normalizes: sorts, drops empty ranges, merges overlapping and touching ones', () => {
    expect(normalize([r(10, 20), r(0, 5), r(5, 8), r(15, 30), r(40, 40)])).toEqual([r(0, 8), r(10, 30)]);
  });

  it('unions several sets', () => {
    expect(union([r(0, 10)], [r(20, 30)], [r(10, 20)])).toEqual([r(0, 30)]);
  });

  it('subtracts holes from the middle, the edges and across ranges', () => {
    expect(subtract([r(0, 100)], [r(10, 20), r(50, 60)])).toEqual([r(0, 10), r(20, 50), r(60, 100)]);
    expect(subtract([r(0, 100)], [r(-5, 10), r(90, 200)])).toEqual([r(10, 90)]);
    expect(subtract([r(0, 10), r(20, 30)], [r(5, 25)])).toEqual([r(0, 5), r(25, 30)]);
    expect(subtract([r(0, 10)], [r(0, 10)])).toEqual([]);
    expect(subtract([r(0, 10)], [])).toEqual([r(0, 10)]);
  });

  it('intersects and measures', () => {
    expect(intersect([r(0, 10), r(20, 30)], [r(5, 25)])).toEqual([r(5, 10), r(20, 25)]);
    expect(totalLength([r(0, 10), r(5, 20), r(30, 31)])).toBe(21);
  });
});

describe('requireStartBeforeEnd', () => {
  it('accepts a range holding at least one instant', () => {
    expect(() => requireStartBeforeEnd({ start: 0, end: 1 }, false)).not.toThrow();
  });

  it('names start and says when end defaulted to now', () => {
    expect(() => requireStartBeforeEnd({ start: 60_000, end: 60_000 }, true)).toThrow(
      'start: must be before end, which defaults to now (1970-01-01T00:01:00.000Z); got 1970-01-01T00:01:00.000Z',
    );
    expect(() => requireStartBeforeEnd({ start: 2, end: 1 }, false)).toThrow(InvalidFieldError);
  });

  it('keeps an instant no Date can hold readable instead of throwing', () => {
    expect(() => requireStartBeforeEnd({ start: 9e15, end: 0 }, false)).toThrow('got 9000000000000000');
  });
});
