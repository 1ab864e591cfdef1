/**
 * The playground page: a redis-cli–like terminal (history, quoting, redis-cli's reply
 * formatting), a key browser and the raw RESP of every exchange. The engine runs in
 * worker.ts; this module only draws.
 *
 * Performance marks for tests and curious users: `wasmdis:ready` (engine loaded),
 * `wasmdis:first-reply` (first reply from the engine).
 */
import { splitArgs } from './split.js';
import { escapeBytes, formatRaw, formatReply, parseReplies, printsRaw } from './resp.js';
import type { FromWorker, KeySnapshot, SessionState, ToWorker } from './protocol.js';

const $ = <T extends HTMLElement>(sel: string) => document.querySelector(sel) as T;
const output = $<HTMLDivElement>('#output');
const input = $<HTMLInputElement>('#input');
const promptEl = $<HTMLSpanElement>('#prompt');
const form = $<HTMLFormElement>('#repl');
const status = $<HTMLSpanElement>('#status');
const keysBody = $<HTMLTableSectionElement>('#keys tbody');
const keysInfo = $<HTMLSpanElement>('#keys-info');
const respLog = $<HTMLOListElement>('#resp-log');

/** Longest stretch of protocol bytes the RESP view shows per message. */
const RESP_VIEW_MAX = 4096;
const HISTORY_KEY = 'wasmdis-playground-history';
const HISTORY_MAX = 200;

const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
const send = (m: ToWorker) => worker.postMessage(m);

let session: SessionState = { db: 0, resp: 2, multi: false, subscribed: 0, monitor: false, blocked: false };
let ready = false;
let busy = 0;
let nextId = 1;
let firstReply = false;
/** Lines typed, oldest first; `cursor` walks it with the arrow keys. */
const history: string[] = loadHistory();
let cursor = history.length;
let draft = '';

