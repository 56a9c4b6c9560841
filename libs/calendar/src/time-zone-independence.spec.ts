import { execFileSync } from 'child_process';
import { join } from 'path';

/** Jest sandboxes process.env, so the zones are switched in a child process (test-fixtures/time-zone-probe.cjs). */
interface ProbeResult {
  localOffsetMinutes: number;
  calendar: Record<string, unknown>;
}

const ZONES = ['UTC', 'America/Los_Angeles', 'Asia/Kolkata', 'Pacific/Chatham', 'Australia/Lord_Howe', 'Pacific/Kiritimati'];

function probe(): Record<string, ProbeResult> {
  const script = join(__dirname, '../test-fixtures/time-zone-probe.cjs');
  const output = execFileSync(process.execPath, [script, __dirname, ...ZONES], { encoding: 'utf8' });
  return JSON.parse(output) as Record<string, ProbeResult>;
}

describe('time-zone independence', () => {
  const results = probe();
  const inUtc = results.UTC;

  it('computes the expected results on a UTC machine', () => {
    expect(inUtc.calendar.session).toMatchObject({ open: '2024-03-11T13:30:00.000Z', close: '2024-03-11T20:00:00.000Z' });
    expect(inUtc.calendar.holiday).toBeNull();
    expect(inUtc.calendar.nyDate).toBe('2024-11-03');
    expect(inUtc.calendar.bars).toBe(960);
  });

  it.each(ZONES.filter((zone) => zone !== 'UTC'))('gives the same results on a machine in %s', (zone) => {
    expect(results[zone].localOffsetMinutes).not.toBe(0); // the zone switch took effect
    expect(results[zone].calendar).toEqual(inUtc.calendar);
  });
});
