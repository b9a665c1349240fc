import { HttpResponse, http } from 'msw';
import { setupServer, type SetupServer } from 'msw/node';

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
