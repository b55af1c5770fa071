export * from './parse';
export * from './schemas';
export * from './trigger-sources';
