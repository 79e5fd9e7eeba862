export * from './availability-change-feed';
export * from './availability-read-model';
export * from './redis';
export * from './redis-probe';
export * from './read-model.providers';
export * from './read-model-rebuilding.error';
