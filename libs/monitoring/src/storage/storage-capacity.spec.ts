import { statfs } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { filesystemCapacity } from './storage-capacity';

describe('filesystemCapacity', () => {
  it("is the filesystem's space available to the database plus what the database holds", async () => {
    const held = 5 * 1024 ** 3;
    const before = await statfs(tmpdir());
    const capacity = await filesystemCapacity(tmpdir(), held);
    const after = await statfs(tmpdir());
    // Other processes write meanwhile: the figure lies between the free space seen before and after.
    const [low, high] = [before.bavail * before.bsize, after.bavail * after.bsize].sort((a, b) => a - b);
    expect(capacity - held).toBeGreaterThanOrEqual(low);
    expect(capacity - held).toBeLessThanOrEqual(high);
  });
});
