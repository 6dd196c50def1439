// End-to-end test of the ampel web page in the system's headless Chromium,
// driven by playwright-core. Started by tests/browser.rs, which runs the
// daemon (rules only) and passes its address in AMPEL_URL.
//
// The workflow of the course: paste the SPEC example, see RED, copy the
// redacted text, paste an AI answer with placeholders, personalise it and
// get the names back; then un-mark a false positive and mark a missed span
// by hand, and personalise again. Any console error, page error or request
// to another origin fails the test (the page must work offline under its
// Content-Security-Policy). With AMPEL_SCREENSHOT=PATH a full-page
// screenshot is written there.

import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';

const base = process.env.AMPEL_URL;
const executablePath = process.env.AMPEL_CHROMIUM || '/usr/bin/chromium';
const screenshot = process.env.AMPEL_SCREENSHOT || '';

const SPEC = 'Hier ist das Support-Ticket von Frau Weber (weber@example.com), Kundennr. 4711: "Meine Bestellung #98765 vom 15.01. ist nicht angekommen. Ich bin schwanger und brauche die Babyausstattung dringend."';

function expect(cond, msg) {
  if (!cond) throw new Error(`expectation failed: ${msg}`);
}

function step(msg) {
  console.log(`e2e: ${msg}`);
}

if (!base) {
  console.error('e2e: AMPEL_URL is not set (run through `cargo test --test browser`)');
  process.exit(2);
}

const watchdog = setTimeout(() => {
  console.error('e2e: gave up after 120 s');
  process.exit(3);
}, 120_000);
watchdog.unref();

