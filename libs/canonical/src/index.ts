export * from './stock';
export * from './reservation';
export * from './channel';
export * from './envelope';
export * from './scopes';
export * from './uuid';
export * from './geo';
