import { chartJsBundle, INTERACTIVE_RUNTIME, TABLE_FILTER_RUNTIME, type InteractiveChart } from "./interactive.js";
import type { Cell, ChartRef, ReportSection, ReportView, Table } from "./view.js";

const STYLE = `
  body { margin: 0; background: #f8fafc; color: #1f2937; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; }
  main { max-width: 1160px; margin: 0 auto; padding: 24px; }
  h1 { font-size: 24px; margin: 0 0 12px; }
  h2 { font-size: 19px; margin: 32px 0 8px; border-bottom: 1px solid #e5e7eb; padding-bottom: 4px; }
  nav a { margin-right: 14px; color: #2563eb; }
  .verdict { padding: 10px 14px; border-radius: 6px; font-weight: 600; }
  .verdict.good { background: #dcfce7; } .verdict.warn { background: #fef3c7; } .verdict.bad { background: #fee2e2; }
  td.good { color: #15803d; font-weight: 600; } td.warn { color: #b45309; font-weight: 600; } td.bad { color: #b91c1c; font-weight: 600; }
  table { border-collapse: collapse; width: 100%; background: white; font-size: 14px; }
  th, td { border: 1px solid #e5e7eb; padding: 5px 8px; text-align: left; vertical-align: top; }
  th { background: #f1f5f9; }
  .scroll th { position: sticky; top: 0; }
  td.nowrap { white-space: nowrap; }
  td .field { display: block; color: #4b5563; font-size: 13px; }
  #monthly-table td { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
  .scroll { max-height: 560px; overflow: auto; border: 1px solid #e5e7eb; }
  figure { margin: 16px 0; background: white; border: 1px solid #e5e7eb; padding: 8px; }
  figure img { display: block; max-width: 100%; height: auto; }
  figcaption { color: #4b5563; font-size: 13px; margin-top: 4px; }
  .zoom button { margin-right: 6px; font-size: 13px; }
  .panels { display: grid; grid-template-columns: repeat(auto-fill, minmax(340px, 1fr)); gap: 10px; }
  .panels figure { margin: 0; }
  form.filter { display: flex; flex-wrap: wrap; gap: 10px; align-items: center; margin: 8px 0; font-size: 14px; }
`;

/** One self-contained HTML page: inline style, PNG charts as data URIs, chart.js inlined; nothing fetched. */
export function renderHtml(view: ReportView): string {
  const nav = view.sections.map((section) => `<a href="#${section.id}">${escape(section.title)}</a>`).join("");
  const interactive = view.sections.some((part) => (part.interactive ?? []).length > 0);
  const filtered = view.sections.some((part) => part.table?.filterTypes !== undefined);
  return [
    "<!doctype html>",
    `<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">`,
    `<title>${escape(view.title)}</title><style>${STYLE}</style></head>`,
    `<body><main>`,
    `<h1>${escape(view.title)}</h1>`,
    `<p class="verdict ${view.verdict.tone}">${escape(view.verdict.text)}</p>`,
    ...view.headline.map((line) => `<p>${escape(line)}</p>`),
    `<nav>${nav}</nav>`,
    ...view.sections.map(section),
    `</main>`,
    ...(interactive ? [inlineScript(chartJsBundle()), inlineScript(INTERACTIVE_RUNTIME)] : []),
    ...(filtered ? [inlineScript(TABLE_FILTER_RUNTIME)] : []),
    `</body></html>`,
    "",
  ].join("\n");
}

function section(part: ReportSection): string {
  const interactive = (part.interactive ?? []).map(interactiveFigure);
  return [
    `<section id="${part.id}"><h2>${escape(part.title)}</h2>`,
    ...part.paragraphs.map((text) => `<p>${escape(text)}</p>`),
    ...(part.table ? [table(part.table)] : []),
    ...(part.panels ? [`<div class="panels">`, ...interactive, `</div>`] : interactive),
    ...(part.charts ?? []).filter((chart) => !chart.interactiveInHtml || (part.interactive ?? []).length === 0).map(image),
    `</section>`,
  ].join("\n");
}