const profile = mkdtempSync(join(tmpdir(), 'ampel-e2e-'));
let context;
try {
  context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 1280, height: 900 },
    locale: 'de-DE',
    permissions: ['clipboard-read', 'clipboard-write'],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(15_000);

  const problems = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('request', (r) => {
    const url = r.url();
    if (!url.startsWith(`${base}/`) && !url.startsWith('data:')) problems.push(`request to another origin: ${url}`);
  });

  step('open the page');
  await page.goto(`${base}/`);
  await page.waitForSelector('#status[data-state="ok"]');
  expect((await page.textContent('#status-text')).includes('Bereit'), 'status says ready');

  step('paste the SPEC example and check with Ctrl+Enter');
  await page.fill('#input', SPEC);
  await page.focus('#input');
  await page.keyboard.press('Control+Enter');
  await page.waitForSelector('#verdict[data-ampel="RED"]');
  expect((await page.textContent('#verdict-word')).trim() === 'ROT', 'the verdict word is ROT');
  expect(await page.isVisible('#red-advice'), 'the RED explanation is shown');
  expect(await page.isVisible('#redacted-warning'), 'the redacted text warns for RED');
  const reasons = await page.textContent('#reasons');
  expect(reasons.includes('Gesundheitsdaten einer Person (Art. 9 DSGVO)'), `German Art. 9 reason in: ${reasons}`);
  expect(reasons.includes('„schwanger“'), `the health term is named: ${reasons}`);
  expect(reasons.includes('Angaben, die eine Person erkennbar machen'), `identifying reason in: ${reasons}`);

  const marks = await page.$$eval('#marked mark.ent', (ms) => ms.map((m) => [m.textContent, m.className]));
  for (const [surface, label] of [['Weber', 'PERSON'], ['weber@example.com', 'EMAIL'], ['4711', 'ID_NUMBER'], ['schwanger', 'HEALTH']]) {
    expect(marks.some(([t, c]) => t === surface && c.includes(`l-${label}`)), `${surface} is highlighted as ${label}: ${JSON.stringify(marks)}`);
  }
  const shown = await page.$eval('#marked', (b) => b.textContent);
  expect(shown === SPEC, 'the highlighted view shows the text unchanged');

  step('copy the redacted text');
  await page.click('#copy-redacted');
  await page.waitForFunction(() => document.getElementById('copied-redacted').textContent.includes('Kopiert'));
  const redacted = await page.inputValue('#redacted');
  for (const secret of ['Weber', 'weber@example.com', '4711', 'schwanger']) {
    expect(!redacted.includes(secret), `${secret} is not in the redacted text: ${redacted}`);
  }
  const clip = await page.evaluate(() => navigator.clipboard.readText()).catch(() => null);
  if (clip !== null) expect(clip === redacted, 'the clipboard holds the redacted text');
  const api = await page.evaluate(async (text) => {
    const r = await fetch('/v1/analyze', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ text }),
    });
    return r.json();
  }, SPEC);
  expect(api.redacted === redacted, 'the page shows the daemon\'s redaction');

  step('paste an AI answer with placeholders and personalise it');
  const person = (redacted.match(/\[PERSON_\d+\]/) || [])[0];
  const email = (redacted.match(/\[EMAIL_\d+\]/) || [])[0];
  expect(person && email, `placeholders in ${redacted}`);
  const answer = `Sehr geehrte Frau ${person},\n\nvielen Dank für Ihre Nachricht. Es tut uns leid, dass Ihre Bestellung noch nicht angekommen ist. Wir haben sie als dringend markiert und senden die Versandbestätigung an ${email}.\n\nMit freundlichen Grüßen\nIhr Kundenservice`;
  await page.fill('#answer', answer);
  await page.click('#personalize');
  await page.waitForFunction(() => document.getElementById('personalized').value !== '');
  const personal = await page.inputValue('#personalized');
  expect(personal.startsWith('Sehr geehrte Frau Weber,'), `names are back: ${personal}`);
  expect(personal.includes('an weber@example.com.'), `e-mail is back: ${personal}`);
  expect(!/\[(PERSON|EMAIL)_\d+\]/.test(personal), `no placeholders left: ${personal}`);
  expect((await page.textContent('#restore-info')).includes('2 Platzhalter ersetzt'), 'the page counts the replaced placeholders');

  if (screenshot) {
    step(`screenshot to ${screenshot}`);
    mkdirSync(dirname(screenshot), { recursive: true });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: screenshot, fullPage: true });
  }

  step('un-mark a false positive by click and by keyboard');
  await page.click('#marked mark.l-DATE');
  let edited = await page.inputValue('#redacted');
  expect(edited === redacted.replace('[DATE_1]', '15.01.'), `the date is back in the redaction: ${edited}`);
  expect(await page.isVisible('#edited-note'), 'the page says the marks were edited');
  await page.focus('#marked mark.l-ID_NUMBER');
  await page.keyboard.press('Enter');
  expect((await page.inputValue('#redacted')).includes('4711'), 'Enter un-marks the focused span');
  await page.keyboard.press('Enter');
  expect(!(await page.inputValue('#redacted')).includes('4711'), 'Enter marks it again');

  step('mark a missed span by selecting it (Alt+M)');
  await page.evaluate(() => {
    const box = document.getElementById('marked');
    const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const i = n.data.indexOf('Babyausstattung');
      if (i >= 0) {
        const r = document.createRange();
        r.setStart(n, i);
        r.setEnd(n, i + 'Babyausstattung'.length);
        const s = window.getSelection();
        s.removeAllRanges();
        s.addRange(r);
        return;
      }
    }
    throw new Error('no text node with Babyausstattung');
  });
  await page.waitForFunction(() => !document.getElementById('mark').disabled);
  await page.selectOption('#label-select', 'HEALTH');
  await page.keyboard.press('Alt+KeyM');
  await page.waitForSelector('#marked mark.manual.l-HEALTH');
  edited = await page.inputValue('#redacted');
  expect(edited.includes('[HEALTH_2]') && !edited.includes('Babyausstattung'), `the manual span is redacted: ${edited}`);

  step('mark a term everywhere');
  await page.selectOption('#label-select', 'ORGANIZATION');
  await page.fill('#term', 'Support-Ticket');
  await page.press('#term', 'Enter');
  await page.waitForSelector('#marked mark.manual.l-ORGANIZATION');
  edited = await page.inputValue('#redacted');
  expect(edited.startsWith('Hier ist das [ORGANIZATION_1] von'), `the term is redacted: ${edited}`);

  step('personalise after the edits (the page\'s own mapping)');
  await page.fill('#answer', `Liebe Frau ${person}, die [HEALTH_2] zu Ihrem [ORGANIZATION_1] kommt morgen.`);
  await page.focus('#answer');
  await page.keyboard.press('Control+Enter');
  await page.waitForFunction(() => document.getElementById('personalized').value.startsWith('Liebe Frau Weber'));
  const again = await page.inputValue('#personalized');
  expect(again === 'Liebe Frau Weber, die Babyausstattung zu Ihrem Support-Ticket kommt morgen.', `restored with the edited mapping: ${again}`);

  step('discard the edits');
  await page.click('#reset-marks');
  expect((await page.inputValue('#redacted')) === redacted, 'the daemon\'s redaction is back');
  expect(!(await page.isVisible('#edited-note')), 'no edit note after reset');

  step('a GREEN text');
  await page.fill('#input', 'Durchschnittlicher Warenkorbwert: 85 €. NPS: 72.');
  await page.click('#check');
  await page.waitForSelector('#verdict[data-ampel="GREEN"]');
  expect((await page.textContent('#verdict-word')).trim() === 'GRÜN', 'the verdict word is GRÜN');
  expect(!(await page.isVisible('#red-advice')), 'no RED advice for GREEN');

  expect(problems.length === 0, `problems:\n${problems.join('\n')}`);
  step('passed');
} finally {
  if (context) await context.close();
  rmSync(profile, { recursive: true, force: true });
}
