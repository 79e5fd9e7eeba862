export * from './api-clients';
