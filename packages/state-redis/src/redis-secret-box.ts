import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { InvalidConfigError } from '@krate/core';

/** Encrypts and decrypts shared credentials with AES-256-GCM. */
export interface SecretBox {
  seal(value: string, context: string): string;
  /** The value, or undefined when the ciphertext is not one this key sealed for this context. */
  open(sealed: string, context: string): string | undefined;
}

const VERSION = 'v1';

/**
 * Reads a 32-byte key given as bytes, 64 hex digits or base64 (44 characters). Anything
 * else is an `invalid_config` error that never prints the key.
 */
export function parseEncryptionKey(key: string | Uint8Array): Buffer {
  let bytes: Buffer | undefined;
  if (key instanceof Uint8Array) bytes = Buffer.from(key);
  else if (/^[0-9a-fA-F]{64}$/.test(key)) bytes = Buffer.from(key, 'hex');
  else if (/^[A-Za-z0-9+/_-]{43}=?$/.test(key)) bytes = Buffer.from(key.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (!bytes || bytes.length !== 32) {
    throw new InvalidConfigError({
      message: 'encryptionKey must be 32 bytes: a Uint8Array, 64 hex digits or base64 (e.g. `openssl rand -base64 32`)',
    });
  }
  return bytes;
}

/**
 * AES-256-GCM with a random 96-bit nonce per value; the Redis key is bound in as additional
 * data, so a sealed value copied under another key does not open.
 */
export function createSecretBox(key: string | Uint8Array): SecretBox {
  const secretKey = parseEncryptionKey(key);
  return {
    seal(value, context) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', secretKey, iv);
      cipher.setAAD(Buffer.from(context, 'utf8'));
      const body = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
      return [VERSION, iv.toString('base64'), cipher.getAuthTag().toString('base64'), body.toString('base64')].join('.');
    },
    open(sealed, context) {
      const [version, iv, tag, body] = sealed.split('.');
      if (version !== VERSION || !iv || !tag || body === undefined) return undefined;
      try {
        const decipher = createDecipheriv('aes-256-gcm', secretKey, Buffer.from(iv, 'base64'));
        decipher.setAAD(Buffer.from(context, 'utf8'));
        decipher.setAuthTag(Buffer.from(tag, 'base64'));
        return Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]).toString('utf8');
      } catch {
        return undefined;
      }
    },
  };
}
