export * from './lifecycle';
export * from './postings';
export * from './order-view';
