import { Injectable } from '@nestjs/common';
import { AppConfigService } from '@app/config';
import { type IndicatorLists, MAX_TRACKED_INDICATORS } from '@app/market-data';
import { parseIndicatorList } from '../spec/parse-indicator-spec';

/** Tracked symbols' indicator lists, checked by the same parser as requests; the default list is checked at start. */
@Injectable()
export class IndicatorListPolicy implements IndicatorLists {
  readonly defaults: readonly string[];

  constructor(config: AppConfigService) {
    // A bad ENRICHMENT_DEFAULT_INDICATORS stops the start with the setting's name and the reason.
    this.defaults = this.normalise(config.get('ENRICHMENT_DEFAULT_INDICATORS'), 'ENRICHMENT_DEFAULT_INDICATORS');
  }

  normalise(list: string | readonly string[], field: string): string[] {
    return parseIndicatorList(list, field, MAX_TRACKED_INDICATORS).map((spec) => spec.key);
  }
}
