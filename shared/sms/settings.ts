import { z } from 'zod';

/** Behaviour settings of the custom SMS sender (`sms` in suite.json). */
export const smsSettingsSchema = z.object({});
