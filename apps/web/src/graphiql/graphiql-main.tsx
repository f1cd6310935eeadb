import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { GraphiQL } from 'graphiql';
import 'graphiql/setup-workers/vite';
import 'graphiql/style.css';
import { createRoot } from 'react-dom/client';
import { GraphqlClient } from '../api/graphql-client';

/**
 * GraphiQL against this server's /graphql, bundled from npm (no CDN) as its own entry so the
 * editor never weighs on the app. Requests carry the signed-in member's access token (renewed
 * from the app's session cookie) unless the headers editor sets an Authorization header, e.g. an API key.
 */
const session = new GraphqlClient();

async function sessionToken(): Promise<string | undefined> {
  if (!session.tokens.accessToken && session.tokens.hasSession) {
    try {
      await session.refresh();
    } catch {
      // Offline or server error: send the request without a token and let GraphiQL show the answer.
    }
  }
  return session.tokens.accessToken;
}

const fetcher = createGraphiQLFetcher({
  url: '/graphql',
  enableIncrementalDelivery: false,
  fetch: async (input, init) => {
    const headers = new Headers(init?.headers);
    if (!headers.has('authorization')) {
      const token = await sessionToken();
      if (token) headers.set('authorization', `Bearer ${token}`);
    }
    headers.set('content-type', 'application/json');
    return fetch(input, { ...init, headers });
  },
});

const DEFAULT_QUERY = `# Welcome to the Sharepool API.
# Requests use your signed-in session; to try an API key, set
#   {"Authorization": "Bearer <key>"}
# in the Headers tab below.

query Me {
  viewer {
    member {
      handle
      role
    }
    creditBalance
  }
}
`;

createRoot(document.getElementById('graphiql')!).render(<GraphiQL fetcher={fetcher} defaultQuery={DEFAULT_QUERY} />);
