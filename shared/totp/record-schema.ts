import * as z from 'zod/mini';
import { TriggerError } from '../errors';

/**
 * The per-user TOTP record in the TOTP table (one item per user, `pk`
 * below). Secrets are KMS ciphertexts (`ct`); recovery codes exist only as
 * hashes (see shared/totp/recovery.ts). Nothing here is readable by the
 * user or by a client.
 */

const parameters = {
  algorithm: z.enum(['SHA1', 'SHA256', 'SHA512']),
  digits: z.int().check(z.gte(6), z.lte(8)),
  period: z.int().check(z.gte(15), z.lte(120)),
};
const bytes = z.custom<Uint8Array>(
  (value) => value instanceof Uint8Array && value.length > 0,
);
const recoverySchema = z.object({
  salt: z.string().check(z.minLength(16)),
  hashes: z.record(
    z.string().check(z.regex(/^c\d{1,2}$/)),
    z.string().check(z.minLength(16)),
  ),
  key: z.optional(bytes),
});

const recordSchema = z.object({
  active: z.optional(
    z.object({ ct: bytes, ...parameters, activatedAt: z.number() }),
  ),
  pending: z.optional(
    z.object({
      ct: bytes,
      ...parameters,
      origin: z.enum(['self', 'admin']),
      expiresAt: z.number(),
      rct: z.optional(bytes),
      recovery: z.optional(recoverySchema),
    }),
  ),
  recovery: z.optional(recoverySchema),
  lastStep: z.optional(z.int()),
  failures: z._default(z.int().check(z.gte(0)), 0),
  lockouts: z._default(z.int().check(z.gte(0)), 0),
  lockedUntil: z.optional(z.number()),
});

/** A user's TOTP record. */
export type TotpRecord = z.output<typeof recordSchema>;
/** An enrolled (active) secret. */
export type ActiveSecret = NonNullable<TotpRecord['active']>;
/** A secret waiting for its first verified code. */
export type PendingSecret = NonNullable<TotpRecord['pending']>;

/** A stored record that does not have the expected shape. */
export class CorruptRecordError extends TriggerError {
  override name = 'CorruptRecordError';
}

/**
 * Validates an item read from the table.
 *
 * @param item - the unmarshalled item, or `undefined` when absent
 * @throws {@link CorruptRecordError} naming the bad fields, never values
 */
export function parseRecord(item: unknown): TotpRecord {
  const result = recordSchema.safeParse(item ?? {});
  if (result.success) return result.data;
  const fields = result.error.issues.map((issue) => issue.path.join('.'));
  throw new CorruptRecordError(`corrupt TOTP record: ${fields.join(', ')}`);
}
