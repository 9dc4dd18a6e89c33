// The Algolia lite client, pointed at the read API that served this page.
import { liteClient } from 'algoliasearch/lite';

// The client refuses to start without them. 'public' is the read API's placeholder for
// "no key" (CATALOG_PUBLIC_API_KEY): a public shop's storefront needs none.
const APP_ID = 'catalog';
const API_KEY = 'public';

/** The one host every request goes to: this page's own origin, never Algolia's servers. */
export function ownOriginHost(location) {
  return {
    url: location.host, // host:port, so the port is kept
    protocol: location.protocol.replace(':', ''),
    accept: 'readWrite',
  };
}

/** A search client whose only host is this page's origin (so it never retries elsewhere). */
export function createSearchClient(location = window.location) {
  return liteClient(APP_ID, API_KEY, {
    hosts: [ownOriginHost(location)],
    // a cold Elasticsearch can take longer than the client's 2 s read default
    timeouts: { connect: 2000, read: 15000, write: 30000 },
  });
}
