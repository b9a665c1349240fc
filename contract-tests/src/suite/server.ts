import { HttpResponse, http } from 'msw';
import { setupServer, type SetupServer } from 'msw/node';
import type { ProviderPlugin } from '@krate/core';
import type { CaseEnvironment } from './types.js';

/**
 * An MSW server for the suite. Fakes' handlers are installed per case in front of
 * a catch-all that answers every other request with a network error and notes it,
 * so nothing ever reaches a real host and the case can name the stray request.
 */
export function createContractServer(): { server: SetupServer; unhandled: string[]; listen(): void; close(): void } {
  const unhandled: string[] = [];
  const catchAll = http.all('*', ({ request }) => {
    const url = new URL(request.url);
    unhandled.push(`${request.method} ${url.origin}${url.pathname}`);
    return HttpResponse.error();
  });
  const server = setupServer(catchAll);
  return {
    server,
    unhandled,
    listen() {
      server.listen({ onUnhandledRequest: 'error' });
    },
    close() {
      server.close();
    },
  };
}

/** The environment the cases of one base URL run in, served by a contract server. */
export function caseEnvironment<Config>(
  contract: ReturnType<typeof createContractServer>,
  options: { plugin: ProviderPlugin<Config>; createFake: CaseEnvironment<Config>['createFake']; baseUrl: string | undefined; variant?: CaseEnvironment<Config>['variant']; caseTimeoutMs: number | undefined },
): CaseEnvironment<Config> {
  return {
    plugin: options.plugin,
    createFake: options.createFake,
    ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
    ...(options.variant ? { variant: options.variant } : {}),
    use: (handlers) => contract.server.use(...handlers),
    resetHandlers: () => contract.server.resetHandlers(),
    unhandled: contract.unhandled,
    ...(options.caseTimeoutMs ? { caseTimeoutMs: options.caseTimeoutMs } : {}),
  };
}
