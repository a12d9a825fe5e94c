// `npm run measure`: the production bundle's size and the overview's time to first render on the seed map.
// Builds nothing: run `npm run build` first. Writes measure.json and prints it.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { checkPrerequisites, DIST, FRONTEND, startServer, stopServer } from './flowmap-server.mjs';

const LOADS = 5;
const KPI_MARK = 'flowmap:kpis-rendered';

/** @param {number[]} xs */
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
};
/** @param {number} n */
const round = (n) => Math.round(n * 10) / 10;

function bundleSize() {
  const assets = join(DIST, 'assets');
  const index = readFileSync(join(DIST, 'index.html'), 'utf8');
  const files = readdirSync(assets)
    .filter((f) => f.endsWith('.js') || f.endsWith('.css'))
    .sort()
    .map((f) => {
      const buf = readFileSync(join(assets, f));
      return {
        file: `assets/${f}`,
        bytes: statSync(join(assets, f)).size,
        gzipBytes: gzipSync(buf, { level: 9 }).length,
        // loaded by index.html itself (entry script, its CSS and preloads); the rest load on demand
        initial: index.includes(`assets/${f}`),
      };
    });
  /** @param {typeof files} list */
  const sum = (list) => ({
    bytes: list.reduce((n, f) => n + f.bytes, 0),
    gzipBytes: list.reduce((n, f) => n + f.gzipBytes, 0),
  });
  return {
    total: sum(files),
    js: sum(files.filter((f) => f.file.endsWith('.js'))),
    css: sum(files.filter((f) => f.file.endsWith('.css'))),
    initial: sum(files.filter((f) => f.initial)),
    files,
  };
}

/** @param {string} url */
async function firstRender(url) {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
  });
  try {
    /** @type {{ kpisMs: number, domContentLoadedMs: number, loadMs: number }[]} */
    const cold = [];
    // one load first, not counted: it warms the server (its snapshot cache), not the browser
    for (let i = -1; i < LOADS; i += 1) {
      // a fresh context per load: empty cache, as a first visit
      const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
      const page = await context.newPage();
      await page.goto(`${url}/`, { waitUntil: 'load' });
      await page.waitForSelector('[data-testid="kpis"][data-ready="true"] .kpi-value');
      const t = await page.evaluate((mark) => {
        const m = performance.getEntriesByName(mark)[0];
        const nav = /** @type {PerformanceNavigationTiming | undefined} */ (performance.getEntriesByType('navigation')[0]);
        return { kpisMs: m ? m.startTime : performance.now(), domContentLoadedMs: nav?.domContentLoadedEventEnd ?? 0, loadMs: nav?.loadEventEnd ?? 0 };
      }, KPI_MARK);
      if (i >= 0) cold.push(t);
      await context.close();
    }
    return cold;
  } finally {
    await browser.close();
  }
}

checkPrerequisites();
const bundle = bundleSize();
const server = await startServer('measure');
let loads;
try {
  loads = await firstRender(server.url);
} finally {
  await stopServer(server);
}
const kpis = loads.map((l) => l.kpisMs);
const result = {
  measuredAt: new Date().toISOString(),
  machine: { cpus: (await import('node:os')).cpus().length, node: process.version },
  bundle: {
    note: 'dist/assets/*.js and *.css; gzip is zlib level 9; "initial" is what index.html loads before any view chunk',
    totalBytes: bundle.total.bytes,
    totalGzipBytes: bundle.total.gzipBytes,
    jsBytes: bundle.js.bytes,
    jsGzipBytes: bundle.js.gzipBytes,
    cssBytes: bundle.css.bytes,
    cssGzipBytes: bundle.css.gzipBytes,
    initialBytes: bundle.initial.bytes,
    initialGzipBytes: bundle.initial.gzipBytes,
    files: bundle.files,
  },
  firstRender: {
    note: `overview at / on the seed map, cold browser cache (a fresh context per load), ${LOADS} loads after one unmeasured load that warms the server; ms from navigation start until the KPI numbers are rendered (performance mark ${KPI_MARK})`,
    loads: LOADS,
    medianMs: round(median(kpis)),
    minMs: round(Math.min(...kpis)),
    maxMs: round(Math.max(...kpis)),
    medianDomContentLoadedMs: round(median(loads.map((l) => l.domContentLoadedMs))),
    samplesMs: kpis.map(round),
  },
};
writeFileSync(join(FRONTEND, 'measure.json'), `${JSON.stringify(result, null, 2)}\n`);
console.log(JSON.stringify(result, null, 2));
