// The vendor check against the seeded server: paste a policy or upload a sub-processor list, run the check, read the
// report (questions, transfers, findings, draft facts with their evidence highlighted), copy and print it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { axeViolations, expect, screenshot, test } from './fixtures';

const POLICY =
  'Acme Cloud, Inc. is based in the United States. We use Amazon Web Services to host the service in the United States. ' +
  'Acme complies with the EU-U.S. Privacy Shield Framework. We collect your email address.';

const SUBPROCESSORS_CSV = 'Name,Purpose,Location\nAmazon Web Services,Hosting,United States\nZendesk,Support,\n';

let dir: string;
test.beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'flowmap-e2e-vendor-'));
});
test.afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function writeTemp(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

test.describe('vendor check', () => {
  test('a pasted policy: Privacy Shield flagged, the questions to send, the facts with their quotes highlighted', async ({ page, context, baseURL }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseURL });
    await page.goto('/');
    await page.getByRole('link', { name: 'Vendor check' }).click();
    await expect(page).toHaveURL(/#\/vendor-check/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Vendor check');
    await expect(page.getByRole('link', { name: 'Vendor check' })).toHaveAttribute('aria-current', 'page');
    await expect(page.getByLabel('File name of the pasted text')).toHaveValue('pasted.txt');
    await expect(page.getByLabel('Hypothetical client established in')).toHaveValue('BE');

    await page.getByLabel('Paste a privacy policy or sub-processor list').fill(POLICY);
    await page.getByRole('button', { name: 'Check vendor' }).click();

    const report = page.getByTestId('vendor-report');
    await expect(report).toBeVisible();
    await expect(page.getByRole('heading', { name: /^Vendor check report/ })).toBeFocused();
    await expect(page.getByTestId('vendor-client')).toContainText('Hypothetical client established in BE');
    await expect(page.getByTestId('vendor-disclaimer')).toContainText('not legal advice');
    await expect(page.getByTestId('vendor-new-destinations')).toContainText('United States (US)');

    // the questionnaire comes first, numbered, with reason codes
    const questions = page.locator('[data-testid="vendor-questionnaire"] ol.questionnaire > li');
    expect(await questions.count()).toBeGreaterThanOrEqual(2);
    const mechanismQuestion = questions.filter({ hasText: 'transfer mechanism you use now' });
    await expect(mechanismQuestion.first()).toHaveAttribute('data-reason', 'INVALIDATED_MECHANISM');
    await expect(mechanismQuestion.filter({ hasText: 'Amazon Web Services' })).toHaveCount(1);
    await expect(mechanismQuestion.first()).toContainText('INVALIDATED_MECHANISM');

    // the transfer to the United States is non-compliant (text and icon, not colour alone)
    const toUs = page.locator('[data-testid="vendor-transfers"] tr[data-destination="US"]');
    const us = toUs.filter({ hasText: 'Amazon Web Services' });
    await expect(us).toHaveCount(1);
    await expect(us).toHaveAttribute('data-status', 'NON_COMPLIANT');
    for (const status of await toUs.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-status')))) expect(status).toBe('NON_COMPLIANT');
    await expect(us.locator('[data-status="NON_COMPLIANT"]')).toHaveText('Non-compliant');
    await expect(us.locator('[data-status] svg')).toHaveAttribute('aria-hidden', 'true');
    await expect(us).toContainText('United States (US)');
    await expect(us.locator('.route li').last()).toHaveText('Amazon Web Services');
    await expect(us).toContainText('declared: EU-US Privacy Shield');
    await expect(us.locator('li[data-rule="INVALIDATED_MECHANISM"]')).toContainText('PRIVACY_SHIELD_EU_US');

    // findings, with citation and remediation
    const invalidated = page.locator('[data-testid="vendor-findings"] li[data-rule="INVALIDATED_MECHANISM"]');
    expect(await invalidated.count()).toBeGreaterThanOrEqual(1);
    await expect(invalidated.first()).toContainText('C-311/18');
    await expect(invalidated.first()).toContainText('Remediation');
    await expect(page.locator('[data-testid="vendor-findings"] li[data-rule="OUTDATED_LEGAL_REFERENCE"]')).toContainText('document pasted.txt');

    // draft facts grouped by kind; the Privacy Shield quote highlighted in its sentence
    const facts = page.getByTestId('vendor-facts');
    await expect(facts.getByRole('heading', { name: /^Transfer mechanisms/ })).toBeVisible();
    const shield = facts.locator('li[data-kind="MECHANISM"][data-value="PRIVACY_SHIELD_EU_US"]');
    await expect(shield).toContainText('EU-US Privacy Shield');
    await expect(shield.locator('blockquote')).toHaveAttribute('data-located', 'true');
    await expect(shield.locator('mark')).toHaveText('EU-U.S. Privacy Shield');
    await expect(shield.locator('blockquote')).toContainText('Acme complies with the EU-U.S. Privacy Shield Framework.');
    await expect(facts.locator('li[data-kind="RECIPIENT"][data-value="Amazon Web Services"] mark')).toHaveText('use Amazon Web Services');
    await expect(facts.locator('li[data-kind="CATEGORY"][data-value="user.contact.email"] mark')).toHaveText('email address');
    // the whole source text, every passage marked
    await facts.getByText(/^pasted\.txt, with the \d+ passages/).click();
    await expect(facts.getByTestId('source-text').locator('mark').first()).toBeVisible();

    // copy the questions for the e-mail to the vendor
    await page.getByRole('button', { name: 'Copy questions' }).click();
    await expect(page.getByTestId('copy-status')).toHaveText(/^Copied \d+ questions to the clipboard\.$/);
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toMatch(/^Questions for /);
    expect(copied).toContain('1. Your documents rely on EU-US Privacy Shield: state the transfer mechanism you use now');
    expect(copied).toContain('[INVALIDATED_MECHANISM]');
    expect(copied).toContain('Not legal advice.');

    expect(await axeViolations(page)).toEqual([]);
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, 'vendor-check');

    // print: the report without the form and its buttons
    await page.emulateMedia({ media: 'print' });
    await expect(page.locator('.vendor-form')).toBeHidden();
    await expect(page.getByRole('button', { name: 'Copy questions' })).toBeHidden();
    await expect(page.getByTestId('vendor-questionnaire')).toBeVisible();
    await expect(page.getByTestId('vendor-transfers')).toBeVisible();
    await expect(shield.locator('mark')).toBeVisible();
    await expect(page.locator('.print-header')).toContainText('flowmap transfer-risk report — Vendor check');
    await screenshot(page, 'vendor-check-print');
  });

  test('an uploaded sub-processor CSV: the questions name Zendesk; facts from a table show their quote only', async ({ page }) => {
    await page.goto('/#/vendor-check');
    const csv = writeTemp('subprocessors.csv', SUBPROCESSORS_CSV);
    await page.getByLabel('Upload documents').setInputFiles(csv);
    const uploaded = page.locator('[data-testid="upload-list"] li[data-upload="subprocessors.csv"]');
    await expect(uploaded).toContainText('table (CSV)');
    await expect(uploaded).toContainText('sent as text');

    await page.getByRole('button', { name: 'Check vendor' }).click();
    await expect(page.getByTestId('vendor-report')).toBeVisible();
    await expect(page.getByTestId('vendor-documents')).toContainText('subprocessors.csv');
    const zendesk = page.locator('[data-testid="vendor-questionnaire"] ol.questionnaire > li').filter({ hasText: 'Zendesk' });
    expect(await zendesk.count()).toBeGreaterThanOrEqual(1);
    await expect(zendesk.filter({ hasText: 'Name the countries where Zendesk' })).toHaveAttribute('data-reason', 'UNKNOWN_LOCATION');
    await expect(page.locator('[data-testid="vendor-transfers"] tr[data-destination="US"]').filter({ hasText: 'Amazon Web Services' })).toHaveCount(1);
    const fact = page.locator('[data-testid="vendor-facts"] li[data-kind="RECIPIENT"][data-value="Zendesk"]');
    await expect(fact).toContainText('purpose: Support');
    await expect(fact.locator('blockquote')).toHaveAttribute('data-located', 'false');
    await expect(fact.locator('blockquote')).toHaveText('“Zendesk”');
    await expect(fact).toContainText('Quote only');

    // a pasted text next to the upload, for a client from the map
    await page.getByLabel('Paste a privacy policy or sub-processor list').fill(POLICY);
    await page.getByLabel('Check as if this client engaged the vendor').selectOption('demo.client-de');
    await expect(page.getByLabel('Hypothetical client established in')).toBeDisabled();
    await page.getByRole('button', { name: 'Check vendor' }).click();
    await expect(page.getByTestId('vendor-client')).toContainText('Rheinland');
    await expect(page.getByTestId('vendor-documents').locator('li')).toHaveCount(2);
    await expect(page.locator('[data-testid="vendor-facts"] li[data-kind="MECHANISM"][data-value="PRIVACY_SHIELD_EU_US"] mark')).toHaveText(
      'EU-U.S. Privacy Shield',
    );

    // the global as-of date re-runs the same documents: on 2020-07-15 the Privacy Shield was not yet invalidated
    // (the question becomes whether the importer was listed under it)
    await page.getByLabel('As of', { exact: true }).fill('2020-07-15');
    await expect(page).toHaveURL(/asOf=2020-07-15/);
    await expect(page.getByTestId('vendor-report')).toContainText('15 July 2020');
    const aws = page.locator('[data-testid="vendor-transfers"] tr[data-destination="US"]').filter({ hasText: 'Amazon Web Services' });
    await expect(aws).toHaveCount(1);
    await expect(aws.locator('li[data-rule="DPF_NOT_CERTIFIED"]')).toContainText('not certified under PRIVACY_SHIELD_EU_US on 2020-07-15');
    await expect(aws.locator('li[data-rule="INVALIDATED_MECHANISM"]')).toHaveCount(0);
  });

  test('says what is missing, and shows the server’s intake errors naming the file', async ({ page }) => {
    await page.goto('/#/vendor-check');
    await page.getByRole('button', { name: 'Check vendor' }).click();
    await expect(page.getByRole('alert').filter({ hasText: 'Paste a text or upload at least one document.' })).toBeVisible();
    await expect(page.getByLabel('Paste a privacy policy or sub-processor list')).toBeFocused();
    await expect(page.getByLabel('Paste a privacy policy or sub-processor list')).toHaveAttribute('aria-invalid', 'true');

    await page.getByLabel('Paste a privacy policy or sub-processor list').fill('We use Zendesk.');
    await page.getByLabel('Hypothetical client established in').fill('1');
    await page.getByRole('button', { name: 'Check vendor' }).click();
    await expect(page.getByRole('alert').filter({ hasText: 'two-letter ISO code' })).toBeVisible();
    await expect(page.getByLabel('Hypothetical client established in')).toBeFocused();
    await page.getByLabel('Hypothetical client established in').fill('BE');

    const broken = writeTemp('broken.pdf', '%PDF-1.4 this is not really a PDF');
    await page.getByLabel('Upload documents').setInputFiles(broken);
    await expect(page.locator('[data-testid="upload-list"] li[data-upload="broken.pdf"]')).toContainText('sent as bytes (base64)');
    await page.getByRole('button', { name: 'Check vendor' }).click();
    const panel = page.getByTestId('error-panel');
    await expect(panel).toContainText('broken.pdf');
    await expect(panel).toContainText('INTAKE_FAILED');
    await expect(panel.getByRole('button', { name: 'Retry' })).toBeVisible();

    await page.getByRole('button', { name: 'Remove broken.pdf' }).click();
    await page.getByRole('button', { name: 'Check vendor' }).click();
    await expect(page.getByTestId('vendor-report')).toBeVisible();
    await expect(panel).toHaveCount(0);
  });

  test('shows VALIDATION_FAILED with the field and the document it names', async ({ page }) => {
    await page.route('**/graphql', async (route) => {
      const body = route.request().postDataJSON() as { query: string };
      if (!body.query.includes('vendorCheck')) return route.fallback();
      return route.fulfill({
        status: 200,
        contentType: 'application/graphql-response+json',
        body: JSON.stringify({
          data: null,
          errors: [
            {
              message: 'input.documents[0].base64: is not valid base64',
              extensions: { code: 'VALIDATION_FAILED', field: 'input.documents[0].base64' },
            },
          ],
        }),
      });
    });
    await page.goto('/#/vendor-check');
    await page.getByLabel('Paste a privacy policy or sub-processor list').fill(POLICY);
    await page.getByLabel('File name of the pasted text').fill('policy.txt');
    await page.getByRole('button', { name: 'Check vendor' }).click();
    const panel = page.getByTestId('error-panel');
    await expect(panel).toContainText('is not valid base64');
    await expect(panel).toContainText('VALIDATION_FAILED');
    await expect(panel).toContainText('input.documents[0].base64');
    await expect(panel).toContainText('is document 1 (policy.txt)');
  });

  test('a viewer token may not check vendors: the procurement or editor role is needed', async ({ page, consoleGuard }) => {
    consoleGuard.allow(/status of 403/);
    const url = process.env.FLOWMAP_E2E_AUTH_URL;
    const token = process.env.FLOWMAP_E2E_TOKEN; // a viewer token
    if (!url || !token) throw new Error('the token server is not running');
    await page.addInitScript((t) => sessionStorage.setItem('flowmap.apiToken', t), token);
    await page.goto(`${url}/#/vendor-check`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Vendor check');
    await page.getByLabel('Paste a privacy policy or sub-processor list').fill(POLICY);
    await page.getByRole('button', { name: 'Check vendor' }).click();
    const panel = page.getByTestId('error-panel');
    await expect(panel).toContainText('Checking vendors needs the procurement or editor role');
    await expect(panel).toContainText('role viewer lacks it');
    await panel.getByRole('button', { name: 'Enter a token' }).click();
    await expect(page.getByTestId('token-dialog')).toBeVisible();
  });
});
