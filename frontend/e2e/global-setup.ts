// Starts `flowmap serve --seed` twice on free ports, each on a fresh data dir: one open (loopback, no tokens), one
// requiring a bearer token. Both serve ../dist at /. Returns the teardown that stops them.
import { randomBytes } from 'node:crypto';
import { checkPrerequisites, startServer, stopServer } from '../scripts/flowmap-server.mjs';

export default async function globalSetup(): Promise<() => Promise<void>> {
  checkPrerequisites();
  const token = randomBytes(18).toString('hex');
  const servers = await Promise.allSettled([startServer('e2e-open'), startServer('e2e-auth', { FLOWMAP_API_TOKENS: `e2e:viewer:${token}` })]);
  const started = servers.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const stopAll = async () => {
    await Promise.all(started.map(stopServer));
  };
  const failed = servers.find((s) => s.status === 'rejected');
  if (failed?.status === 'rejected') {
    await stopAll();
    throw failed.reason;
  }
  const [open, locked] = started as [(typeof started)[number], (typeof started)[number]];
  // the open server must serve the dashboard at /
  const index = await fetch(`${open.url}/`);
  if (!index.ok || !(await index.text()).includes('id="root"')) {
    await stopAll();
    throw new Error(`${open.url}/ does not serve the dashboard: does flowmap mount frontend/dist at /?`);
  }
  process.env.FLOWMAP_E2E_URL = open.url;
  process.env.FLOWMAP_E2E_AUTH_URL = locked.url;
  process.env.FLOWMAP_E2E_TOKEN = token;
  return stopAll;
}
