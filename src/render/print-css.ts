/**
 * The print style sheet: A4 pages, one document per page run, tables that always fit the page width (fixed
 * layout, columns sized from their content, long words wrapped), boxes to tick and lines to sign by hand.
 * Screen and print share the layout, so what a browser shows at 186 mm is what the printer gets.
 */
export function printCss(task: string): string {
  // The task name goes into a CSS string: keep only what a task name may hold.
  const safe = task.replace(/[^A-Za-z0-9._-]/g, '');
  return `
@page { size: A4; margin: 14mm 12mm 16mm 12mm;
  @top-left { content: "${safe}"; font: 7.5pt sans-serif; color: #555; }
  @bottom-right { content: counter(page) " / " counter(pages); font: 7.5pt sans-serif; color: #555; } }
* { box-sizing: border-box; }
html { font: 9.5pt/1.4 "DejaVu Sans", "Liberation Sans", "Noto Sans", "Noto Sans CJK SC", "WenQuanYi Micro Hei", "PingFang SC", "Microsoft YaHei", sans-serif; color: #000; background: #fff; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0 auto; width: 100%; max-width: 186mm; }
section.doc + section.doc { break-before: page; }
.doc-meta { font-size: 7.5pt; color: #444; border-bottom: 0.6pt solid #999; padding-bottom: 1.5mm; margin-bottom: 3mm; }
h1 { font-size: 15pt; margin: 0 0 3mm; }
h2 { font-size: 12pt; margin: 5mm 0 2mm; border-bottom: 0.6pt solid #bbb; break-after: avoid; }
h3, h4 { font-size: 10.5pt; margin: 4mm 0 1.5mm; break-after: avoid; }
p, ul, ol { margin: 1.5mm 0; }
ul, ol { padding-left: 6mm; }
li.task-list-item { list-style: none; margin-left: -5mm; }
table { width: 100%; max-width: 100%; table-layout: fixed; border-collapse: collapse; margin: 2mm 0 3mm; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
th, td { border: 0.6pt solid #444; padding: 1.2mm 1.5mm; vertical-align: top; text-align: left; overflow-wrap: anywhere; word-break: break-word; hyphens: auto; }
th { background: #eee; font-weight: 600; }
td.blank { height: 7mm; }
table.signoff td { height: 11mm; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; word-break: break-all; background: #f3f3f3; border: 0.6pt solid #ccc; padding: 1.5mm 2mm; font: 8pt/1.35 "DejaVu Sans Mono", "Liberation Mono", monospace; margin: 1.5mm 0; }
code { font-family: "DejaVu Sans Mono", "Liberation Mono", monospace; font-size: 0.92em; overflow-wrap: anywhere; }
a { color: inherit; text-decoration: none; }
.box { display: inline-block; width: 3.4mm; height: 3.4mm; border: 0.9pt solid #000; vertical-align: -0.5mm; margin-right: 1mm; position: relative; background: #fff; }
.box.checked::after { content: "\\2713"; position: absolute; left: 0.2mm; top: -1.2mm; font-size: 9pt; font-weight: 700; }
.signlines { display: grid; grid-template-columns: 1fr 1fr; gap: 2mm 10mm; margin-top: 8mm; break-inside: avoid; }
.signline { border-bottom: 0.8pt solid #000; height: 10mm; display: flex; align-items: flex-end; font-size: 7.5pt; color: #333; padding-bottom: 0.5mm; }
@media screen { body { padding: 8mm 0; } section.doc + section.doc { margin-top: 12mm; border-top: 1pt dashed #999; padding-top: 6mm; } }
`;
}
