// Start and stop `flowmap serve --seed` for the e2e tests and the measurement: a free port, a fresh data dir,
// the built dashboard (frontend/dist) served at /. Used by e2e/global-setup.ts and scripts/measure.mjs.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const FRONTEND = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const DIST = join(FRONTEND, 'dist');
const FLOWMAP = process.env.FLOWMAP_BIN ?? join(FRONTEND, '..', '.venv', 'bin', 'flowmap');
const HEALTH_TIMEOUT_MS = 60_000;

/**
 * @typedef {object} Server
 * @property {string} url
 * @property {import('node:child_process').ChildProcess} child
 * @property {string} dataDir
 * @property {string[]} log
 */

/** @returns {Promise<number>} */
function freePort() {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => ok(port));
    });
  });
}

/** Throws with a hint when dist/ or the flowmap CLI is missing. */
export function checkPrerequisites() {
  if (!existsSync(join(DIST, 'index.html'))) throw new Error('frontend/dist is not built: run `npm run build` first.');
  if (!existsSync(FLOWMAP)) throw new Error(`${FLOWMAP} is missing: run \`make install\` in the repository root first.`);
}

/**
 * Start a seeded server and wait until /healthz says ok.
 * @param {string} name  a label for errors and the temp dir
 * @param {Record<string, string>} [env]  extra FLOWMAP_* settings (for example FLOWMAP_API_TOKENS)
 * @returns {Promise<Server>}
 */
export async function startServer(name, env = {}) {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), `flowmap-${name}-`));
  /** @type {string[]} */
  const log = [];
  const child = spawn(FLOWMAP, ['serve', '--seed', '--port', String(port)], {
    cwd: FRONTEND,
    env: { ...process.env, FLOWMAP_DATA_DIR: dataDir, FLOWMAP_HOST: '127.0.0.1', FLOWMAP_FRONTEND_DIR: DIST, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group, so stopping it takes any children with it
  });
  child.stdout?.on('data', (d) => log.push(String(d)));
  child.stderr?.on('data', (d) => log.push(String(d)));
  const server = { url: `http://127.0.0.1:${port}`, child, dataDir, log };
  const deadline = Date.now() + HEALTH_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      await stopServer(server);
      throw new Error(`flowmap serve (${name}) exited with ${child.exitCode}:\n${log.join('')}`);
    }
    try {
      const r = await fetch(`${server.url}/healthz`);
      if (r.ok && /** @type {{status?: string}} */ (await r.json()).status === 'ok') return server;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  await stopServer(server);
  throw new Error(`flowmap serve (${name}) was not healthy within ${HEALTH_TIMEOUT_MS / 1000}s:\n${log.join('')}`);
}

/**
 * Stop a server we started (its process group, by id) and remove its data dir.
 * @param {Server} server
 * @returns {Promise<void>}
 */
export function stopServer(server) {
  return new Promise((done) => {
    const finish = () => {
      rmSync(server.dataDir, { recursive: true, force: true });
      done();
    };
    const pid = server.child.pid;
    if (server.child.exitCode !== null || server.child.signalCode !== null || !pid) return finish();
    server.child.once('exit', finish);
    try {
      process.kill(-pid, 'SIGTERM');
    } catch {
      server.child.removeListener('exit', finish);
      return finish();
    }
    setTimeout(() => {
      if (server.child.exitCode === null && server.child.signalCode === null) {
        try {
          process.kill(-pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }, 5_000).unref();
  });
}
