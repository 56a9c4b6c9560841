import { endianness } from 'node:os';

// The stored layout is little-endian; so is every platform Node runs on in practice, and this says so at load.
if (endianness() !== 'LE') throw new Error('indicator_blocks stores little-endian float64s; this platform is big-endian');

/** The bytes of float64s as stored in indicator_blocks. */
export function float64Bytes(values: Float64Array | readonly number[]): Buffer {
  const array = values instanceof Float64Array ? values : Float64Array.from(values);
  return Buffer.from(array.buffer, array.byteOffset, array.byteLength);
}

/**
 * Float64s back from stored bytes, copied into a buffer of their own: a driver's Buffer may be
 * a view into a shared pool at any offset (and Buffer#slice would not copy).
 */
export function float64sOf(bytes: Uint8Array): Float64Array {
  return new Float64Array(new Uint8Array(bytes).buffer, 0, bytes.byteLength / 8);
}
