import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writePreview } from '../../scripts/templates-preview';
import { MESSAGE_KINDS } from '../../shared/events';
import { requiredSlots } from '../../shared/templates/check';

// The template gallery (npm run templates:preview), opened in Debian's
// headless chromium, as a person would look at it.

const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const ROOT = path.resolve(__dirname, '../..');

describe('templates:preview gallery in chromium', () => {
  let browser: Browser;
  let outDir: string;
  let file: string;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `${CHROMIUM} is missing: install Debian's chromium (apt-get install chromium) to run the gallery test`,
      );
    }
    outDir = mkdtempSync(path.join(tmpdir(), 'templates-preview-'));
    file = writePreview(path.join(outDir, 'index.html')).file;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  });
  afterAll(async () => {
    await browser?.close();
    if (outDir) rmSync(outDir, { recursive: true, force: true });
  });

  it('shows a card for every message in every locale, with SMS counts', async () => {
    // Prepare
    const page = await browser.newPage({
      viewport: { width: 1280, height: 1400 },
    });
    const expected =
      2 *
      MESSAGE_KINDS.reduce((sum, kind) => sum + requiredSlots(kind).length, 0);

    // Act
    await page.goto(`file://${file}`);

    // Assess
    expect(await page.locator('article.card').count()).toBe(expected);
    expect(await page.locator('article.card.failed').count()).toBe(0);
    expect(await page.locator('article.card.sms').count()).toBe(14);
    const german = page.locator(
      'article[data-kind="Authentication"][data-locale="de"][data-channel="sms"]',
    );
    await expect(german.locator('.bubble').textContent()).resolves.toBe(
      'Ihr Anmeldecode lautet 123456. Geben Sie ihn niemals weiter.',
    );
    await expect(german.locator('.sample-stats').textContent()).resolves.toBe(
      'GSM-7 · 1 segment · 60 chars · 60 units',
    );
    await expect(
      page.locator('.summary').first().textContent(),
    ).resolves.toContain('2 locales (en, de)');
    await page.screenshot({
      path: path.join(ROOT, '.local/templates-preview.png'),
    });
    await page.close();
  });

  it('renders the email bodies as HTML, links included', async () => {
    // Prepare
    const page = await browser.newPage();

    // Act
    await page.goto(`file://${file}`);

    // Assess
    const body = page.locator(
      'article[data-kind="SignUp"][data-locale="en"][data-channel="emailBodyLink"] .email-body',
    );
    await expect(body.locator('a').textContent()).resolves.toBe(
      'Confirm my email address',
    );
    await expect(body.locator('p').first().textContent()).resolves.toBe(
      'Hello Ada,',
    );
    await page.close();
  });
});
