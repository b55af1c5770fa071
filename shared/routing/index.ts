export * from './identity-chain';
export * from './plan';
export * from './sns-regions';
