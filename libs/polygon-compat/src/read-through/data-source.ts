/** What the X-Data-Source header says: served from the store as it was, or after fetching missing bars from the provider. */
export type DataSource = 'store' | 'provider';

export const DATA_SOURCE_HEADER = 'X-Data-Source';
