import { LatencySlotRecorder, SLOT_MS } from './latency-slot-recorder';

const EDGES = [0.1, 0.5, 1];
const T0 = 1_700_000_000_000; // a multiple of 10 s

describe('LatencySlotRecorder', () => {
  it('counts into the bucket whose upper edge is >= the value (le), +Inf last, per 10-second slot', () => {
    const recorder = new LatencySlotRecorder(EDGES);
    recorder.observe('route', 'GET /a', 0.1, T0);
    recorder.observe('route', 'GET /a', 0.3, T0 + 9_999);
    recorder.observe('route', 'GET /a', 7, T0 + 1);
    recorder.observe('route', 'GET /a', 0.05, T0 + SLOT_MS);
    recorder.observe('timeframe', '1m', 0.5, T0);
    expect(recorder.unwritten().rows).toEqual([
      { slotStart: T0, series: 'route', key: 'GET /a', counts: [1, 1, 0, 1], totalSeconds: 7.4 },
      { slotStart: T0, series: 'timeframe', key: '1m', counts: [0, 1, 0, 0], totalSeconds: 0.5 },
      { slotStart: T0 + SLOT_MS, series: 'route', key: 'GET /a', counts: [1, 0, 0, 0], totalSeconds: 0.05 },
    ]);
  });

  it('rewrites a slot as absolute values once it changed again, and forgets closed slots once written', () => {
    const recorder = new LatencySlotRecorder(EDGES);
    recorder.observe('route', 'GET /a', 0.2, T0);
    recorder.unwritten().markWritten();
    expect(recorder.unwritten().rows).toEqual([]);

    recorder.observe('route', 'GET /a', 0.2, T0 + 1);
    const pending = recorder.unwritten();
    recorder.observe('route', 'GET /a', 0.2, T0 + 2); // after the snapshot: still owed
    pending.markWritten();
    expect(pending.rows[0].counts).toEqual([0, 2, 0, 0]);
    recorder.forget(T0 + SLOT_MS, 3_600_000);
    expect(recorder.unwritten().rows.map((r) => r.counts)).toEqual([[0, 3, 0, 0]]);

    recorder.unwritten().markWritten();
    recorder.forget(T0 + SLOT_MS, 3_600_000);
    recorder.observe('route', 'GET /a', 0.2, T0 + SLOT_MS);
    expect(recorder.unwritten().rows).toEqual([
      { slotStart: T0 + SLOT_MS, series: 'route', key: 'GET /a', counts: [0, 1, 0, 0], totalSeconds: 0.2 },
    ]);
  });

  it('keeps unwritten slots (a failed write) until they are older than the limit', () => {
    const recorder = new LatencySlotRecorder(EDGES);
    recorder.observe('route', 'GET /a', 0.2, T0);
    recorder.unwritten(); // the write failed: never marked
    recorder.forget(T0 + 30 * SLOT_MS, 3_600_000);
    expect(recorder.unwritten().rows).toHaveLength(1);
    recorder.forget(T0 + 3_600_000 + SLOT_MS, 3_600_000);
    expect(recorder.unwritten().rows).toEqual([]);
  });

  it('keeps the open slot after writing it', () => {
    const recorder = new LatencySlotRecorder(EDGES);
    recorder.observe('route', 'GET /a', 0.2, T0);
    recorder.unwritten().markWritten();
    recorder.forget(T0 + 5_000, 3_600_000);
    recorder.observe('route', 'GET /a', 0.2, T0 + 6_000);
    expect(recorder.unwritten().rows[0].counts).toEqual([0, 2, 0, 0]);
  });
});
