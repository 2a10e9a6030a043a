/**
 * ops-docs print: one self-contained HTML page, checked as HTML and then in a real browser — headless Chromium
 * prints it to PDF (page count, a page break before each document, tables that fit) and takes a screenshot.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { TASK, runCliObeyingModes, setup, snapshot } from './helpers/lifecycle.js';

const CHROMIUM = '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
// Skip the browser tests only on a developer machine without Chromium; under CI a missing browser is a failure.
const browserIt = it.skipIf(!haveChromium && !process.env.CI);

function chromium(args: string[]): string {
  if (!haveChromium) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium poppler-utils`);
  const profile = mkdtempSync(join(tmpdir(), 'ops-docs-chromium-'));
  try {
    return execFileSync(CHROMIUM, ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync', `--user-data-dir=${profile}`, ...args],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000, maxBuffer: 64 * 1024 * 1024 });
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

function pdfPages(pdf: string): number {
  return Number(/^Pages:\s+(\d+)$/m.exec(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }))?.[1]);
}

function pageText(pdf: string, page: number): string {
  return execFileSync('pdftotext', ['-f', String(page), '-l', String(page), '-layout', pdf, '-'], { encoding: 'utf8' });
}

/** After layout at the printed width, report every table or cell whose content is wider than its box. */
const FIT_PROBE = `<script>
const bodyRight = document.body.getBoundingClientRect().right;
const bad = [];
document.querySelectorAll('table').forEach((t, i) => {
  if (t.scrollWidth > t.clientWidth + 1 || t.getBoundingClientRect().right > bodyRight + 1) bad.push('table ' + i);
  t.querySelectorAll('th, td').forEach((c) => { if (c.scrollWidth > c.clientWidth + 1) bad.push('cell in table ' + i + ': ' + c.textContent.slice(0, 20)); });
});
document.body.setAttribute('data-tables', String(document.querySelectorAll('table').length));
document.body.setAttribute('data-overflow', JSON.stringify(bad));
</script>`;

/** 186 mm (A4 minus the page margins) at 96 px per inch. */
const PRINT_WIDTH_PX = Math.round((186 / 25.4) * 96);

function overflowOf(html: string, dir: string): { tables: number; overflow: string[] } {
  const file = join(dir, `probe-${Math.random().toString(36).slice(2)}.html`);
  writeFileSync(file, html.replace('</body>', `${FIT_PROBE}</body>`));
  const dom = chromium([`--window-size=${PRINT_WIDTH_PX},1200`, '--dump-dom', `file://${file}`]);
  const body = /<body[^>]*data-tables="(\d+)"[^>]*data-overflow="([^"]*)"/.exec(dom);
  if (!body) throw new Error('the probe did not run');
  return { tables: Number(body[1]), overflow: JSON.parse(body[2]!.replace(/&quot;/g, '"').replace(/&amp;/g, '&')) as string[] };
}

/** A checklist row with words no column can hold: a long URL, a long unbroken token in every cell. */
function widen(checklist: string): string {
  const url = 'https://grafana.internal.example.com/d/k8s-upgrade/control-plane?orgId=1&var-cluster=prod-eu-1&from=now-6h&to=now&refresh=30s';
  return checklist.replace('| S1 | Back up etcd | 5 min | | | |',
    `| S1 | Back up etcd and confirm at ${url} | 5-minutes-including-verification-of-snapshot | 2025-11-18T02:00:00+01:00–2025-11-18T02:07:00+01:00 | Pass-with-snapshot-checksum-sha256-0123456789abcdef0123456789abcdef | platform-oncall-primary-engineer@example.com |`);
}

