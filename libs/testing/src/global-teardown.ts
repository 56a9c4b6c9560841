import { rmSync } from 'node:fs';

export default async function globalTeardown(): Promise<void> {
  const engine = globalThis.__embeddedTestPostgres;
  if (!engine) return;
  await engine.stop();
  rmSync(engine.dataDirectory, { recursive: true, force: true });
}
