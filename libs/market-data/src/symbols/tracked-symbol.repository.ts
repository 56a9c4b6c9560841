import { Injectable } from '@nestjs/common';
import type { ObjectLiteral, Repository } from 'typeorm';
import type { AssetClass, TimeframeValue } from '@app/core';
import { DatabaseService } from '@app/database';
import type { TrackedSymbol } from './tracked-symbol';
import { TrackedSymbolEntity } from './tracked-symbol.entity';

/** What PATCH /api/v1/symbol/{symbol}, PUT .../timeframes and PUT .../indicators may change. */
export type TrackedSymbolChanges = Partial<{
  timeframes: readonly TimeframeValue[];
  active: boolean;
  indicators: readonly string[] | null;
}>;

/**
 * The only code that reads and writes tracked_symbols: small CRUD through TypeORM's
 * repository and query builder over TrackedSymbolEntity. Writes answer the row as stored
 * (RETURNING), so a change and its result are one statement.
 */
@Injectable()
export class TrackedSymbolRepository {
  constructor(private readonly database: DatabaseService) {}

  /** Asked per call: the DataSource exists once connected, and is replaced after a reconnect. */
  private get table(): Repository<TrackedSymbolEntity> {
    return this.database.dataSource.getRepository(TrackedSymbolEntity);
  }

  async findAll(): Promise<TrackedSymbol[]> {
    return (await this.table.find({ order: { symbol: 'ASC' } })).map(toTrackedSymbol);
  }

  async findOne(symbol: string): Promise<TrackedSymbol | undefined> {
    const entity = await this.table.findOneBy({ symbol });
    return entity ? toTrackedSymbol(entity) : undefined;
  }

  /** Inserts a new row; undefined when the symbol is already tracked (nothing changes then). */
  async insert(
    symbol: string,
    timeframes: readonly TimeframeValue[],
    assetClass: AssetClass,
    indicators: readonly string[] | null,
  ): Promise<TrackedSymbol | undefined> {
    const result = await this.table
      .createQueryBuilder()
      .insert()
      .values({ symbol, timeframes: [...timeframes], assetClass, indicators: indicators && [...indicators] })
      .orIgnore()
      .returning('*')
      .updateEntity(false)
      .execute();
    return this.fromReturned(result.raw as ObjectLiteral[]);
  }

  /** Applies `changes` and moves updated_at; undefined when the symbol is not tracked. */
  async update(symbol: string, changes: TrackedSymbolChanges): Promise<TrackedSymbol | undefined> {
    const { timeframes, active, indicators } = changes;
    const result = await this.table
      .createQueryBuilder()
      .update()
      .set({
        ...(timeframes && { timeframes: [...timeframes] }),
        ...(active !== undefined && { active }),
        ...(indicators !== undefined && { indicators: indicators && [...indicators] }),
      })
      .where({ symbol })
      .returning('*')
      .updateEntity(false)
      .execute();
    return this.fromReturned(result.raw as ObjectLiteral[]);
  }

  /** Removes the row; false when the symbol was not tracked. */
  async delete(symbol: string): Promise<boolean> {
    return ((await this.table.delete({ symbol })).affected ?? 0) > 0;
  }

  /** RETURNING rows come back keyed by column name: hydrate them as TypeORM does for a find. */
  private fromReturned(rows: readonly ObjectLiteral[]): TrackedSymbol | undefined {
    if (rows.length === 0) return undefined;
    const { metadata, manager } = this.table;
    const entity = this.table.create();
    for (const column of metadata.columns) {
      column.setEntityValue(entity, manager.connection.driver.prepareHydratedValue(rows[0][column.databaseName], column));
    }
    return toTrackedSymbol(entity);
  }
}

function toTrackedSymbol(entity: TrackedSymbolEntity): TrackedSymbol {
  return {
    symbol: entity.symbol,
    timeframes: entity.timeframes as TimeframeValue[],
    indicators: entity.indicators,
    assetClass: entity.assetClass as AssetClass,
    active: entity.active,
    createdAt: entity.createdAt.getTime(),
    updatedAt: entity.updatedAt.getTime(),
  };
}
