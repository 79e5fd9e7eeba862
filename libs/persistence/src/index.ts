export * from './data-source';
export * from './databases';
