// Drives the console's Pipelines page in Debian's Chromium (playwright-core, headless), for
// it/ConsolePipelinesBrowserTest:
//   node console-pipelines.mjs BASE_URL SCREENSHOT_DIR
// Builds a pipeline in the form, checks it as JSON, dry-runs and saves it, loads it again to change it, attaches it to
// an audience and watches a record before and after it in the audience's live tail, then pauses, resumes and detaches
// the audience. A failed expectation exits non-zero with why; prints one JSON line of what the steps saw.
import { chromium } from 'playwright-core';

const [base, shots] = process.argv.slice(2);
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const TIMEOUT = 20000;
const TOPIC = 'console-users';
const ID = 'mask-user-email';

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
const saw = {};

function fail(message) {
  throw new Error(message);
}

async function shot(name) {
  await page.screenshot({ path: `${shots}/${name}.png`, fullPage: true });
}

/** Waits until the input or textarea named name holds value (the page sets values as properties, not attributes). */
async function valueIs(name, value) {
  await page.waitForFunction(([n, v]) => document.querySelector(`[name="${n}"]`)?.value === v, [name, value]);
}

const step = (i) => page.locator(`[data-testid=step-${i}]`);
const audienceButton = (text) => page.locator('[data-testid=audiences] button', { hasText: text });

