// Loads a page in the system Chromium (headless, via playwright-core), waits for it to settle,
// prints console errors, page errors and CSP violations, and saves a screenshot.
// Usage: node scripts/screenshot.mjs <url> <out.png> [--width=1280] [--height=900] [--wait=4000]
//        [--dark] [--click=<css selector>] [--full] [--requests]
// Exits 1 if the page threw or violated its CSP.
import { chromium } from 'playwright-core';
import { findChromium } from './chromium.mjs';

const [url, out = '/tmp/page.png'] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const opt = (name, dflt) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=').slice(1).join('=') ?? dflt;
if (!url) {
  console.error('usage: node scripts/screenshot.mjs <url> <out.png> [--width=] [--height=] [--wait=ms] [--dark] [--click=sel] [--full]');
  process.exit(2);
}
const browser = await chromium.launch({ executablePath: findChromium(), headless: true, args: ['--no-sandbox', '--disable-gpu'] });
const page = await browser.newPage({
  viewport: { width: Number(opt('width', 1280)), height: Number(opt('height', 900)) },
  colorScheme: process.argv.includes('--dark') ? 'dark' : 'light',
});
const problems = [];
page.on('console', (m) => {
  if (m.type() === 'error' || m.type() === 'warning') console.log(`console.${m.type()}: ${m.text()}`);
  if (m.type() === 'error' && /Content Security Policy|Trusted Type/i.test(m.text())) problems.push(m.text());
});
if (process.argv.includes('--requests')) page.on('requestfinished', async (r) => console.log(`request: ${r.method()} ${r.url()} → ${(await r.response())?.status()}`));
page.on('requestfailed', (r) => console.log(`requestfailed: ${r.url()} ${r.failure()?.errorText}`));
page.on('response', (r) => r.status() >= 400 && console.log(`http ${r.status()}: ${r.url()}`));
page.on('pageerror', (e) => {
  console.log(`pageerror: ${e.message}`);
  problems.push(e.message);
});
/* global document -- runs in the page */
await page.addInitScript(() => {
  document.addEventListener('securitypolicyviolation', (e) =>
    console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || '(inline)'} at ${e.sourceFile}:${e.lineNumber}`),
  );
});
await page.goto(url, { waitUntil: 'load' });
await page.waitForTimeout(Number(opt('wait', 4000)));
const click = opt('click');
if (click) {
  await page.locator(click).first().click();
  await page.waitForTimeout(1500);
}
await page.screenshot({ path: out, fullPage: process.argv.includes('--full') });
console.log(`screenshot: ${out}`);
await browser.close();
if (problems.length) process.exit(1);
