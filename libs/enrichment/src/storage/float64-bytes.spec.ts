import { float64Bytes, float64sOf } from './float64-bytes';

describe('float64 bytes', () => {
  it('round-trip bit for bit, NaN included, also from a Buffer that is a view into a larger pool at an odd offset', () => {
    const values = Float64Array.from([0.1 + 0.2, -0, NaN, 1e-308, Number.MAX_VALUE, 123.456]);
    const bytes = float64Bytes(values);
    expect(bytes.byteLength).toBe(48);
    const pool = Buffer.alloc(200, 7);
    bytes.copy(pool, 13);
    const view = pool.subarray(13, 13 + 48);
    expect(Array.from(float64sOf(view))).toEqual(Array.from(values));
    expect(Object.is(float64sOf(view)[1], -0)).toBe(true);
  });
});
