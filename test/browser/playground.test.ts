/**
 * The playground in a real browser: headless Chromium (Debian `chromium`) driven by
 * playwright-core loads playground/dist from scripts/playground.mjs's static server, types
 * commands and checks the terminal, the key browser and the RESP view. Skipped with a visible
 * notice when Chromium is absent (`apt-get install -y chromium`; .ci/run does this).
 *
 * Also reports what the page costs: the WASM size and the time from navigation to the engine's
 * first reply (performance marks `wasmdis:ready`, `wasmdis:first-reply`), with and without
 * cross-origin isolation (shared vs local memory).
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
// @ts-expect-error: a plain .mjs script without type declarations
import { buildPlayground, servePlayground } from '../../scripts/playground.mjs';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const haveChromium = fs.existsSync(CHROMIUM);
if (!haveChromium) {
  console.warn(`\n[wasmdis tests] SKIPPED "playground in Chromium": ${CHROMIUM} is not installed (apt-get install -y chromium; .ci/run does this).\n`);
}

interface Served { url: string; port: number; close(): Promise<void> }

const REPLIES = '#output pre.reply:not(.info):not(.push)';

/** Type a line into the terminal and return the text of the reply it produced. */
async function type(page: Page, line: string): Promise<string> {
  const before = await page.locator(REPLIES).count();
  await page.fill('#input', line);
  await page.press('#input', 'Enter');
  await page.waitForFunction(([sel, n]) => document.querySelectorAll(sel as string).length > (n as number), [REPLIES, before] as const);
  return (await page.locator(REPLIES).nth(before).textContent()) ?? '';
}

/** The key browser's row for `key`: [key, type, ttl, size, value]. */
async function keyRow(page: Page, key: string): Promise<string[]> {
  const row = page.locator(`#keys tbody tr[data-key=${JSON.stringify(key)}]`);
  await row.waitFor();
  return row.locator('td').allTextContents();
}

/** The last exchange of the RESP view: [sent, received] escaped bytes. */
async function lastResp(page: Page): Promise<[string, string]> {
  const li = page.locator('#resp-log li').last();
  return [(await li.locator('.sent code').textContent()) ?? '', (await li.locator('.recv code').textContent()) ?? ''];
}

async function open(context: BrowserContext, url: string): Promise<{ page: Page; errors: string[] }> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url);
  await page.waitForSelector('body.ready', { timeout: 15_000 });
  return { page, errors };
}

