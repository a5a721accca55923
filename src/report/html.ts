import type { Cell, ReportSection, ReportView, Table } from "./view.js";

const STYLE = `
  body { margin: 0; background: #f8fafc; color: #1f2937; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; }
  main { max-width: 1060px; margin: 0 auto; padding: 24px; }
  h1 { font-size: 24px; margin: 0 0 12px; }
  h2 { font-size: 19px; margin: 32px 0 8px; border-bottom: 1px solid #e5e7eb; padding-bottom: 4px; }
  nav a { margin-right: 14px; color: #2563eb; }
  .verdict { padding: 10px 14px; border-radius: 6px; font-weight: 600; }
  .verdict.good { background: #dcfce7; } .verdict.warn { background: #fef3c7; } .verdict.bad { background: #fee2e2; }
  td.good { color: #15803d; font-weight: 600; } td.warn { color: #b45309; font-weight: 600; } td.bad { color: #b91c1c; font-weight: 600; }
  table { border-collapse: collapse; width: 100%; background: white; font-size: 14px; }
  th, td { border: 1px solid #e5e7eb; padding: 5px 8px; text-align: left; vertical-align: top; }
  th { background: #f1f5f9; }
  figure { margin: 16px 0; background: white; border: 1px solid #e5e7eb; padding: 8px; }
  figure img { display: block; max-width: 100%; height: auto; }
  figcaption { color: #4b5563; font-size: 13px; margin-top: 4px; }
`;

/** One self-contained HTML page: inline style, charts as data URIs, nothing fetched. */
export function renderHtml(view: ReportView): string {
  const nav = view.sections.map((section) => `<a href="#${section.id}">${escape(section.title)}</a>`).join("");
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
    `</main></body></html>`,
    "",
  ].join("\n");
}

function section(part: ReportSection): string {
  return [
    `<section id="${part.id}"><h2>${escape(part.title)}</h2>`,
    ...part.paragraphs.map((text) => `<p>${escape(text)}</p>`),
    ...(part.table ? [table(part.table)] : []),
    ...(part.charts ?? []).map((chart) => {
      const { width, height } = pngSize(chart.png);
      return `<figure><img src="data:image/png;base64,${chart.png.toString("base64")}" width="${width}" height="${height}" alt="${escape(chart.title)}"><figcaption>${escape(chart.caption)}</figcaption></figure>`;
    }),
    `</section>`,
  ].join("\n");
}

function table({ headers, rows }: Table): string {
  const head = `<tr>${headers.map((header) => `<th>${escape(header)}</th>`).join("")}</tr>`;
  const body = rows.map((row) => `<tr>${row.map(cell).join("")}</tr>`).join("\n");
  return `<table>\n${head}\n${body}\n</table>`;
}

function cell(value: Cell): string {
  if (typeof value === "string") return `<td>${escape(value)}</td>`;
  const text = value.reportDir === undefined ? escape(value.text) : `<a href="${escape(encodeURI(`${value.reportDir}/report.html`))}">${escape(value.text)}</a>`;
  return value.tone ? `<td class="${value.tone}">${text}</td>` : `<td>${text}</td>`;
}

/** Width and height from a PNG's IHDR chunk. */
function pngSize(png: Buffer): { width: number; height: number } {
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
