// Shared fixtures: the server's URL, console-error collection (any error fails the test), screenshots, axe.
import { test as base, expect, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
export const SCREENSHOTS = join(here, '..', 'test-results', 'screenshots');

export interface ConsoleGuard {
  errors: string[];
  /** Errors matching these are expected by the test (for example the browser's own log of a 401). */
  allow: (pattern: RegExp) => void;
}

export const test = base.extend<{ consoleGuard: ConsoleGuard }>({
  baseURL: async ({}, use) => {
    const url = process.env.FLOWMAP_E2E_URL;
    if (!url) throw new Error('FLOWMAP_E2E_URL is not set: run through `npm run e2e` (global setup starts the server)');
    await use(url);
  },
  consoleGuard: [
    async ({ page }, use) => {
      const errors: string[] = [];
      const allowed: RegExp[] = [];
      page.on('console', (msg) => {
        if (msg.type() === 'error') errors.push(`console.error: ${msg.text()} (${msg.location().url})`);
      });
      page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
      await use({ errors, allow: (p) => allowed.push(p) });
      const unexpected = errors.filter((e) => !allowed.some((p) => p.test(e)));
      expect(unexpected, 'browser console errors').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

interface AxeResult {
  violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[];
}

/** Runs axe-core (WCAG 2.1 A/AA rules, colour contrast included) on the page; returns the violations. */
export async function axeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  const result = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<unknown> } }).axe;
    return (await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })) as AxeResult;
  });
  return result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 5).join(', ')}`);
}

/** Waits until the overview's KPI numbers are on screen. */
export async function waitForKpis(page: Page): Promise<void> {
  await expect(page.getByTestId('kpis')).toBeVisible();
}