describe('ops-docs print (HTML)', () => {
  it('writes one self-contained page: inline CSS, A4, no scripts, links, images or remote assets', async () => {
    const t = setup();
    const r = (await t.run(['print', TASK]));
    expect(r.code).toBe(0);
    const html = r.stdout;
    expect(html.startsWith('<!doctype html><html lang="en"><head><meta charset="utf-8">')).toBe(true);
    expect(html).toContain('@page { size: A4;');
    expect(html).toContain(`<title>${TASK}</title>`);
    for (const banned of ['<script', '<link', '<img', '<iframe', 'src=', '@import', 'url(']) expect(html).not.toContain(banned);
    expect(html.match(/<section class="doc doc-/g)).toHaveLength(4);
    expect([...html.matchAll(/<section class="doc doc-([a-z-]+)"/g)].map((m) => m[1])).toEqual(['runbook', 'rollback', 'checklist', 'postmortem-template']);
    // Eight "[ ]" cells in the fixture's pre- and post-execution tables become boxes; the sign-off table gets room.
    expect(html.match(/<span class="box"/g)).toHaveLength(8);
    expect(html).toContain('<table class="signoff">');
    expect(html.match(/<div class="signline">/g)).toHaveLength(6); // runbook: two reviewers + dates; rollback: one
  });

  it('a ticked item prints as a checked box; task-list items print as boxes', async () => {
    const t = setup();
    expect((await t.run(['record', TASK, 'check', 'approval', '--by', 'eve'])).code).toBe(0);
    writeFileSync(t.file('postmortem-template'), t.read('postmortem-template').replace('## Runbook Updates\n', '## Runbook Updates\n\n- [ ] add the etcd check to S1\n- [x] raise the drain timeout\n'));
    const html = (await t.run(['print', TASK])).stdout;
    expect(html.match(/<span class="box checked"/g)).toHaveLength(2);
    expect(html.match(/<span class="box"/g)).toHaveLength(8);
    expect(html).not.toContain('<input');
  });

  it('raw HTML in a document is dropped, never passed into the page', async () => {
    const t = setup();
    writeFileSync(t.file('runbook'), t.read('runbook').replace('## Impact Assessment', '<script>alert(1)</script>\n\n<img src=x onerror=alert(2)>\n\n## Impact Assessment'));
    const r = await t.run(['print', TASK]);
    // The page was made (a crash would print nothing and pass the check below), with the section after the HTML.
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/<h2[^>]*>Impact Assessment<\/h2>/);
    expect(r.stdout).not.toMatch(/<script|<img|onerror|alert\(/);
  });

  it('--out writes the file, refuses to replace one without --force; --only picks documents', async () => {
    const t = setup();
    const out = join(t.root, 'print.html');
    expect((await t.run(['print', TASK, '--out', out]))).toEqual({ code: 0, stdout: '', stderr: `wrote ${out} (4 document(s))\n` });
    const first = readFileSync(out, 'utf8');
    const snap = snapshot(t.root);
    expect((await t.run(['print', TASK, '--out', out, '--only', 'checklist']))).toEqual({ code: 1, stdout: '', stderr: `ops-docs: ${out} exists: --force to replace it\n` });
    expect(snapshot(t.root)).toEqual(snap);
    expect((await t.run(['print', TASK, '--out', out, '--only', 'checklist', '--force'])).code).toBe(0);
    const only = readFileSync(out, 'utf8');
    expect(only.match(/<section class="doc /g)).toHaveLength(1);
    expect(only.length).toBeLessThan(first.length);
    expect((await t.run(['print', TASK, '--only', 'minutes'])).code).toBe(2);
    expect((await t.run(['print', '2025-11-10-nothing-here-v1'])).code).toBe(1);
  });
});

describe('ops-docs print --out: a target that cannot be written is named, nothing written', () => {
  it('a missing folder, an empty name, a folder, a device and an unwritable place', async () => {
    const t = setup();
    const snap = snapshot(t.root);
    const missing = join(t.root, 'no-such-dir', 'x.html');
    expect((await t.run(['print', TASK, '--out', missing]))).toEqual({ code: 1, stdout: '',
      stderr: `ops-docs: --out ${missing}: the folder ${join(t.root, 'no-such-dir')} does not exist; create it first\n` });
    expect((await t.run(['print', TASK, '--out', '']))).toEqual({ code: 2, stdout: '', stderr: 'ops-docs: --out needs a file name, e.g. --out task.html (or - for standard output)\n' });
    expect((await t.run(['print', TASK, '--out', t.root, '--force']))).toEqual({ code: 1, stdout: '',
      stderr: `ops-docs: --out ${t.root} is a folder: name a file in it, e.g. ${join(t.root, 'task.html')}\n` });
    expect((await t.run(['print', TASK, '--out', '/dev/null', '--force']))).toEqual({ code: 1, stdout: '',
      stderr: 'ops-docs: --out /dev/null is not a regular file (a device or a socket): name a file\n' });
    const file = join(t.root, 'ops', 'active', TASK, `${TASK}-runbook.md`);
    expect((await t.run(['print', TASK, '--out', join(file, 'x.html')]))).toEqual({ code: 1, stdout: '',
      stderr: `ops-docs: --out ${join(file, 'x.html')}: ${file} is a file, not a folder\n` });
    if (existsSync('/proc/version')) {
      expect((await t.run(['print', TASK, '--out', '/proc/version', '--force']))).toEqual({ code: 1, stdout: '',
        stderr: 'ops-docs: cannot write /proc/version (ENOENT: its folder does not accept new files (a virtual file system such as /proc?)): nothing written\n' });
    }
    expect((await t.run(['print', TASK, '--out', missing], { OPS_DOCS_LANG: 'zh' })).stderr).toBe(`ops-docs: --out ${missing}：目录 ${join(t.root, 'no-such-dir')} 不存在，请先创建\n`);
    expect(snapshot(t.root)).toEqual(snap);
  });

  it('a folder without write permission: exit 1 with the reason', async () => {
    const t = setup();
    const ro = join(t.root, 'ro');
    mkdirSync(ro, { mode: 0o555 });
    const r = runCliObeyingModes(t.root, ['print', TASK, '--out', join(ro, 'x.html'), '--ops-dir', t.ops], { OPS_DOCS_LANG: 'en', TZ: 'UTC', HOME: t.root });
    expect({ code: r.status, stdout: r.stdout, stderr: r.stderr }).toEqual({ code: 1, stdout: '', stderr: `ops-docs: cannot write ${join(ro, 'x.html')} (EACCES: no permission to create a file in its folder): nothing written\n` });
    expect(readdirSync(ro)).toEqual([]);
  });
});

describe('ops-docs print (headless Chromium)', () => {
  browserIt('prints to A4 PDF with each document starting a new page', async () => {
    const t = setup();
    const html = join(t.root, 'task.html');
    const pdf = join(t.root, 'task.pdf');
    expect((await t.run(['print', TASK, '--out', html])).code).toBe(0);
    chromium(['--no-pdf-header-footer', `--print-to-pdf=${pdf}`, `file://${html}`]);
    expect(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' })).toMatch(/^Page size:\s+59[45](?:\.\d+)? x 84[12](?:\.\d+)? pts \(A4\)$/m);
    const pages = pdfPages(pdf);
    expect(pages).toBeGreaterThanOrEqual(4);
    expect(pages).toBeLessThanOrEqual(8);
    // Where each document's title lands, and what the page it lands on starts with (after the running header).
    const texts = Array.from({ length: pages }, (_, i) => pageText(pdf, i + 1));
    const firstLine = (p: string) => p.split('\n').map((l) => l.trim()).filter(Boolean)[1] ?? '';
    const starts = texts.map(firstLine);
    const at = (title: string) => texts.findIndex((p) => p.includes(title));
    const order = ['Runbook: Kubernetes', 'Rollback Plan: Kubernetes', 'Checklist: Kubernetes', 'Postmortem: Kubernetes'].map(at);
    expect(order[0]).toBe(0);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(new Set(order).size).toBe(4);
    expect(order.map((i) => starts[i]!.split(' · ')[1])).toEqual(['Runbook', 'Rollback plan', 'Checklist', 'Postmortem template']);
    // The running header and page numbers come from the @page margin boxes.
    expect(texts[0]!.split('\n')[0]!.trim()).toBe(TASK);
    expect(texts[pages - 1]).toMatch(new RegExp(`\\b${pages}\\s*/\\s*${pages}\\s*$`));
  });

  browserIt('no table is wider than the page, even with words no column can hold (and the probe catches a table that is)', async () => {
    const t = setup();
    writeFileSync(t.file('checklist'), widen(t.read('checklist')));
    const html = (await t.run(['print', TASK, '--only', 'checklist'])).stdout;
    const fit = overflowOf(html, t.root);
    expect(fit.tables).toBe(5);
    expect(fit.overflow).toEqual([]);
    // Negative control: without the fixed layout and the wrapping rules, the same page overflows.
    const loose = html.replace(/table-layout: fixed;/g, '').replace(/overflow-wrap: anywhere;|word-break: break-(?:word|all);/g, '');
    expect(loose).not.toBe(html);
    expect(overflowOf(loose, t.root).overflow.length).toBeGreaterThan(0);
    // And in the PDF: every column header of the widened table is on the page.
    const file = join(t.root, 'wide.html');
    const pdf = join(t.root, 'wide.pdf');
    writeFileSync(file, html);
    chromium(['--no-pdf-header-footer', `--print-to-pdf=${pdf}`, `file://${file}`]);
    const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
    for (const word of ['ID', 'Step', 'Planned', 'Actual', 'Verification', 'Signed', 'Decided', 'Signature']) expect(text).toContain(word);
    // The first characters of the last columns' contents are drawn (a clipped column would lose them).
    for (const start of ['Pass', 'plat']) expect(text).toMatch(new RegExp(`\\s${start}`));
  });

  browserIt('screenshot: a PNG of the requested size with something drawn on it', async () => {
    const t = setup();
    const html = join(t.root, 'task.html');
    const png = join(t.root, 'shot.png');
    expect((await t.run(['print', TASK, '--out', html, '--only', 'checklist'])).code).toBe(0);
    chromium(['--hide-scrollbars', '--window-size=900,1300', `--screenshot=${png}`, `file://${html}`]);
    const bytes = readFileSync(png);
    expect(bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
    expect([bytes.readUInt32BE(16), bytes.readUInt32BE(20)]).toEqual([900, 1300]);
    expect(statSync(png).size).toBeGreaterThan(20_000);
    // Decode enough to see ink: the inflated scanlines of a blank page hold one or two byte values, ours many.
    const idat: Buffer[] = [];
    for (let off = 8; off < bytes.length;) {
      const len = bytes.readUInt32BE(off);
      if (bytes.toString('latin1', off + 4, off + 8) === 'IDAT') idat.push(bytes.subarray(off + 8, off + 8 + len));
      off += 12 + len;
    }
    const raw = inflateSync(Buffer.concat(idat));
    const dark = [...raw].filter((b) => b < 80).length;
    expect(new Set(raw).size).toBeGreaterThan(50);
    expect(dark).toBeGreaterThan(raw.length / 200);
    if (process.env.OPS_DOCS_KEEP_SCREENSHOT) writeFileSync(process.env.OPS_DOCS_KEEP_SCREENSHOT, bytes);
  });
});
