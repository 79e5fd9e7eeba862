export * from './backend-guard';
export * from './backend-http';
export * from './webhook-signature';
export * from './system.config';
export * from './on-hand';
export * from './on-hand.controller';
export * from './on-hand.dto';
