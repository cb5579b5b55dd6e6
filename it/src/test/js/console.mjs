// Drives Sluice's web console in Debian's Chromium (playwright-core, headless), for it/ConsoleBrowserTest:
//   node console.mjs BASE_URL SCREENSHOT_DIR SERVICE_ZIP [TOKEN]
// Every step goes through the console's pages as a user would; a failed expectation exits non-zero with why.
// Prints one JSON line: how long each page took to become interactive (ms) and what the steps saw.
import { chromium } from 'playwright-core';

const [base, shots, serviceZip, token] = process.argv.slice(2);
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const TIMEOUT = 20000;

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  // As root in a sandbox, with no network but loopback: no sandbox, no background connections.
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
page.setDefaultTimeout(TIMEOUT);
const errors = [];
page.on('pageerror', (e) => errors.push(e.message));
const result = { interactiveMs: {}, saw: {} };

function fail(message) {
  throw new Error(message);
}

async function shot(name) {
  await page.screenshot({ path: `${shots}/${name}.png`, fullPage: true });
}

/** Navigates to a console page and times it until `ready` is visible. */
async function open(name, hash, ready) {
  const started = Date.now();
  await page.goto(`${base}/${hash}`);
  await page.locator(ready).first().waitFor({ state: 'visible' });
  result.interactiveMs[name] = Date.now() - started;
}

async function section(summary) {
  await page.locator('summary', { hasText: summary }).click();
}