(haveChromium ? describe : describe.skip)('playground in Chromium', () => {
  let browser: Browser;
  let isolated: Served;
  let plain: Served;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  let sizes: Record<string, number>;

  beforeAll(async () => {
    sizes = await buildPlayground({ quiet: true });
    isolated = await servePlayground({ isolation: true });
    plain = await servePlayground({ isolation: false });
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
    context = await browser.newContext();
    ({ page, errors } = await open(context, isolated.url));
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await isolated?.close();
    await plain?.close();
  });

  it('loads the engine over shared memory when cross-origin isolated, and reports its cost', async () => {
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    expect(await page.getAttribute('#status', 'data-memory')).toBe('shared');
    const marks = await page.evaluate(() => Object.fromEntries(performance.getEntriesByType('mark').map((m) => [m.name, m.startTime])));
    expect(marks['wasmdis:ready']).toBeGreaterThan(0);
    expect(marks['wasmdis:first-reply']).toBeGreaterThanOrEqual(marks['wasmdis:ready']);
    const wasm = Number(await page.getAttribute('#status', 'data-wasm-bytes'));
    expect(wasm).toBe(sizes['wasmdis.wasm']);
    console.log(
      `[playground] wasmdis.wasm ${(wasm / 1024).toFixed(1)} KiB, worker.js ${(sizes['worker.js'] / 1024).toFixed(1)} KiB, ` +
        `main.js ${(sizes['main.js'] / 1024).toFixed(1)} KiB; shared memory: engine ready ${marks['wasmdis:ready'].toFixed(0)} ms, ` +
        `first reply ${marks['wasmdis:first-reply'].toFixed(0)} ms after navigation (${await page.textContent('#status')})`,
    );
  });

  it('answers commands as redis-cli prints them', async () => {
    expect(await type(page, 'SET greeting "hello world"')).toBe('OK');
    expect(await type(page, 'GET greeting')).toBe('"hello world"');
    expect(await type(page, 'GET nosuchkey')).toBe('(nil)');
    expect(await type(page, 'LPUSH mylist a b c')).toBe('(integer) 3');
    expect(await type(page, 'LRANGE mylist 0 -1')).toBe('1) "c"\n2) "b"\n3) "a"');
    expect(await type(page, 'HSET user:1 name "Ada Lovelace" born 1815')).toBe('(integer) 2');
    expect(await type(page, 'EXPIRE greeting 100')).toBe('(integer) 1');
    expect(await type(page, 'TTL greeting')).toMatch(/^\(integer\) (100|99)$/);
    expect(await type(page, 'NOSUCHCOMMAND x')).toBe("(error) ERR unknown command 'NOSUCHCOMMAND', with args beginning with: 'x' ");
    expect(await type(page, 'LPUSH greeting x')).toBe('(error) WRONGTYPE Operation against a key holding the wrong kind of value');
    // INFO prints raw, as in redis-cli
    expect(await type(page, 'INFO keyspace')).toMatch(/^# Keyspace\ndb0:keys=\d+,expires=\d+,avg_ttl=\d+$/);
    expect(await type(page, 'GET')).toBe("(error) ERR wrong number of arguments for 'get' command");
    expect(await page.locator(REPLIES).last().getAttribute('class')).toContain('error');
    // quoting and escapes as redis-cli splits them; binary replies escaped as it shows them
    expect(await type(page, `SET bin "a\\tb\\x00\\xff" `)).toBe('OK');
    expect(await type(page, 'GET bin')).toBe('"a\\tb\\x00\\xff"');
    expect(await type(page, 'SET "unbalanced')).toBe('Invalid argument(s)');
    expect(await type(page, "ECHO 'it\\'s'")).toBe('"it\'s"');
    // help <command>, as redis-cli prints it (syntax from the engine's COMMAND DOCS)
    const info = '#output pre.reply.info';
    const before = await page.locator(info).count();
    await page.fill('#input', 'help config set');
    await page.press('#input', 'Enter');
    await page.waitForFunction(([sel, n]) => document.querySelectorAll(sel as string).length > (n as number), [info, before] as const);
    expect(await page.locator(info).nth(before).textContent()).toMatch(/^ {2}CONFIG SET parameter value \[parameter value \.\.\.\]\n {2}summary: .+\n {2}since: 2\.0\.0\n {2}group: server$/);
    expect(errors).toEqual([]);
  });

  it('shows keys, types, TTLs and values in the key browser', async () => {
    await page.waitForFunction(() => document.querySelector('#keys-info')?.textContent?.includes('4 keys'));
    const [key, kind, ttl, , value] = await keyRow(page, 'greeting');
    expect([key, kind, value]).toEqual(['greeting', 'string', '"hello world"']);
    expect(ttl).toMatch(/^1m (39|40)s$|^100s$/);
    expect(await keyRow(page, 'mylist')).toEqual(['mylist', 'list', '', '3', '"c", "b", "a"']);
    expect(await keyRow(page, 'user:1')).toEqual(['user:1', 'hash', '', '2', '"name": "Ada Lovelace", "born": "1815"']);
    expect(await keyRow(page, 'bin')).toEqual(['bin', 'string', '', '5 B', '"a\\tb\\x00\\xff"']);
    // a key that is not plain printable text is shown quoted, as redis-cli would print it
    expect(await type(page, 'SADD "odd key\\x01" m1')).toBe('(integer) 1');
    expect(await keyRow(page, '"odd key\\x01"')).toEqual(['"odd key\\x01"', 'set', '', '1', '"m1"']);
    expect(await type(page, 'DEL "odd key\\x01"')).toBe('(integer) 1');
    // a key with a short TTL disappears by active expiry, with nothing typed
    await type(page, 'SET brief x PX 300');
    await keyRow(page, 'brief');
    await page.locator('#keys tbody tr[data-key="brief"]').waitFor({ state: 'detached', timeout: 5000 });
    expect(await type(page, 'EXISTS brief')).toBe('(integer) 0');
    // SELECT: the prompt and the key browser follow the connection's database
    expect(await type(page, 'SELECT 1')).toBe('OK');
    expect(await page.textContent('#prompt')).toBe('wasmdis[1]> ');
    await page.waitForFunction(() => document.querySelector('#keys-info')?.textContent?.startsWith('db 1 · 0 keys'));
    expect(await type(page, 'SELECT 0')).toBe('OK');
    expect(await page.textContent('#prompt')).toBe('wasmdis> ');
  });

  it('shows the RESP bytes of each exchange', async () => {
    await type(page, 'PING');
    expect(await lastResp(page)).toEqual(['*1\\r\\n$4\\r\\nPING\\r\\n', '+PONG\\r\\n']);
    await type(page, 'GET greeting');
    expect(await lastResp(page)).toEqual(['*2\\r\\n$3\\r\\nGET\\r\\n$8\\r\\ngreeting\\r\\n', '$11\\r\\nhello world\\r\\n']);
    await type(page, 'LPUSH mylist x');
    expect(await lastResp(page)).toEqual(['*3\\r\\n$5\\r\\nLPUSH\\r\\n$6\\r\\nmylist\\r\\n$1\\r\\nx\\r\\n', ':4\\r\\n']);
    await type(page, 'foo');
    expect((await lastResp(page))[1]).toBe("-ERR unknown command 'foo', with args beginning with: \\r\\n");
  });

  it('switches to RESP3 with HELLO 3 and formats its types as redis-cli -3', async () => {
    const hello = await type(page, 'HELLO 3');
    expect(hello).toMatch(/^1# "server" => "redis"\n2# "version" => "7\.0\.\d+"\n3# "proto" => \(integer\) 3\n4# "id" => \(integer\) \d+\n5# "mode" => "standalone"\n6# "role" => "master"\n7# "modules" => \(empty array\)$/);
    expect((await lastResp(page))[1]).toMatch(/^%7\\r\\n\$6\\r\\nserver\\r\\n/);
    expect(await type(page, 'HGETALL user:1')).toBe('1# "name" => "Ada Lovelace"\n2# "born" => "1815"');
    expect(await type(page, 'SMEMBERS nothing')).toBe('(empty set)');
    expect(await type(page, 'GET nosuchkey')).toBe('(nil)');
    expect((await lastResp(page))[1]).toBe('_\\r\\n');
    // Pub/Sub on one RESP3 connection: the message to itself arrives as a push before PUBLISH's reply
    expect(await type(page, 'SUBSCRIBE news')).toBe('1) "subscribe"\n2) "news"\n3) (integer) 1');
    expect(await type(page, 'PUBLISH news hello')).toBe('1) "message"\n2) "news"\n3) "hello"\n(integer) 1');
    expect((await lastResp(page))[1]).toBe('>3\\r\\n$7\\r\\nmessage\\r\\n$4\\r\\nnews\\r\\n$5\\r\\nhello\\r\\n:1\\r\\n');
    expect(await type(page, 'UNSUBSCRIBE')).toBe('1) "unsubscribe"\n2) "news"\n3) (integer) 0');
    expect(await type(page, 'HELLO 2')).toMatch(/^ 1\) "server"\n 2\) "redis"/);
  });

  it('keeps a history walked with the arrow keys', async () => {
    await type(page, 'ECHO one');
    await type(page, 'ECHO two');
    await page.fill('#input', 'draft');
    await page.press('#input', 'ArrowUp');
    expect(await page.inputValue('#input')).toBe('ECHO two');
    await page.press('#input', 'ArrowUp');
    expect(await page.inputValue('#input')).toBe('ECHO one');
    await page.press('#input', 'ArrowDown');
    await page.press('#input', 'ArrowDown');
    expect(await page.inputValue('#input')).toBe('draft');
    await page.press('#input', 'ArrowUp');
    await page.press('#input', 'Enter');
    await page.waitForFunction(() => document.querySelector('#output pre.reply:last-child')?.textContent === '"two"');
  });

  it('runs transactions and blocking commands (the prompt shows MULTI)', async () => {
    expect(await type(page, 'MULTI')).toBe('OK');
    expect(await page.textContent('#prompt')).toBe('wasmdis(TX)> ');
    expect(await type(page, 'INCR counter')).toBe('QUEUED');
    expect(await type(page, 'EXEC')).toBe('1) (integer) 1');
    expect(await page.textContent('#prompt')).toBe('wasmdis> ');
    expect(await type(page, 'BLPOP nothing 0.2')).toBe('(nil)');
    // a command blocked forever: Esc interrupts it as redis-cli's Ctrl+C does (a new connection)
    expect(await type(page, 'CLIENT SETNAME first')).toBe('OK');
    await page.fill('#input', 'BLPOP nothing 0');
    await page.press('#input', 'Enter');
    await page.waitForFunction(() => document.querySelector('#input')?.getAttribute('placeholder')?.startsWith('waiting'));
    await page.press('#input', 'Escape');
    await page.waitForFunction(() => document.querySelector('#output pre.reply:last-child')?.textContent?.startsWith('(interrupted'));
    expect(await type(page, 'CLIENT GETNAME')).toBe('(nil)');
    expect(await page.getAttribute('#input', 'placeholder')).toBe('');
    expect(await type(page, '3 INCR counter')).toBe('(integer) 2');
    await page.waitForFunction(() => document.querySelector('#output pre.reply:last-child')?.textContent === '(integer) 4');
  });

  it('loads over local memory where the page is not cross-origin isolated', async () => {
    const ctx = await browser.newContext();
    const { page: p, errors: errs } = await open(ctx, plain.url);
    expect(await p.evaluate(() => crossOriginIsolated)).toBe(false);
    expect(await p.getAttribute('#status', 'data-memory')).toBe('local');
    expect(await type(p, 'RPUSH q 1 2 3')).toBe('(integer) 3');
    expect(await type(p, 'LPOP q 2')).toBe('1) "1"\n2) "2"');
    const marks = await p.evaluate(() => Object.fromEntries(performance.getEntriesByType('mark').map((m) => [m.name, m.startTime])));
    console.log(
      `[playground] local memory: wasmdis-local.wasm ${(sizes['wasmdis-local.wasm'] / 1024).toFixed(1)} KiB, engine ready ` +
        `${marks['wasmdis:ready'].toFixed(0)} ms, first reply ${marks['wasmdis:first-reply'].toFixed(0)} ms after navigation`,
    );
    expect(errs).toEqual([]);
    await ctx.close();
  });

  it.each(['plain', 'isolated'] as const)('works offline once loaded (service worker, %s)', async (which) => {
    const ctx = await browser.newContext();
    const { page: p } = await open(ctx, (which === 'plain' ? plain : isolated).url);
    await p.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    // the worker caches the page's files on install; wait until they are all there
    await p.waitForFunction(async () => {
      const names = await caches.keys();
      if (names.length === 0) return false;
      const c = await caches.open(names[0]);
      return (await c.keys()).length >= 7;
    });
    await ctx.setOffline(true);
    await p.reload();
    await p.waitForSelector('body.ready', { timeout: 15_000 });
    expect(await type(p, 'SET offline yes')).toBe('OK');
    expect(await type(p, 'GET offline')).toBe('"yes"');
    expect(await p.getAttribute('#status', 'data-memory')).toBe(which === 'plain' ? 'local' : 'shared');
    await ctx.close();
  });
});
