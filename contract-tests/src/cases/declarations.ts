import { OPERATIONS, declaredWebhooks, type InterfaceName } from '@krate/core';
import { check, expectProviderError, show } from '../suite/assert.js';
import type { ContractCase } from '../suite/types.js';
import type { PlanEnv } from './plan-env.js';

const DUMMY_REF = { scope: 'krate-contract/none', id: '1' };

/** Every declared operation is a function; a manifest with webhook events has a receiver. */
export function declaredCase(iface: InterfaceName, env: PlanEnv): ContractCase {
  return {
    interface: iface,
    family: 'declaration',
    id: `${iface}.declared`,
    title: 'the interface is present and every declared operation is a function on the instance',
    async run(ctx) {
      const target = ctx.rawInstance[iface] as unknown as Record<string, unknown> | undefined;
      check(target && typeof target === 'object', `the manifest declares ${iface} but the instance has no ${iface}`);
      check(ctx.rawInstance.supports(iface), `instance.supports('${iface}') is false`);
      for (const name of env.declared[iface]) {
        check(typeof target[name] === 'function', `${iface}.${name} is declared but not a function on the instance`);
        check(ctx.rawInstance.supports(iface, name), `instance.supports('${iface}', '${name}') is false`);
      }
      if (declaredWebhooks(ctx.manifest, iface).length > 0) {
        check(typeof ctx.rawInstance.webhooks?.receive === 'function', `the manifest declares ${iface} webhook events but the instance has no webhooks.receive`);
      }
    },
  };
}

/** A canonical operation the manifest leaves out is refused before any request. */
export function undeclaredOperationCases(iface: InterfaceName, env: PlanEnv): ContractCase[] {
  return OPERATIONS.filter((o) => o.interface === iface && !env.declared[iface].has(o.name)).map((info) => ({
    interface: iface,
    operation: info.name,
    family: 'declaration' as const,
    id: `${iface}.${info.name}.unsupported`,
    title: 'an undeclared operation throws unsupported_operation and sends no request',
    passStatus: 'unsupported' as const,
    async run(ctx) {
      check(!ctx.rawInstance.supports(iface, info.name), `instance.supports('${iface}', '${info.name}') is true but the manifest does not declare it`);
      const fn = (ctx.rawInstance[iface] as unknown as Record<string, unknown>)[info.name];
      if (fn === undefined) return; // absent is as good as refused
      check(typeof fn === 'function', `${iface}.${info.name} is ${show(fn)} on the instance`);
      const mark = ctx.mark();
      const args = info.args.map((_, i) => (i === 0 ? (info.name.startsWith('create') ? { scope: DUMMY_REF.scope } : DUMMY_REF) : undefined));
      await expectProviderError('unsupported_operation', () => (fn as (...a: unknown[]) => Promise<unknown>)(...args), `${iface}.${info.name}`);
      const sent = ctx.requestsSince(mark);
      check(sent.length === 0, `${iface}.${info.name} is undeclared but sent ${sent.length} request(s)`);
    },
  }));
}

/** An interface the manifest does not declare is absent from the instance. */
export function absentInterfaceCase(iface: InterfaceName): ContractCase {
  return {
    interface: iface,
    family: 'declaration',
    id: `${iface}.absent`,
    title: 'an undeclared interface is absent from the instance and supports() says so',
    passStatus: 'unsupported',
    async run(ctx) {
      check(ctx.rawInstance[iface] === undefined, `the manifest does not declare ${iface} but the instance has it`);
      check(!ctx.rawInstance.supports(iface), `instance.supports('${iface}') is true`);
      for (const info of OPERATIONS.filter((o) => o.interface === iface)) {
        check(!ctx.rawInstance.supports(iface, info.name), `instance.supports('${iface}', '${info.name}') is true`);
      }
      check(ctx.fake.requests.length === 0, `creating the instance sent ${ctx.fake.requests.length} request(s)`);
    },
  };
}
