// For the type check only (tsconfig.assets.json): stands where the API serves the chart library
// (./vendor/lightweight-charts.mjs, from node_modules), so the modules importing it get its types.
export * from 'lightweight-charts';
