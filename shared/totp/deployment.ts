import type { Config } from '../config';
import { provideSection } from '../lazy-settings';
import type { TotpDeployment } from './context';
import { totpSettingsSchema } from './settings';

/**
 * The TOTP deployment of a validated configuration: the TOTP table, the
 * TOTP key, the `totp` settings and the real clock.
 *
 * @param config - the process's configuration
 */
export function totpDeploymentOf(config: Config): TotpDeployment {
  provideSection('totp', totpSettingsSchema);
  return Object.freeze({
    table: config.env.TOTP_TABLE,
    keyArn: config.env.TOTP_KEY_ARN,
    settings: config.settings.totp,
    now: () => Date.now(),
  });
}
