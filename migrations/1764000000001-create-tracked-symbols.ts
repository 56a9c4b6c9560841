import { MigrationInterface, QueryRunner } from 'typeorm';

/** tracked_symbols: what the scheduler keeps fresh, with each symbol's own timeframes. */
export class CreateTrackedSymbols1764000000001 implements MigrationInterface {
  name = 'CreateTrackedSymbols1764000000001';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE tracked_symbols (
        symbol      text        PRIMARY KEY,
        timeframes  text[]      NOT NULL CHECK (cardinality(timeframes) > 0),
        asset_class text        NOT NULL,
        active      boolean     NOT NULL DEFAULT true,
        created_at  timestamptz NOT NULL DEFAULT now(),
        updated_at  timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE IF EXISTS tracked_symbols');
  }
}
