export * from './catalog-file';
export * from './csv.parser';
export * from './catalog-json.parser';
export * from './catalog-csv.parser';
export * from './catalog.validator';
export * from './catalog.loader';
