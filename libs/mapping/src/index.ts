export * from './mappings';
export * from './mapping.module';
