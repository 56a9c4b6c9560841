import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * backfill_checkpoints: one row per (symbol, timeframe) job. `covered` holds the time
 * ranges whose bars are fetched and final; a job fetches only what its target minus
 * `covered` leaves, one provider window at a time, and adds each window to `covered`
 * right after its bars are written. So a job killed at any point resumes where it
 * stopped, re-fetching at most the window that was in flight.
 */
export class CreateBackfillCheckpoints1764000000200 implements MigrationInterface {
  name = 'CreateBackfillCheckpoints1764000000200';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE backfill_checkpoints (
        symbol               text           NOT NULL,
        timeframe            text           NOT NULL,
        covered              tstzmultirange NOT NULL DEFAULT '{}',
        requested            tstzmultirange NOT NULL DEFAULT '{}',
        state                text           NOT NULL DEFAULT 'pending'
                             CHECK (state IN ('pending', 'running', 'done', 'retrying', 'failed')),
        refreshed_at         timestamptz,
        next_run_at          timestamptz,
        bars                 bigint         NOT NULL DEFAULT 0,
        requests             bigint         NOT NULL DEFAULT 0,
        errors               integer        NOT NULL DEFAULT 0,
        consecutive_failures integer        NOT NULL DEFAULT 0,
        last_error           text,
        running_on           text,
        last_started_at      timestamptz,
        last_finished_at     timestamptz,
        created_at           timestamptz    NOT NULL DEFAULT now(),
        updated_at           timestamptz    NOT NULL DEFAULT now(),
        PRIMARY KEY (symbol, timeframe)
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE IF EXISTS backfill_checkpoints');
  }
}
