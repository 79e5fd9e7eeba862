export * from './availability-read-model';
export * from './redis';