function image(chart: ChartRef): string {
  const { width, height } = pngSize(chart.png);
  return `<figure><img src="data:image/png;base64,${chart.png.toString("base64")}" width="${width}" height="${height}" alt="${escape(chart.title)}"><figcaption>${escape(chart.caption)}</figcaption></figure>`;
}

function interactiveFigure(chart: InteractiveChart): string {
  const buttons = ["in", "out", "reset"].map((action) => `<button type="button" data-zoom="${action}" data-chart-id="${chart.id}">${{ in: "Zoom in", out: "Zoom out", reset: "Reset zoom" }[action]}</button>`);
  return [
    `<figure class="interactive">`,
    `<div style="position:relative;height:${chart.height}px"><canvas id="${chart.id}" data-chart="time" role="img" aria-label="${escape(chart.title)}"></canvas></div>`,
    `<script type="application/json" id="${chart.id}-data">${jsonForScript(chart)}</script>`,
    `<div class="zoom">${buttons.join("")}</div>`,
    ...(chart.caption ? [`<figcaption>${escape(chart.caption)}</figcaption>`] : []),
    `</figure>`,
  ].join("\n");
}

function table(spec: Table): string {
  const head = `<thead><tr>${spec.headers.map((header) => `<th>${escape(header)}</th>`).join("")}</tr></thead>`;
  const body = spec.rows
    .map((row, i) => {
      const meta = spec.rowMeta?.[i];
      const attributes = meta ? ` data-type="${escape(meta.type)}" data-date="${escape(meta.date)}"` : "";
      return `<tr${attributes}>${row.map(cell).join("")}</tr>`;
    })
    .join("\n");
  const id = spec.id ? ` id="${spec.id}"` : "";
  const html = `<table${id}>\n${head}\n<tbody>\n${body}\n</tbody>\n</table>`;
  if (!spec.filterTypes || !spec.id) return html;
  return `${filterForm(spec.id, spec.filterTypes)}\n<div class="scroll">${html}</div>`;
}

function filterForm(tableId: string, types: readonly string[]): string {
  const options = [`<option value="">all types</option>`, ...types.map((type) => `<option value="${escape(type)}">${escape(type)}</option>`)].join("");
  return [
    `<form class="filter" data-filter-for="${tableId}">`,
    `<label>Type <select name="type">${options}</select></label>`,
    `<label>From <input type="date" name="from"></label>`,
    `<label>To <input type="date" name="to"></label>`,
    `<label>Text <input type="search" name="text" placeholder="reason, symbol, detail…"></label>`,
    `<span data-count></span>`,
    `</form>`,
  ].join("");
}

function cell(value: Cell): string {
  if (typeof value === "string") return `<td>${escape(value)}</td>`;
  const link = value.reportDir === undefined ? escape(value.text) : `<a href="${escape(encodeURI(`${value.reportDir}/report.html`))}">${escape(value.text)}</a>`;
  const text = link + (value.lines ?? []).map((line) => `<span class="field">${escape(line)}</span>`).join("");
  const classes = [value.tone, value.nowrap ? "nowrap" : undefined].filter(Boolean).join(" ");
  const style = value.heat === undefined ? "" : ` style="background:${heatColour(value.heat)}"`;
  return `<td${classes ? ` class="${classes}"` : ""}${style}>${text}</td>`;
}

/** −1 deep red … 0 white … +1 deep green. */
function heatColour(heat: number): string {
  const strength = Math.min(1, Math.abs(heat));
  const alpha = (0.08 + 0.5 * strength).toFixed(2);
  return heat >= 0 ? `rgba(22,163,74,${alpha})` : `rgba(220,38,38,${alpha})`;
}

function inlineScript(source: string): string {
  // A script body must not close its own tag.
  return `<script>${source.replace(/<\/script/gi, "<\\/script")}</script>`;
}

/** JSON that is safe inside a script element. */
function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c");
}

/** Width and height from a PNG's IHDR chunk. */
function pngSize(png: Buffer): { width: number; height: number } {
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
