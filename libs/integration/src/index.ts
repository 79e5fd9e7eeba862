export * from './backend-guard';
export * from './backend-http';
export * from './webhook-signature';
export * from './system.config';
