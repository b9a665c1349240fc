import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  Kind,
  buildSchema,
  getNamedType,
  isLeafType,
  isObjectType,
  isInterfaceType,
  valueFromASTUntyped,
  type DocumentNode,
  type FieldNode,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

/** Linear's cap on the complexity of a single query. */
export const LINEAR_MAX_COMPLEXITY = 10_000;

/** Linear's default page size when a connection names no `first`/`last`. */
const DEFAULT_CONNECTION_SIZE = 50;

let cached: GraphQLSchema | undefined;

/**
 * Linear's GraphQL schema (vendored with the package, MIT), built once per process:
 * building it takes a couple of seconds.
 */
export function linearSchema(): GraphQLSchema {
  if (!cached) {
    const path = fileURLToPath(new URL('../../schema/linear-schema.graphql', import.meta.url));
    cached = buildSchema(readFileSync(path, 'utf8'), { assumeValidSDL: true });
  }
  return cached;
}

function argumentValue(
  node: { arguments?: readonly { name: { value: string }; value: import('graphql').ValueNode }[] },
  name: string,
  variables: Record<string, unknown>,
): unknown {
  const arg = node.arguments?.find((a) => a.name.value === name);
  if (!arg) return undefined;
  return valueFromASTUntyped(arg.value, variables);
}

/** The fields a selection set selects on `type`, fragment spreads and inline fragments expanded. */
function fieldsOf(
  schema: GraphQLSchema,
  set: SelectionSetNode | undefined,
  type: GraphQLNamedType,
  document: DocumentNode,
): Array<{ node: FieldNode; type: GraphQLNamedType }> {
  const out: Array<{ node: FieldNode; type: GraphQLNamedType }> = [];
  for (const selection of set?.selections ?? []) {
    if (selection.kind === Kind.FIELD) {
      out.push({ node: selection, type });
      continue;
    }
    if (selection.kind === Kind.INLINE_FRAGMENT) {
      const on = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : type;
      if (on) out.push(...fieldsOf(schema, selection.selectionSet, on, document));
      continue;
    }
    const fragment = document.definitions.find((d) => d.kind === Kind.FRAGMENT_DEFINITION && d.name.value === selection.name.value);
    if (fragment && fragment.kind === Kind.FRAGMENT_DEFINITION) {
      const on = schema.getType(fragment.typeCondition.name.value);
      if (on) out.push(...fieldsOf(schema, fragment.selectionSet, on, document));
    }
  }
  return out;
}

function selectionCost(
  schema: GraphQLSchema,
  set: SelectionSetNode | undefined,
  type: GraphQLNamedType,
  variables: Record<string, unknown>,
  document: DocumentNode,
): number {
  let total = 0;
  for (const { node, type: on } of fieldsOf(schema, set, type, document)) {
    if (node.name.value === '__typename' || !(isObjectType(on) || isInterfaceType(on))) continue;
    const field = on.getFields()[node.name.value];
    if (!field) continue;
    const named = getNamedType(field.type);
    if (isLeafType(named)) {
      total += 0.1;
      continue;
    }
    if (named.name.endsWith('Connection') && isObjectType(named)) {
      const first = argumentValue(node, 'first', variables) ?? argumentValue(node, 'last', variables);
      const size = typeof first === 'number' ? first : DEFAULT_CONNECTION_SIZE;
      let inner = 0;
      for (const sub of fieldsOf(schema, node.selectionSet, named, document)) {
        const subField = named.getFields()[sub.node.name.value];
        if (!subField) continue;
        const subType = getNamedType(subField.type);
        if (sub.node.name.value === 'nodes' || sub.node.name.value === 'edges') {
          inner += size * (1 + selectionCost(schema, sub.node.selectionSet, subType, variables, document));
        } else {
          inner += isLeafType(subType) ? 0.1 : 1 + selectionCost(schema, sub.node.selectionSet, subType, variables, document);
        }
      }
      total += 1 + inner;
      continue;
    }
    total += 1 + selectionCost(schema, node.selectionSet, named, variables, document);
  }
  return total;
}

/**
 * The complexity of an operation as Linear documents it: 0.1 point per scalar field, 1
 * per object, and a connection multiplies the cost of its nodes by its `first` (or
 * `last`, default 50); rounded up.
 */
export function queryComplexity(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown>): number {
  const root = operation.operation === 'mutation' ? schema.getMutationType() : schema.getQueryType();
  if (!root) return 0;
  return Math.ceil(selectionCost(schema, operation.selectionSet, root, variables, document) - 1e-9);
}
