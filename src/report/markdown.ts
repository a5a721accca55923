import type { Cell, ReportView, Table } from "./view.js";

const TONE_MARK = { good: "✅ ", warn: "⚠️ ", bad: "❌ " } as const;

/** The report as Markdown; charts are relative links to their PNG files. */
export function renderMarkdown(view: ReportView): string {
  const lines = [`# ${view.title}`, "", `**${TONE_MARK[view.verdict.tone]}${view.verdict.text}**`, "", ...view.headline.flatMap((line) => [line, ""])];
  for (const section of view.sections) {
    lines.push(`## ${section.title}`, "");
    for (const paragraph of section.paragraphs) lines.push(paragraph, "");
    if (section.table) lines.push(...table(section.table), "");
    for (const chart of section.charts ?? []) lines.push(`![${chart.title}](${chart.file})`, "", `*${chart.caption}*`, "");
  }
  return `${lines.join("\n").trimEnd()}\n`;
}

function table({ headers, rows }: Table): string[] {
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  return [line(headers.map(escape)), line(headers.map(() => "---")), ...rows.map((row) => line(row.map(cell)))];
}

function cell(value: Cell): string {
  if (typeof value === "string") return escape(value);
  const full = [value.text, ...(value.lines ?? [])].join("; ");
  const text = `${value.tone ? TONE_MARK[value.tone] : ""}${escape(full)}`;
  return value.reportDir === undefined ? text : `[${text}](${encodeURI(`${value.reportDir}/report.md`)})`;
}

function escape(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}