function loadHistory(): string[] {
  try {
    const h = JSON.parse(localStorage.getItem(HISTORY_KEY) ?? '[]');
    return Array.isArray(h) ? h.filter((x) => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

function saveHistory(): void {
  try {
    localStorage.setItem(HISTORY_KEY, JSON.stringify(history.slice(-HISTORY_MAX)));
  } catch {
    /* storage may be unavailable (private mode): history stays in memory */
  }
}

/** redis-cli's prompt: `[db]` when not db 0, `(TX)` inside MULTI. */
function promptText(): string {
  return `wasmdis${session.db !== 0 ? `[${session.db}]` : ''}${session.multi ? '(TX)' : ''}> `;
}

function append(cls: string, text: string): HTMLElement {
  const el = document.createElement(cls === 'cmd' ? 'div' : 'pre');
  el.className = cls;
  el.textContent = text;
  output.append(el);
  output.scrollTop = output.scrollHeight;
  return el;
}

function echo(line: string): void {
  const el = document.createElement('div');
  el.className = 'cmd';
  const p = document.createElement('span');
  p.className = 'prompt';
  p.textContent = promptText();
  el.append(p, document.createTextNode(line));
  output.append(el);
}

function mark(name: string): void {
  if (performance.getEntriesByName(name).length === 0) performance.mark(name);
}

/** Command ids whose replies redis-cli prints raw (see printsRaw). */
const rawReplies = new Set<number>();

function formatAll(bytes: Uint8Array, raw = false): { text: string; error: boolean } {
  const replies = parseReplies(bytes);
  const text = raw
    ? replies.map((r) => (r.t === 'push' ? formatReply(r) : formatRaw(r).replace(/\r\n/g, '\n').replace(/\n?$/, '\n'))).join('')
    : replies.map((r) => formatReply(r)).join('');
  return { text: text.replace(/\n$/, ''), error: replies.some((r) => r.t === 'error') };
}

function logResp(dir: 'sent' | 'recv' | 'push', bytes: Uint8Array, item?: HTMLLIElement): HTMLLIElement {
  const li = item ?? document.createElement('li');
  const row = document.createElement('div');
  row.className = dir;
  const arrow = document.createElement('span');
  arrow.className = 'arrow';
  arrow.textContent = dir === 'sent' ? '→' : dir === 'recv' ? '←' : '⇠';
  arrow.title = dir === 'sent' ? 'sent' : dir === 'recv' ? 'received' : 'pushed (not a reply)';
  const code = document.createElement('code');
  code.textContent = escapeBytes(bytes, RESP_VIEW_MAX) + (bytes.length > RESP_VIEW_MAX ? ` … (${bytes.length} bytes)` : '');
  const len = document.createElement('span');
  len.className = 'len';
  len.textContent = `${bytes.length} B`;
  row.append(arrow, code, len);
  li.append(row);
  if (!item) {
    respLog.append(li);
    while (respLog.children.length > 100) respLog.firstElementChild?.remove();
  }
  respLog.parentElement!.scrollTop = respLog.parentElement!.scrollHeight;
  return li;
}

function setState(s: SessionState): void {
  session = s;
  promptEl.textContent = promptText();
}

function setBusy(delta: number): void {
  busy += delta;
  input.classList.toggle('waiting', busy > 0 && session.blocked);
  input.placeholder = busy > 0 && session.blocked ? 'waiting for the blocked command… (Esc or Ctrl+C interrupts it)' : '';
}

function ttlText(pttl: number): string {
  if (pttl < 0) return '';
  const s = Math.floor((pttl + 500) / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${s % 60}s`;
  if (s < 86400) return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
  return `${Math.floor(s / 86400)}d ${Math.floor((s % 86400) / 3600)}h`;
}

function renderKeys(k: KeySnapshot): void {
  keysInfo.textContent = k.paused
    ? `db ${k.db} · ${k.paused}`
    : `db ${k.db} · ${k.dbsize} ${k.dbsize === 1 ? 'key' : 'keys'}${k.truncated ? ` (first ${k.keys.length} shown)` : ''}`;
  if (k.paused) return;
  const rows = k.keys.map((r) => {
    const tr = document.createElement('tr');
    tr.dataset.key = r.key;
    const cell = (cls: string, text: string, title = text) => {
      const td = document.createElement('td');
      td.className = cls;
      td.textContent = text;
      td.title = title;
      return td;
    };
    const size = r.type === 'string' ? `${r.size} B` : `${r.size}`;
    tr.append(
      cell('key', r.key),
      cell(`type t-${r.type}`, r.type),
      cell('ttl', ttlText(r.pttl), r.pttl >= 0 ? `${r.pttl} ms` : 'no expiry'),
      cell('size', size),
      cell('value', r.value),
    );
    return tr;
  });
  keysBody.replaceChildren(...rows);
  if (rows.length === 0) {
    const tr = document.createElement('tr');
    const td = document.createElement('td');
    td.colSpan = 5;
    td.className = 'empty';
    td.textContent = '(empty database)';
    tr.append(td);
    keysBody.append(tr);
  }
}

const HELP = [
  'Type Redis commands as in redis-cli; they run on the wasmdis WASM engine inside this page.',
  '  SET greeting "hello world"     quotes and escapes as redis-cli: "a\\nb" \'it\\\'s\' "\\xff"',
  '  3 INCR counter                 a leading number repeats the command',
  '  HELLO 3                        switch the connection to RESP3',
  'Keys: ↑/↓ history · Enter run · Ctrl+L clear · Esc/Ctrl+C interrupts a blocked command.  Local commands: help, help <command>, clear.',
  'The key browser reads through a separate, unlisted connection (its reads count in INFO stats',
  'and reset OBJECT IDLETIME). Everything stays in this tab; reloading starts an empty server.',
].join('\n');

function run(line: string): void {
  const trimmed = line.trim();
  if (trimmed !== '' && history[history.length - 1] !== line) {
    history.push(line);
    saveHistory();
  }
  cursor = history.length;
  draft = '';
  echo(line);
  if (trimmed === '') return;
  const lower = trimmed.toLowerCase();
  if (lower === 'clear') {
    output.replaceChildren();
    return;
  }
  if (lower === 'help') {
    append('reply info', HELP);
    return;
  }
  if (lower.startsWith('help ')) {
    // as redis-cli: help <command> [<subcommand>] prints its syntax, summary, since and group
    send({ type: 'help', words: trimmed.split(/\s+/).slice(1, 3) });
    return;
  }
  const args = splitArgs(line);
  if (!args) {
    append('reply error', 'Invalid argument(s)');
    return;
  }
  let repeat = 1;
  const first = new TextDecoder().decode(args[0]);
  if (args.length > 1 && /^-?\d+$/.test(first)) {
    repeat = Number(first);
    args.shift();
    if (repeat <= 0) return;
  }
  const raw = printsRaw(args.map((a) => new TextDecoder().decode(a)));
  for (let i = 0; i < Math.min(repeat, 10000); i++) {
    setBusy(1);
    if (raw) rawReplies.add(nextId);
    send({ type: 'command', id: nextId++, args });
  }
}

worker.onmessage = (e: MessageEvent<FromWorker>) => {
  const m = e.data;
  switch (m.type) {
    case 'ready': {
      ready = true;
      mark('wasmdis:ready');
      const kb = (m.wasmBytes / 1024).toFixed(0);
      status.textContent = `${m.shared ? 'shared' : 'local'} memory · ${m.wasmFile} ${kb} KiB · loaded in ${(m.fetchMs + m.initMs).toFixed(0)} ms`;
      status.title = `fetch ${m.fetchMs.toFixed(1)} ms, compile + init ${m.initMs.toFixed(1)} ms`;
      status.dataset.wasmBytes = String(m.wasmBytes);
      status.dataset.memory = m.shared ? 'shared' : 'local';
      document.body.classList.add('ready');
      input.disabled = false;
      input.focus();
      break;
    }
    case 'reply': {
      mark('wasmdis:first-reply');
      setBusy(-1);
      const raw = rawReplies.delete(m.id);
      if (m.interrupted) {
        append('reply info', '(interrupted: the connection was closed; the next command opens a new one)');
      } else {
        const { text, error } = formatAll(m.reply, raw);
        append(error ? 'reply error' : 'reply', text);
      }
      if (m.closed && !m.interrupted) append('reply info', '(connection closed by the server; the next command opens a new one)');
      const li = logResp('sent', m.request);
      logResp('recv', m.reply, li);
      setState(m.state);
      setBusy(0);
      break;
    }
    case 'help':
      append('reply info', m.text);
      break;
    case 'state':
      setState(m.state);
      setBusy(0);
      break;
    case 'push': {
      const { text } = formatAll(m.bytes);
      append('reply push', text);
      logResp('push', m.bytes);
      setState(m.state);
      break;
    }
    case 'keys':
      mark('wasmdis:first-reply');
      renderKeys(m.snapshot);
      break;
    case 'fatal':
      append('reply error', `playground: ${m.message}`);
      status.textContent = 'engine failed (see the terminal)';
      break;
  }
};

form.addEventListener('submit', (e) => {
  e.preventDefault();
  if (!ready) return;
  const line = input.value;
  input.value = '';
  run(line);
});

input.addEventListener('keydown', (e) => {
  if (e.key === 'ArrowUp') {
    if (cursor === 0) return;
    if (cursor === history.length) draft = input.value;
    cursor--;
    input.value = history[cursor];
  } else if (e.key === 'ArrowDown') {
    if (cursor >= history.length) return;
    cursor++;
    input.value = cursor === history.length ? draft : history[cursor];
  } else if (e.key === 'l' && e.ctrlKey) {
    output.replaceChildren();
  } else if ((e.key === 'c' && e.ctrlKey && !input.value) || e.key === 'Escape') {
    if (!session.blocked) return;
    send({ type: 'interrupt' });
  } else {
    return;
  }
  e.preventDefault();
  requestAnimationFrame(() => input.setSelectionRange(input.value.length, input.value.length));
});

$('#terminal').addEventListener('click', () => {
  if (!window.getSelection()?.toString()) input.focus();
});
$('#resp-clear').addEventListener('click', () => respLog.replaceChildren());
promptEl.textContent = promptText();
append('reply info', 'wasmdis playground — a Redis 7–compatible engine compiled to WebAssembly, running in this page.\nType "help" for tips.');

if ('serviceWorker' in navigator && location.protocol !== 'file:') {
  // offline after the first visit: the worker caches every file of the page
  navigator.serviceWorker.register('./sw.js').catch(() => undefined);
}
