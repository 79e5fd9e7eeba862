export * from './channel-api.config';
export * from './api-key.gate';
export * from './api-key.guard';
export * from './channel-api.providers';
export * from './channel-api.readiness';
export * from './process-api.client';
export * from './retry-after.interceptor';
