import { InvalidInputError, type DesiredDeployKey, type SyncResult } from '@krate/core';

/** A deploy key as GitHub lists it (only what the plan needs). */
export interface ActualDeployKey {
  id: number;
  title: string;
  key: string;
  read_only: boolean;
}

/** What syncDeployKeys will do: deletes first, then creates (GitHub keys cannot be edited). */
export interface DeployKeyPlan {
  deletes: ActualDeployKey[];
  creates: Array<{ title: string; key: string; readOnly: boolean }>;
  result: SyncResult;
}

/** `ssh-ed25519 AAAA... comment` -> `ssh-ed25519 AAAA...` (GitHub drops the comment). */
export function normalizePublicKey(key: string): string {
  const [type = '', material = ''] = key.trim().split(/\s+/);
  return `${type} ${material}`;
}

/** A short, printable form of a public key for drift reports: type and the last 12 characters. */
export function abbreviatePublicKey(key: string): string {
  const [type = '', material = ''] = normalizePublicKey(key).split(' ');
  return material.length > 12 ? `${type} ...${material.slice(-12)}` : `${type} ${material}`;
}

/**
 * Plans a deploy key sync. A desired key matches the actual key with the same key
 * material, else the actual key with the same title. A match whose title, key or
 * read-only flag differs is `updated` (a delete and a create, with drift per
 * field); no match is `created`; actual keys nothing matched are `deleted` when
 * `prune` is on. Names in the result are titles.
 */
export function planDeployKeySync(actual: ActualDeployKey[], desired: DesiredDeployKey[], prune: boolean): DeployKeyPlan {
  const titles = new Set<string>();
  const materials = new Set<string>();
  for (const d of desired) {
    const material = normalizePublicKey(d.key);
    if (titles.has(d.title)) {
      throw new InvalidInputError({ provider: 'github', operation: 'syncDeployKeys', message: `deploy key title "${d.title}" is desired twice` });
    }
    if (materials.has(material)) {
      throw new InvalidInputError({
        provider: 'github',
        operation: 'syncDeployKeys',
        message: `the key of "${d.title}" is desired twice (GitHub allows a key once per repository)`,
      });
    }
    titles.add(d.title);
    materials.add(material);
  }

  const result: SyncResult = { created: [], updated: [], deleted: [], unchanged: [], drift: [] };
  const deletes: ActualDeployKey[] = [];
  const creates: DeployKeyPlan['creates'] = [];
  const matched = new Set<number>();
  const byMaterial = new Map(actual.map((a) => [normalizePublicKey(a.key), a]));

  const pending: Array<{ desired: DesiredDeployKey; readOnly: boolean; material: string }> = [];
  for (const d of desired) pending.push({ desired: d, readOnly: d.readOnly ?? true, material: normalizePublicKey(d.key) });

  // Key material first: it is what GitHub keeps unique.
  const unmatched: typeof pending = [];
  const pairs: Array<{ want: (typeof pending)[number]; have: ActualDeployKey }> = [];
  for (const want of pending) {
    const have = byMaterial.get(want.material);
    if (have && !matched.has(have.id)) {
      matched.add(have.id);
      pairs.push({ want, have });
    } else unmatched.push(want);
  }
  // Then the title: a key replaced under the same name.
  for (const want of unmatched) {
    const have = actual.find((a) => !matched.has(a.id) && a.title === want.desired.title);
    if (have) {
      matched.add(have.id);
      pairs.push({ want, have });
    } else {
      result.created.push(want.desired.title);
      creates.push({ title: want.desired.title, key: want.material, readOnly: want.readOnly });
    }
  }

  for (const { want, have } of pairs) {
    const name = want.desired.title;
    const drift: SyncResult['drift'] = [];
    if (have.title !== name) drift.push({ name, field: 'title', expected: name, actual: have.title });
    if (normalizePublicKey(have.key) !== want.material) {
      drift.push({ name, field: 'key', expected: abbreviatePublicKey(want.material), actual: abbreviatePublicKey(have.key) });
    }
    if (have.read_only !== want.readOnly) drift.push({ name, field: 'readOnly', expected: want.readOnly, actual: have.read_only });
    if (drift.length === 0) {
      result.unchanged.push(name);
      continue;
    }
    result.updated.push(name);
    result.drift.push(...drift);
    deletes.push(have);
    creates.push({ title: name, key: want.material, readOnly: want.readOnly });
  }

  for (const have of actual) {
    if (matched.has(have.id)) continue;
    if (prune) {
      result.deleted.push(have.title);
      deletes.push(have);
    }
  }
  // Keys are added in the order they are desired (GitHub lists them oldest first).
  const order = new Map(desired.map((d, i) => [d.title, i]));
  creates.sort((a, b) => (order.get(a.title) ?? 0) - (order.get(b.title) ?? 0));
  return { deletes, creates, result };
}