try {
  const created = await page.request.post(`${base}/v1/topics`, { data: { name: TOPIC } });
  if (!created.ok()) fail(`creating ${TOPIC}: ${created.status()} ${await created.text()}`);

  await page.goto(`${base}/#/pipelines`);
  await page.locator('h1', { hasText: 'Pipelines' }).waitFor();

  // A new pipeline: a detective finds the e-mail at /user/email, a transform masks what it found.
  await page.locator('button', { hasText: 'New pipeline' }).click();
  await page.fill('input[name=pipeline-id]', ID);
  await page.fill('input[name=pipeline-name]', 'Mask the user\'s e-mail');
  await page.fill('input[name=step-0-name]', 'find-email');
  await page.selectOption('select[name=step-0-kind]', 'detective');
  await page.selectOption('select[name=step-0-type]', 'pii_email');
  // The form offers exactly the types the API says a pipeline can use, for both kinds.
  const types = await (await page.request.get(`${base}/v1/pipelines/types`)).json();
  const offered = async (name) => (await page.locator(`select[name=${name}] option`).evaluateAll(
    (options) => options.map((o) => o.value).filter(Boolean))).sort().join(',');
  if (await offered('step-0-type') !== [...types.detective].sort().join(',')) {
    fail(`detective types: the form offers ${await offered('step-0-type')}, the API has ${types.detective}`);
  }
  await page.fill('input[name=step-0-path]', '/user/email');
  await step(0).locator('.conditions summary').click();
  await page.selectOption('select[name=step-0-onError]', 'dead_letter');
  await page.fill('input[name=step-0-onError-topic]', 'users.bad');

  await page.locator('button', { hasText: 'Add a step' }).click();
  await page.fill('input[name=step-1-name]', 'mask-email');
  await page.selectOption('select[name=step-1-kind]', 'transform');
  await page.selectOption('select[name=step-1-type]', 'mask');
  if (await offered('step-1-type') !== [...types.transform].sort().join(',')) {
    fail(`transform types: the form offers ${await offered('step-1-type')}, the API has ${types.transform}`);
  }
  await step(1).locator('.conditions summary').click();
  // Typed key by key: the text stays as typed while it is not yet key=value.
  await page.locator('textarea[name=step-1-onTrue-metadata]').pressSequentially('masked=email');

  // A third step moved up above the mask and down again (its fields go with it), then removed.
  await page.locator('button', { hasText: 'Add a step' }).click();
  await page.selectOption('select[name=step-2-kind]', 'validJson');
  await step(2).locator('button[title="Move up"]').click();
  await valueIs('step-1-name', 'step-3');
  await valueIs('step-2-name', 'mask-email');
  await valueIs('step-2-onTrue-metadata', 'masked=email');
  await step(1).locator('button[title="Move down"]').click();
  await valueIs('step-1-name', 'mask-email');
  await step(2).locator('button[title=Remove]').click();
  await step(2).waitFor({ state: 'detached' });

  // The same pipeline as JSON; a change there shows in the form; text that is not JSON keeps the form as it was.
  await page.locator('button', { hasText: 'Edit as JSON' }).click();
  const json = JSON.parse(await page.locator('textarea[name=pipeline]').inputValue());
  saw.json = json;
  const expected = {
    id: ID, name: 'Mask the user\'s e-mail', steps: [
      { name: 'find-email', detective: { type: 'pii_email', path: '/user/email' }, onError: { then: 'dead_letter', topic: 'users.bad' } },
      { name: 'mask-email', transform: { type: 'mask' }, onTrue: { metadata: { masked: 'email' } } },
    ],
  };
  if (JSON.stringify(json) !== JSON.stringify(expected)) fail(`the form made ${JSON.stringify(json)}`);
  await page.fill('textarea[name=pipeline]', '{"id": ');
  await page.locator('[data-testid=json-error]').waitFor();
  if (!(await page.locator('button', { hasText: 'Save' }).isDisabled())) fail('Save is enabled while the JSON is invalid');
  await page.fill('textarea[name=pipeline]', JSON.stringify({ ...json, name: 'Mask e-mail addresses of users' }, null, 2));
  await page.locator('[data-testid=json-error]').waitFor({ state: 'detached' });
  await page.locator('button', { hasText: 'Edit as a form' }).click();
  await valueIs('pipeline-name', 'Mask e-mail addresses of users');
  await valueIs('step-0-path', '/user/email');

  // Dry run on a sample: the verdict, the masked value, the header the condition added and each step's answer.
  await page.fill('textarea[name=sample]', '{"user": {"email": "ada@example.com", "name": "Ada"}}');
  await page.locator('button', { hasText: 'Dry run' }).click();
  const dry = page.locator('[data-testid=dry-run]');
  await dry.locator('pre.json', { hasText: '"email": "***************"' }).waitFor();
  saw.dryRun = await dry.innerText();
  for (const text of ['pass', 'masked=email', 'find-email', 'mask-email', '"name": "Ada"']) {
    if (!saw.dryRun.includes(text)) fail(`the dry run does not show ${text}: ${saw.dryRun}`);
  }
  await shot('pipeline-form');

  // The API's 400 names the step and field, next to the button; then saved for real.
  await page.selectOption('select[name=step-1-type]', 'truncate');
  await page.locator('button', { hasText: 'Save' }).click();
  const refused = page.locator('.action .error', { hasText: 'mask-email' });
  await refused.waitFor();
  saw.saveError = await refused.innerText();
  // The step the API names is marked in the form, and only that one; a good save clears it.
  await page.locator('[data-testid=step-1].bad').waitFor();
  if (await page.locator('.step.bad').count() !== 1) fail('more than the refused step is marked');
  await page.selectOption('select[name=step-1-type]', 'mask');
  await page.locator('button', { hasText: 'Save' }).click();
  await page.locator('[data-testid=saved]', { hasText: 'version 1' }).waitFor();
  await page.locator('.step.bad').waitFor({ state: 'detached' });
  await page.locator('[data-testid=pipelines] td', { hasText: 'find-email → mask-email' }).waitFor();

  // Loaded from the list into the form, changed and saved again.
  await page.locator('button', { hasText: 'New pipeline' }).click();
  await valueIs('pipeline-id', '');
  await page.locator('[data-testid=pipelines] button.link', { hasText: ID }).click();
  await valueIs('pipeline-id', ID);
  await valueIs('step-0-path', '/user/email');
  await valueIs('step-1-onTrue-metadata', 'masked=email');
  await page.fill('input[name=pipeline-name]', 'Mask e-mails');
  await page.locator('button', { hasText: 'Save' }).click();
  await page.locator('[data-testid=saved]', { hasText: 'version 2' }).waitFor();

  // Attached to every client's records produced to the topic.
  await page.locator('summary', { hasText: 'Attach pipelines to an audience' }).click();
  await page.fill('input[name=audience-service]', '*');
  await page.fill('input[name=audience-topic]', TOPIC);
  await page.selectOption('select[name=audience-direction]', 'produce');
  await page.fill('input[name=audience-pipelines]', ID);
  await page.locator('button', { hasText: 'Attach' }).click();
  await page.locator('[data-testid=audiences] td', { hasText: ID }).waitFor();

  // The audience's live tail: a record produced through the REST API, before and after the pipeline.
  await audienceButton('Tail').click();
  await page.locator('[data-testid=audience-tail]').waitFor();
  // Samples start once the broker has read the tail's lease: produce until one arrives.
  const sample = page.locator('[data-testid=audience-tail] tbody tr').first();
  const sampled = Date.now() + TIMEOUT;
  for (;;) {
    const produced = await page.request.post(`${base}/v1/topics/${TOPIC}/records`, {
      data: { records: [{ value: { user: { email: 'grace@example.com', name: 'Grace' } } }] },
    });
    if (!produced.ok()) fail(`producing through the API: ${produced.status()} ${await produced.text()}`);
    try {
      await sample.locator('td', { hasText: 'grace@example.com' }).waitFor({ timeout: 1000 });
      break;
    } catch (e) {
      if (Date.now() > sampled) fail('no sample in the audience tail');
    }
  }
  saw.before = await sample.locator('td').nth(2).innerText();
  saw.after = await sample.locator('td').nth(3).innerText();
  if (!saw.after.includes('"email": "*****************"') || saw.after.includes('grace@example.com')) {
    fail(`after the pipeline: ${saw.after}`);
  }
  await shot('pipeline-tail');

  // Paused (records pass untouched), resumed, then detached, which closes the tail.
  await audienceButton('Pause').click();
  await page.locator('[data-testid=audience-state]', { hasText: 'paused' }).waitFor();
  saw.paused = await page.locator('[data-testid=audience-state]').innerText();
  await audienceButton('Resume').click();
  await page.locator('[data-testid=audience-state]', { hasText: 'running' }).waitFor();
  page.once('dialog', (dialog) => dialog.accept());
  await audienceButton('Detach').click();
  await page.locator('p[data-testid=audiences]', { hasText: 'None yet' }).waitFor();
  await page.locator('[data-testid=audience-tail]').waitFor({ state: 'detached' });

  if (errors.length) fail(`errors in the page: ${errors.join('; ')}`);
  console.log(JSON.stringify({ saw }));
} catch (e) {
  await shot('pipeline-failure').catch(() => {});
  console.error(e.stack || String(e));
  process.exitCode = 1;
} finally {
  await browser.close();
}
