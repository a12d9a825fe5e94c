// The dashboard against the seed map, served by `flowmap serve` (same origin as /graphql).
import { readFileSync } from 'node:fs';
import { axeViolations, expect, screenshot, test, waitForKpis } from './fixtures';

const row = (page: import('@playwright/test').Page, selector: string) => page.locator(selector);

test.describe('overview', () => {
  test('shows KPIs, the map with the US marked, and invalid mechanisms marked', async ({ page }) => {
    await page.goto('/');
    await waitForKpis(page);
    const transfers = Number(await page.getByTestId('kpi-transfers').locator('.kpi-value').textContent());
    expect(transfers).toBeGreaterThan(0);
    expect(Number(await page.getByTestId('kpi-non-compliant').locator('.kpi-value').textContent())).toBeGreaterThanOrEqual(1);
    await expect(page.getByTestId('kpi-countries')).toContainText('destination not stated');
    await expect(page.getByTestId('disclaimer')).toContainText('not legal advice');

    const us = page.locator('[data-testid="world-map"] [data-country="US"]');
    await expect(us).toHaveAttribute('data-status', 'NON_COMPLIANT');
    await expect(us).toHaveAttribute('aria-label', /United States: Non-compliant/);
    await expect(page.getByTestId('not-stated')).toContainText(/\d+ transfers go where the sources do not say/);
    await expect(row(page, '[data-testid="exposure-table"] tr[data-destination="?"]')).toContainText('Destination not stated');

    const shield = row(page, '[data-testid="mechanism-table"] tr[data-mechanism="PRIVACY_SHIELD_EU_US"]');
    await expect(shield).toHaveAttribute('data-validity', 'ENDED');
    await expect(shield).toContainText('Invalid since 2020-07-16');
    await expect(row(page, '[data-testid="mechanism-table"] tr[data-mechanism="DPF_EU_US"]')).toHaveAttribute('data-validity', 'VALID');
    await expect(page.getByTestId('mechanism-chart').locator('svg')).toBeVisible();

    const interactions = row(page, '[data-testid="transfers-table"] tr[data-client="demo.client-de"][data-importer="interactions"]');
    await expect(interactions).toHaveAttribute('data-status', 'NON_COMPLIANT');
    await expect(interactions).toContainText('Non-compliant');

    // the map is keyboard-operable: focus the US and open its details
    await us.focus();
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('map-detail')).toContainText('United States');
    await screenshot(page, 'overview');
  });

  test('the as-of date 2020-07-15 turns the Privacy Shield flows compliant, and survives a reload', async ({ page }) => {
    await page.goto('/');
    await waitForKpis(page);
    await page.getByLabel('As of', { exact: true }).fill('2020-07-15');
    await expect(page).toHaveURL(/asOf=2020-07-15/);
    await expect(page.getByTestId('page-asof')).toHaveText('15 July 2020');
    const flow = row(page, '[data-testid="transfers-table"] tr[data-client="demo.client-de"][data-importer="interactions"]');
    await expect(flow).toHaveAttribute('data-status', 'COMPLIANT');
    await expect(flow.locator('[data-basis]')).toHaveText('EU-US Privacy Shield');
    await expect(page.locator('[data-testid="world-map"] [data-country="US"]')).toHaveAttribute('data-status', 'COMPLIANT');
    await expect(row(page, '[data-testid="mechanism-table"] tr[data-mechanism="PRIVACY_SHIELD_EU_US"]')).toHaveAttribute('data-validity', 'VALID');

    await page.reload();
    await expect(page.getByTestId('page-asof')).toHaveText('15 July 2020');
    await expect(flow).toHaveAttribute('data-status', 'COMPLIANT');

    // the date carries over to the other views
    await page.getByRole('link', { name: 'Findings' }).click();
    await expect(page).toHaveURL(/#\/findings\?asOf=2020-07-15/);
    await expect(page.getByTestId('findings-table')).toBeVisible();
    await expect(page.locator('[data-testid="findings-table"] tr[data-rule="INVALIDATED_MECHANISM"][data-subject="engagement:demo.client-de>interactions"]')).toHaveCount(0);

    // a preset moves to the day Schrems II applied: the flow is no longer covered by the Privacy Shield
    await page.getByLabel('Key legal dates').selectOption('2020-07-16');
    await expect(page).toHaveURL(/asOf=2020-07-16/);
    await page.getByRole('link', { name: 'Overview' }).click();
    await expect(flow).not.toHaveAttribute('data-status', 'COMPLIANT');
  });

  test('prints as a clean report with the as-of date and the disclaimer', async ({ page }) => {
    await page.goto('/#/?asOf=2020-07-15');
    await waitForKpis(page);
    await page.emulateMedia({ media: 'print' });
    await expect(page.locator('.app-header')).toBeHidden();
    await expect(page.locator('.asof-control')).toBeHidden();
    await expect(page.locator('.print-header')).toBeVisible();
    await expect(page.locator('.print-header')).toContainText('as of 15 July 2020 (2020-07-15)');
    await expect(page.getByTestId('disclaimer')).toBeVisible();
    await screenshot(page, 'overview-print');
  });
});