try {
  if (token) {
    await page.goto(`${base}/`);
    await page.locator('form.login').waitFor();
    await shot('login');
    await page.fill('input[name=token]', 'not-the-token');
    await page.click('form.login button');
    await page.locator('form.login .error').waitFor();
    result.saw.wrongToken = await page.locator('form.login .error').innerText();
    await page.fill('input[name=token]', token);
    await page.click('form.login button');
    await page.locator('nav .brand').waitFor();
  }

  // Topics: create one, produce a record, read it back.
  await open('topics', '#/topics', 'h1:has-text("Topics")');
  await section('Create a topic');
  await page.fill('input[name=topic-name]', 'console-orders');
  await page.locator('.panel button.primary', { hasText: 'Create' }).click();
  await page.locator('[data-testid=topics] a', { hasText: 'console-orders' }).click();
  await page.locator('[data-testid=partitions]').waitFor();
  await section('Produce a record');
  await page.fill('textarea[name=record-value]', '{"order": 1, "email": "ada@example.com"}');
  await page.locator('button', { hasText: 'Produce' }).click();
  await page.locator('[data-testid=produced]').waitFor();
  await page.locator('button', { hasText: 'Read' }).click();
  await page.locator('[data-testid=browse] td', { hasText: 'ada@example.com' }).waitFor();
  await shot('topic');
  result.saw.browsed = await page.locator('[data-testid=browse] pre').first().innerText();
  await open('topic', '#/topics/console-orders', '[data-testid=partitions]');
  // A config set in the form, then reset from its row; and the topic's own traffic chart.
  await section('Change partitions or configs');
  await page.fill('textarea[name=configs]', 'retention.ms=3600000');
  await page.locator('button', { hasText: 'Apply' }).click();
  await section('Configs (');
  const retention = page.locator('[data-testid=configs] tr')
    .filter({ has: page.locator('td:first-child', { hasText: /^retention\.ms$/ }) });
  await retention.filter({ hasText: '3600000' }).waitFor();
  page.once('dialog', (dialog) => dialog.accept());
  await retention.locator('button', { hasText: 'Reset' }).click();
  await retention.filter({ hasText: '604800000' }).waitFor();
  await page.locator('[data-testid=charts]:not([data-points="0"])').waitFor();

  // Pipelines: the example masks e-mail addresses; attach it to a topic's producers and watch the tail.
  await open('pipelines', '#/pipelines', 'h1:has-text("Pipelines")');
  await section('Create or change a pipeline');
  // Built in the form: a third step added and set up, then removed again; the first two are the example's.
  await page.locator('button', { hasText: 'Add a step' }).click();
  await page.selectOption('select[name=step-2-kind]', 'transform');
  await page.selectOption('select[name=step-2-type]', 'truncate');
  await page.locator('[data-testid=step-2] button[title=Remove]').click();
  await page.selectOption('select[name=step-0-type]', 'pii_email');
  await page.fill('input[name=step-0-path]', '/email');
  await page.locator('button', { hasText: 'Edit as JSON' }).click();
  const json = JSON.parse(await page.locator('textarea[name=pipeline]').inputValue());
  if (json.steps.length !== 2 || json.steps[0].detective.path !== '/email') fail(`the form made ${JSON.stringify(json)}`);
  await page.locator('button', { hasText: 'Edit as a form' }).click();
  await page.fill('textarea[name=sample]', '{"email": "ada@example.com"}');
  await page.locator('button', { hasText: 'Dry run' }).click();
  await page.locator('pre.json', { hasText: '***' }).waitFor();
  await page.locator('button', { hasText: 'Save' }).click();
  await page.locator('[data-testid=pipelines] td', { hasText: 'mask-emails' }).waitFor();
  await section('Attach pipelines to an audience');
  await page.fill('input[name=audience-topic]', 'console-orders');
  await page.fill('input[name=audience-pipelines]', 'mask-emails');
  await page.locator('button', { hasText: 'Attach' }).click();
  await page.locator('[data-testid=audiences] td', { hasText: 'mask-emails' }).waitFor();
  // The audience's live tail shows a record before and after the pipeline.
  await page.locator('[data-testid=audiences] button', { hasText: 'Tail' }).click();
  await page.locator('[data-testid=audience-tail]').waitFor();
  // Samples start once the broker has read the tail's lease: produce until one arrives.
  const sample = page.locator('[data-testid=audience-tail] tbody tr').first();
  const sampled = Date.now() + TIMEOUT;
  for (;;) {
    const produced = await page.request.post(`${base}/v1/topics/console-orders/records`, {
      headers: token ? { Authorization: `Bearer ${token}` } : {},
      data: { records: [{ value: { order: 3, email: 'alan@example.com' }, headers: { trace: 'console-3' } }] },
    });
    if (!produced.ok()) fail(`producing through the API: ${produced.status()} ${await produced.text()}`);
    try {
      await sample.locator('td', { hasText: 'alan@example.com' }).waitFor({ timeout: 1000 });
      break;
    } catch (e) {
      if (Date.now() > sampled) fail('no sample in the audience tail');
    }
  }
  result.saw.audienceBefore = await sample.locator('td').nth(2).innerText();
  result.saw.audienceAfter = await sample.locator('td').nth(3).innerText();
  if (result.saw.audienceAfter.includes('alan@example.com')) fail(`after the pipeline: ${result.saw.audienceAfter}`);
  await shot('pipelines');
  await page.locator('[data-testid=audiences] button', { hasText: 'Stop tail' }).click();
  await page.goto(`${base}/#/topics/console-orders`);
  await page.locator('button', { hasText: 'Start' }).click();
  await page.locator('.live').waitFor();
  await section('Produce a record');
  await page.fill('textarea[name=record-value]', '{"order": 2, "email": "grace@example.com"}');
  await page.locator('button', { hasText: 'Produce' }).click();
  const tailed = page.locator('[data-testid=tail] pre', { hasText: '"order": 2' });
  await tailed.waitFor();
  result.saw.tailed = await tailed.innerText();
  if (result.saw.tailed.includes('grace@example.com')) fail(`the tail shows the address unmasked: ${result.saw.tailed}`);
  if (!result.saw.tailed.includes('*****************')) fail(`the tail shows no masked address: ${result.saw.tailed}`);
  await shot('tail');

  // Sources: create one and post to its URL.
  await open('sources', '#/sources', 'h1:has-text("HTTP sources")');
  await section('Create a source');
  await page.fill('input[name=source-name]', 'console-web');
  await page.fill('input[name=source-topic]', 'console-clicks');
  await page.locator('.panel button.primary', { hasText: 'Create' }).click();
  const url = await page.locator('[data-testid=ingest-url]').first().innerText();
  const posted = await page.request.post(url, { data: { clicked: 'buy' } });
  if (!posted.ok()) fail(`posting to ${url}: ${posted.status()} ${await posted.text()}`);
  result.saw.ingestStatus = posted.status();
  await shot('sources');
  await page.goto(`${base}/#/topics/console-clicks`);
  await page.locator('button', { hasText: 'Read' }).click();
  await page.locator('[data-testid=browse] td', { hasText: 'buy' }).waitFor();

  // Services: deploy a package, run it by hand, read its logs.
  await open('services', '#/services', 'h1:has-text("Services")');
  await section('Deploy a service');
  await page.setInputFiles('input[name=package]', serviceZip);
  await page.locator('button', { hasText: 'Deploy' }).click();
  await page.locator('[data-testid=deployed]').waitFor();
  await page.locator('[data-testid=services] a', { hasText: 'console-hello' }).click();
  await page.locator('[data-testid=versions]').waitFor();
  await page.fill('textarea[name=run-data]', '{"name": "Ada"}');
  await page.locator('button', { hasText: 'Run' }).first().click();
  const startedHref = await page.locator('[data-testid=started] a').getAttribute('href');
  await page.locator('[data-testid=started] a').click();
  const logs = page.locator('[data-testid=run-logs]');
  const deadline = Date.now() + TIMEOUT;
  // The run starts once the router reads its event; refresh until it has ended.
  for (;;) {
    // A short timeout: the status is not on the page until the run's record can be read.
    const status = await page.locator('[data-testid=run-status]').innerText({ timeout: 250 }).catch(() => '');
    if (status === 'succeeded') break;
    if (['failed', 'timed_out', 'interrupted'].includes(status)) fail(`the run ended ${status}`);
    if (Date.now() > deadline) {
      const runs = await page.request.get(`${base}/v1/runs`, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
      const one = await page.request.get(`${base}/v1/runs/${startedHref.split('/').pop()}`, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
      fail(`GET run: ${one.status()} ${(await one.text()).slice(0, 300)}; the run ${startedHref} did not end in time (status '${status}', page ${page.url()}); runs: ${await runs.text()}`);
    }
    await page.waitForTimeout(250);
    await page.locator('button.link', { hasText: 'refresh' }).click();
  }
  await logs.filter({ hasText: 'hello Ada' }).waitFor();
  result.saw.logs = await logs.innerText();
  await shot('run');
  await open('service', '#/services/console-hello', '[data-testid=versions]');
  await shot('service');

  await open('sinks', '#/sinks', 'h1:has-text("Table sinks")');
  // A DuckDB sink of the orders topic, with slices and files that close within a second, and its status.
  await section('Create a sink');
  await page.fill('textarea[name=sink]', JSON.stringify({
    name: 'console-orders-table', topics: ['console-orders'],
    mapping: [{ name: 'order_no', path: '/order', type: 'long' }, { name: 'email', path: '/email', type: 'string' }],
    target: { type: 'duckdb', table: 'console_orders' },
    conditions: { slice: { ageMs: 300 }, file: { ageMs: 600 } },
  }, null, 2));
  await page.locator('.panel button.primary', { hasText: 'Create' }).click();
  await page.locator('[data-testid=sinks] button.link', { hasText: 'console-orders-table' }).click();
  await page.locator('[data-testid=sink-detail]').waitFor();
  const imported = page.locator('[data-testid=rows-imported]');
  for (let i = 0; i < 60; i++) {
    if ((await imported.count()) && Number(await imported.innerText({ timeout: 500 })) > 0) break;
    await page.waitForTimeout(500);
    await page.locator('[data-testid=sink-detail] button', { hasText: 'Refresh' }).click();
  }
  result.saw.sinkImported = await imported.innerText({ timeout: 500 });
  await shot('sinks');
  await open('overview', '#/overview', '[data-testid=flow]');
  await page.locator('[data-testid=flow] text', { hasText: 'sink console-orders-table' }).waitFor();
  await page.locator('[data-testid=flow] text', { hasText: 'console-orders' }).first().waitFor();
  // The Kafka producer the test keeps connected: on the graph, and in the live clients with its library.
  await page.locator('[data-testid=flow] text', { hasText: 'Kafka checkout-app' }).waitFor();
  result.saw.kafkaClient = await page.locator('[data-testid=clients] tr', { hasText: 'checkout-app' }).first()
    .innerText();
  // Two samples of /v1/stats make the charts' first point.
  await page.locator('[data-testid=charts]:not([data-points="0"])').waitFor();
  await shot('overview');
  if (errors.length) fail(`errors in the page: ${errors.join('; ')}`);
  console.log(JSON.stringify(result));
} catch (e) {
  await shot('failure').catch(() => {});
  console.error(e.stack || String(e));
  process.exitCode = 1;
} finally {
  await browser.close();
}
