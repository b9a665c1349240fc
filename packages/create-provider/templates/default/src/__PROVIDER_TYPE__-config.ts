import { SecretInputSchema, TransportConfigSchema, z } from '@krate/core';

export const __PASCAL__ConfigSchema = z
  .object({
    /** API base URL, path prefix included. Default `https://api.__PROVIDER_TYPE__.example`. */
    baseUrl: z.string().url().default('https://api.__PROVIDER_TYPE__.example'),
    /** API token: a value or `{ secretRef: { name, key } }` resolved by the host. Required. */
    token: SecretInputSchema,
    /** Secret the vendor signs webhook deliveries with. Required to receive webhooks. */
    webhookSecret: SecretInputSchema.optional(),
    /** How old a signed webhook timestamp may be, in seconds. Default 300. */
    webhookToleranceSeconds: z.number().int().positive().default(300),
    ...TransportConfigSchema.shape,
  })
  .strict();

export type __PASCAL__Config = z.output<typeof __PASCAL__ConfigSchema>;
export type __PASCAL__ConfigInput = z.input<typeof __PASCAL__ConfigSchema>;
