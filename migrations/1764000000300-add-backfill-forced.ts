import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * backfill_checkpoints.forced: ranges a forced backfill (POST .../backfill with `force: true`,
 * the CLI's --force) must read again from the provider although `covered` holds them, e.g.
 * after the provider corrected bars. A job fetches them like missing ranges and removes each
 * window from `forced` when its bars are written, so a restart resumes the re-read too.
 */
export class AddBackfillForced1764000000300 implements MigrationInterface {
  name = 'AddBackfillForced1764000000300';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE backfill_checkpoints ADD COLUMN forced tstzmultirange NOT NULL DEFAULT '{}'`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE backfill_checkpoints DROP COLUMN IF EXISTS forced');
  }
}
