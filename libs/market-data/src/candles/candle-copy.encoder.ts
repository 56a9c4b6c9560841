import { Candle } from '@app/core';

/**
 * PostgreSQL binary COPY of candles into the staging columns
 * (t float8, s text, tf text, o, h, l, c, v, vw float8, n int8). Doubles go over as
 * their 8 IEEE bytes: no number-to-text conversion, which is most of the cost of a
 * text COPY on the client, and bit-exact by construction.
 */
const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
const FIELDS = 10;
const TWO_POW_32 = 4_294_967_296;

export function encodeCandlesForCopy(batch: readonly Candle[]): Buffer {
  const texts = batch.map((c) => [Buffer.from(c.symbol, 'utf8'), Buffer.from(c.timeframe, 'utf8')] as const);
  let size = SIGNATURE.length + 8 + 2;
  for (const [symbol, timeframe] of texts) size += 2 + FIELDS * 4 + 8 * 8 + symbol.length + timeframe.length;
  const buffer = Buffer.allocUnsafe(size);
  let offset = SIGNATURE.copy(buffer, 0);
  offset = buffer.writeInt32BE(0, offset); // flags
  offset = buffer.writeInt32BE(0, offset); // header extension length

  const float8 = (value: number | null): void => {
    if (value === null) {
      offset = buffer.writeInt32BE(-1, offset);
      return;
    }
    if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
    offset = buffer.writeInt32BE(8, offset);
    offset = buffer.writeDoubleBE(value, offset);
  };
  const bytes = (value: Buffer): void => {
    offset = buffer.writeInt32BE(value.length, offset);
    offset += value.copy(buffer, offset);
  };
  const int8 = (value: number | null): void => {
    if (value === null) {
      offset = buffer.writeInt32BE(-1, offset);
      return;
    }
    if (!Number.isSafeInteger(value)) throw new RangeError(`not an integer: ${value}`);
    offset = buffer.writeInt32BE(8, offset);
    offset = buffer.writeInt32BE(Math.floor(value / TWO_POW_32), offset);
    offset = buffer.writeUInt32BE(((value % TWO_POW_32) + TWO_POW_32) % TWO_POW_32, offset);
  };

  batch.forEach((c, i) => {
    offset = buffer.writeInt16BE(FIELDS, offset);
    float8(c.time);
    bytes(texts[i][0]);
    bytes(texts[i][1]);
    float8(c.open);
    float8(c.high);
    float8(c.low);
    float8(c.close);
    float8(c.volume);
    float8(c.vwap);
    int8(c.trades);
  });
  offset = buffer.writeInt16BE(-1, offset); // trailer
  return buffer.subarray(0, offset);
}
