import { LOCAL_REGION } from './provision';

/**
 * Static, fake credentials and the local region for processes that talk to
 * the local stack (moto accepts any credentials). Never overrides what the
 * caller set.
 */
export function useLocalCredentials(): void {
  process.env.AWS_ACCESS_KEY_ID ??= 'local';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
  process.env.AWS_REGION ??= LOCAL_REGION;
}