test.describe('findings', () => {
  test('lists the Interactions Privacy Shield finding with citation, remediation and evidence', async ({ page }) => {
    await page.goto('/#/findings');
    const finding = page.locator('[data-testid="findings-table"] tr[data-rule="INVALIDATED_MECHANISM"][data-subject="engagement:demo.client-de>interactions"]');
    await expect(finding).toBeVisible();
    await expect(finding).toContainText('PRIVACY_SHIELD_EU_US');
    await expect(finding).toContainText('Interactions');
    await expect(finding).toContainText('Critical');

    await finding.getByRole('button', { name: /Details of Invalidated mechanism/ }).click();
    const detail = page.getByTestId('finding-detail');
    await expect(detail).toContainText('C-311/18');
    await expect(detail).toContainText('Remediation');
    await expect(detail.locator('.quote').first()).toBeVisible();
    await expect(detail).toContainText('Interactions');
    await screenshot(page, 'findings');
  });

  test('filters by client, severity and rule, sorts, and exports CSV', async ({ page }) => {
    await page.goto('/#/findings');
    await expect(page.getByTestId('findings-table')).toBeVisible();
    const total = Number((await page.getByTestId('findings-count').textContent())?.match(/of (\d+)/)?.[1]);
    expect(total).toBeGreaterThan(5);

    await page.getByLabel('Client').selectOption('demo.client-de');
    await expect(page.getByRole('note').filter({ hasText: 'Client filter' })).toBeVisible();
    const rows = page.locator('[data-testid="findings-table"] tbody tr[data-rule]');
    await expect(rows.filter({ hasText: 'PRIVACY_SHIELD_EU_US' })).toHaveCount(1);
    const forClient = await rows.count();
    expect(forClient).toBeLessThan(total);
    await expect(rows.filter({ hasText: 'Schelde' })).toHaveCount(0);

    await page.getByRole('checkbox', { name: 'Critical' }).check();
    await expect(rows).not.toHaveCount(forClient);
    for (const sev of await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-severity')))) expect(sev).toBe('CRITICAL');

    await page.getByRole('button', { name: 'Clear filters' }).click();
    await page.getByLabel('Rule').selectOption('UNKNOWN_LOCATION');
    for (const rule of await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-rule')))) expect(rule).toBe('UNKNOWN_LOCATION');
    await page.getByRole('button', { name: 'Clear filters' }).click();

    await page.getByRole('button', { name: /^Organisation/ }).click();
    await expect(page.locator('th[aria-sort="ascending"]')).toContainText('Organisation');
    await page.getByRole('button', { name: /^Severity/ }).click();
    await expect(page.locator('th[aria-sort="descending"]')).toContainText('Severity');
    await expect(rows.first()).toHaveAttribute('data-severity', 'CRITICAL');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^flowmap-findings-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = readFileSync(await download.path(), 'utf8');
    expect(csv.split('\r\n')[0]).toBe('\ufeffas_of,severity,rule,finding,organisations,subject,clients,citation,remediation');
    expect(csv).toContain('INVALIDATED_MECHANISM');
    expect(csv.trim().split('\r\n')).toHaveLength(total + 1);
  });
});

test.describe('chains', () => {
  test("draws a client's chain and lists each hop with status, basis and categories", async ({ page }) => {
    await page.goto('/#/chains?client=demo.client-be');
    await expect(page.getByTestId('chain-graph').locator('canvas').first()).toBeVisible();
    const hop = page.locator('[data-testid="hops-table"] tr[data-hop="e:demo.client-be>demo.nimbus-cloud"]');
    await expect(hop).toHaveAttribute('data-status', 'COMPLIANT');
    await expect(hop.locator('[data-basis]')).toContainText('EU-US DPF');
    await expect(hop).toContainText('Name');
    const onward = page.locator('[data-testid="hops-table"] tr[data-hop="e:interaction-force>amazon"]');
    await expect(onward).toHaveAttribute('data-status', 'NEEDS_REVIEW');
    await expect(page.locator('.chain-legend')).toContainText('dashed line');
    await hop.getByRole('button', { name: 'Show' }).click();
    await expect(page.getByTestId('hop-detail')).toContainText('Basis relied on: EU-US DPF');
    await screenshot(page, 'chains');

    await page.getByLabel('Client').selectOption('demo.client-de');
    await expect(page.locator('[data-testid="hops-table"] tr[data-hop="e:demo.client-de>interactions"]')).toHaveAttribute('data-status', 'NON_COMPLIANT');
  });
});

test.describe('time travel', () => {
  test('compares 2020-07-15 with 2020-07-17', async ({ page }) => {
    await page.goto('/#/time-travel?from=2020-07-15&to=2020-07-17');
    const result = page.getByTestId('compare-result');
    await expect(result).toBeVisible();
    const flow = page.locator('[data-testid="diff-table"] tr[data-client="demo.client-de"][data-importer="interactions"]');
    await expect(flow).toHaveAttribute('data-change', 'CHANGED');
    await expect(flow.locator('[data-col="status-before"]')).toContainText('Compliant');
    await expect(flow.locator('[data-col="status-after"]')).toContainText('Needs review');
    await expect(flow.locator('[data-col="basis-before"]')).toHaveText('EU-US Privacy Shield');
    await expect(flow.locator('[data-col="basis-after"]')).toHaveText('SCC 2010');
    expect(Number(await page.getByTestId('diff-changed').locator('.kpi-value').textContent())).toBeGreaterThanOrEqual(2);
    await screenshot(page, 'time-travel');

    // a preset with new flows: the DPF adopted
    await page.getByRole('button', { name: 'DPF adopted' }).click();
    await expect(page).toHaveURL(/from=2023-07-09&to=2023-07-10/);
    await expect(result).toContainText('From 9 July 2023 to 10 July 2023');

    // the timeline sets the global as-of date
    await page.getByRole('button', { name: /2018-05-25 GDPR applies/ }).click();
    await expect(page.getByTestId('page-asof')).toHaveText('25 May 2018');
  });
});

test.describe('what-if', () => {
  test('DPF revoked: demo.client-be survives on SCCs, demo.client-nl breaks', async ({ page }) => {
    await page.goto('/#/what-if');
    await expect(page.getByText('Choose a scenario above')).toBeVisible();
    await page.getByTestId('toggle-dpf').check();
    await expect(page).toHaveURL(/dpf=1/);
    await expect(page.getByTestId('whatif-result')).toBeVisible();
    const fallback = page.locator('[data-testid="whatif-fallback"] tr[data-client="demo.client-be"]');
    await expect(fallback).toHaveAttribute('data-change', 'FALLBACK');
    await expect(fallback.locator('[data-col="basis-before"]')).toHaveText('EU-US DPF');
    await expect(fallback.locator('[data-col="basis-after"]')).toContainText('SCC 2021');
    const broken = page.locator('[data-testid="whatif-broken"] tr[data-client="demo.client-nl"]');
    await expect(broken).toHaveAttribute('data-change', 'BROKEN');
    await expect(broken).toContainText('Non-compliant');
    expect(Number(await page.getByTestId('count-broken').locator('.kpi-value').textContent())).toBeGreaterThanOrEqual(1);
    expect(Number(await page.getByTestId('count-fallback').locator('.kpi-value').textContent())).toBeGreaterThanOrEqual(1);
    await screenshot(page, 'what-if');

    // a country loses adequacy
    await page.getByTestId('toggle-dpf').uncheck();
    await page.getByLabel('Country that loses adequacy').selectOption('GB');
    await expect(page).toHaveURL(/withdraw=GB/);
    await expect(page.getByTestId('whatif-result')).toContainText('Adequacy withdrawn: GB');
  });
});

test.describe('organisations', () => {
  test('the organisation page shows locations, DPF status, engagements and evidence', async ({ page }) => {
    await page.goto('/#/org/interactions');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Interactions');
    await expect(page.getByTestId('org-profile')).toContainText('Interactions, LLC');
    await expect(page.getByTestId('org-locations')).toContainText('United States (US)');
    await expect(page.getByTestId('org-dpf')).toContainText('Not listed');
    await expect(page.getByTestId('certifications')).toContainText('EU-US Privacy Shield');
    await expect(page.locator('[data-testid="engagements-in"] tr[data-engagement="demo.client-de>interactions"]')).toBeVisible();
    await expect(page.getByTestId('engagements-out')).toBeVisible();
    await expect(page.getByTestId('org-transfers')).toContainText('Non-compliant');
    await expect(page.getByTestId('documents')).toContainText('Interactions privacy policy');
    await expect(page.getByTestId('org-findings')).toContainText('Invalidated mechanism');
    await screenshot(page, 'organisation');
  });

  test('the index links to each organisation, by keyboard too', async ({ page }) => {
    await page.goto('/#/organisations');
    await expect(page.getByTestId('organisations-table')).toBeVisible();
    await page.getByLabel('Search').fill('voice');
    await expect(page.locator('[data-testid="organisations-table"] tbody tr')).toHaveCount(await page.locator('[data-org-row*="voiceking"]').count());
    await screenshot(page, 'organisations');
    const link = page.locator('[data-testid="organisations-table"] a[data-org="voiceking"]');
    await link.focus();
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(/#\/org\/voiceking/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('VoiceKing');
    await expect(page.getByRole('heading', { level: 1 })).toBeFocused();
  });
});

test.describe('quality', () => {
  test('every view passes axe (WCAG 2.1 A/AA, contrast included) and shows the disclaimer', async ({ page }) => {
    test.setTimeout(60_000);
    const views = ['/', '/#/findings', '/#/chains?client=demo.client-nl', '/#/time-travel', '/#/what-if?dpf=1', '/#/org/interactions', '/#/organisations', '/#/vendor-check'];
    const problems: string[] = [];
    for (const v of views) {
      await page.goto(v);
      await expect(page.locator('main h1')).toBeVisible();
      await expect(page.locator('.state--loading')).toHaveCount(0);
      await expect(page.locator('.map-placeholder, .chart-placeholder')).toHaveCount(0);
      await expect(page.getByTestId('disclaimer')).toContainText('Not legal advice');
      for (const p of await axeViolations(page)) problems.push(`${v}: ${p}`);
    }
    expect(problems).toEqual([]);
  });

  test('keyboard: skip link, navigation and visible focus', async ({ page }) => {
    await page.goto('/');
    await waitForKpis(page);
    await page.keyboard.press('Tab');
    const skip = page.getByRole('link', { name: 'Skip to content' });
    await expect(skip).toBeFocused();
    await expect(skip).toBeInViewport();
    await page.keyboard.press('Tab');
    await expect(page.getByRole('link', { name: 'Overview' })).toBeFocused();
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement as Element).outlineStyle);
    expect(outline).not.toBe('none');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(/#\/findings/);
  });

  test('says clearly when the API is unreachable', async ({ page, consoleGuard }) => {
    consoleGuard.allow(/Failed to load resource: net::ERR_(CONNECTION_REFUSED|FAILED)/);
    await page.route('**/graphql', (route) => route.abort('connectionrefused'));
    await page.goto('/');
    const panel = page.getByTestId('error-panel').first();
    await expect(panel).toContainText('The flowmap API is unreachable', { timeout: 15_000 });
    await expect(panel.getByRole('button', { name: 'Retry' })).toBeVisible();
    await expect(page.getByTestId('disclaimer')).toContainText('Not legal advice');
    await screenshot(page, 'error-unreachable');
  });

  test('shows GraphQL errors with their code', async ({ page, consoleGuard }) => {
    consoleGuard.allow(/status of 400/);
    await page.route('**/graphql', (route) =>
      route.fulfill({
        status: 400,
        contentType: 'application/graphql-response+json',
        body: JSON.stringify({ errors: [{ message: 'Query is too deep', extensions: { code: 'QUERY_TOO_DEEP' } }] }),
      }),
    );
    await page.goto('/#/findings');
    await expect(page.getByTestId('error-panel').first()).toContainText('Query is too deep');
    await expect(page.getByTestId('error-panel').first()).toContainText('QUERY_TOO_DEEP');
  });
});

test.describe('token', () => {
  test('asks for a bearer token on 401, rejects a wrong one, keeps the right one for the tab', async ({ page, consoleGuard }) => {
    consoleGuard.allow(/status of 401/);
    const url = process.env.FLOWMAP_E2E_AUTH_URL;
    const token = process.env.FLOWMAP_E2E_TOKEN;
    if (!url || !token) throw new Error('the token server is not running');
    const sent: (string | null)[] = [];
    page.on('request', (r) => {
      if (r.url().endsWith('/graphql')) sent.push(r.headers().authorization ?? null);
    });
    await page.goto(`${url}/`);
    const dialog = page.getByTestId('token-dialog');
    await expect(dialog).toBeVisible();
    await expect(dialog).toContainText('requires an access token');
    await screenshot(page, 'token-dialog');

    await dialog.getByLabel('Token').fill('wrong-token-000000000000');
    await dialog.getByRole('button', { name: 'Use token' }).click();
    await expect(dialog).toBeVisible();
    await expect(dialog).toContainText('unknown or revoked token');

    await dialog.getByLabel('Token').fill(token);
    await dialog.getByRole('button', { name: 'Use token' }).click();
    await expect(dialog).toBeHidden();
    await waitForKpis(page);
    expect(sent).toContain(`Bearer ${token}`);
    expect(await page.evaluate(() => sessionStorage.getItem('flowmap.apiToken'))).toBe(token);

    await page.reload();
    await waitForKpis(page);
    await expect(page.getByText('Token in use', { exact: true })).toBeVisible();
  });
});
