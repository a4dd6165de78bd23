/**
 * Platform cloud secrets, encrypted at rest: envelope encryption with AES-256-GCM (node:crypto). Each value gets a
 * data key of its own; the data key is wrapped by a key-encryption key the process is given, whose id is stored with
 * the value. Rotation adds a new key in front (it wraps from then on) and re-wraps the stored data keys; the old key
 * can go once nothing is wrapped with it. The database alone never reveals a secret.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** A stored secret: the data key wrapped by key `kid`, and the value encrypted with the data key. */
export interface Envelope {
  v: 1;
  kid: string;
  /** iv (12 bytes) | tag (16) | wrapped data key, base64 */
  wk: string;
  /** iv (12 bytes) | tag (16) | ciphertext, base64 */
  ct: string;
}

export function isEnvelope(value: unknown): value is Envelope {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return v.v === 1 && typeof v.kid === 'string' && typeof v.wk === 'string' && typeof v.ct === 'string';
}

function seal(key: Buffer, plain: Buffer): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
}

function unseal(key: Buffer, sealed: string): Buffer {
  const raw = Buffer.from(sealed, 'base64');
  const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]);
}

export class SecretKeyError extends Error {}

/** The keys a process holds; the first one wraps new values. */
export class SecretBox {
  private readonly keys: Map<string, Buffer>;
  readonly activeKid: string;

  constructor(keys: ReadonlyArray<{ kid: string; key: Buffer }>) {
    const [first] = keys;
    if (!first) throw new SecretKeyError('no secret key given');
    for (const k of keys) {
      if (k.key.length !== 32) throw new SecretKeyError(`secret key ${k.kid} is not 32 bytes`);
      if (!/^[A-Za-z0-9._-]{1,64}$/.test(k.kid)) throw new SecretKeyError(`secret key id "${k.kid}" is not valid`);
    }
    this.keys = new Map(keys.map((k) => [k.kid, k.key]));
    this.activeKid = first.kid;
  }

  /** `kid:base64key` lines or comma-separated entries; the first is the active key. */
  static parse(text: string): SecretBox {
    const entries = text
      .split(/[\n,]/)
      .map((s) => s.trim())
      .filter((s) => s && !s.startsWith('#'))
      .map((s) => {
        const i = s.indexOf(':');
        if (i <= 0) throw new SecretKeyError('a secret key is written kid:base64key');
        return { kid: s.slice(0, i), key: Buffer.from(s.slice(i + 1), 'base64') };
      });
    return new SecretBox(entries);
  }

  /** A file of keys next to an embedded database, created (0600) with a fresh key the first time. */
  static fromFile(path: string, createIfMissing: boolean): SecretBox {
    if (!existsSync(path)) {
      if (!createIfMissing) throw new SecretKeyError(`no secret key file at ${path}`);
      mkdirSync(dirname(path), { recursive: true });
      const kid = `k${new Date().toISOString().slice(0, 10).replaceAll('-', '')}`;
      writeFileSync(
        path,
        `# Peerlink's secret keys: the first wraps new secrets. Keep this file private.\n` +
          `${kid}:${randomBytes(32).toString('base64')}\n`,
        { mode: 0o600 },
      );
    }
    chmodSync(path, 0o600);
    return SecretBox.parse(readFileSync(path, 'utf8'));
  }

  has(kid: string): boolean {
    return this.keys.has(kid);
  }

  encrypt(value: unknown): Envelope {
    const dataKey = randomBytes(32);
    const ct = seal(dataKey, Buffer.from(JSON.stringify(value), 'utf8'));
    return { v: 1, kid: this.activeKid, wk: seal(this.key(this.activeKid), dataKey), ct };
  }

  decrypt(envelope: Envelope): unknown {
    const dataKey = unseal(this.key(envelope.kid), envelope.wk);
    return JSON.parse(unseal(dataKey, envelope.ct).toString('utf8'));
  }

  /** The same secret with its data key wrapped by the active key (the value itself is not re-encrypted). */
  rewrap(envelope: Envelope): Envelope {
    if (envelope.kid === this.activeKid) return envelope;
    const dataKey = unseal(this.key(envelope.kid), envelope.wk);
    return { ...envelope, kid: this.activeKid, wk: seal(this.key(this.activeKid), dataKey) };
  }

  private key(kid: string): Buffer {
    const key = this.keys.get(kid);
    if (!key) throw new SecretKeyError(`secret key ${kid} is not among the keys given to this process`);
    return key;
  }
}

/**
 * Where an embedded database keeps its secret keys when none are given: beside it, created on first start (0600).
 * PostgreSQL mode has no such default: every instance must be given the same keys.
 */
export function defaultKeyFile(databaseUrl: string): string | null {
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) return null;
  const path = databaseUrl.replace(/^sqlite:(\/\/)?/, '');
  return path === ':memory:' ? null : join(dirname(path), 'peerlink.keys');
}
