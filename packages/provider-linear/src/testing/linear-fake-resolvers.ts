import type { LinearFakeState } from './linear-fake-state.js';

/** A field resolver of the fake: the parent record, the field's arguments, the fake's state. */
export type FakeResolver = (source: any, args: any, state: LinearFakeState) => unknown;

/** Resolvers by type name and field name; fields without one read the record's property of the same name. */
export type FakeResolverMap = Record<string, Record<string, FakeResolver>>;

/** Merges the resolver maps of the fake's modules. */
export function mergeResolvers(...maps: FakeResolverMap[]): FakeResolverMap {
  const out: FakeResolverMap = {};
  for (const map of maps) for (const [type, fields] of Object.entries(map)) out[type] = { ...out[type], ...fields };
  return out;
}
