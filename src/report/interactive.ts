import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

/** One line of an interactive chart: `values[i]` at session i (null: no point), or sparse markers `[i, y]`. */
export interface InteractiveLine {
  label: string;
  colour: string;
  values?: (number | null)[];
  markers?: [number, number][];
  markerStyle?: "triangle" | "rectRot" | "circle";
  dash?: boolean;
  fill?: boolean;
  /** Starts hidden; a click on its legend entry shows it. */
  hidden?: boolean;
}

/** A time-series chart the HTML report draws with chart.js in the browser: zoom, pan, tooltips, toggles. */
export interface InteractiveChart {
  id: string;
  title: string;
  caption: string;
  /** The session axis: x = index into `dates`. */
  dates: string[];
  yTitle: string;
  yMin?: number;
  yMax?: number;
  lines: InteractiveLine[];
  /** Runs of sessions sharing a safety state; non-ACTIVE ones are shaded. */
  periods: { from: number; to: number; state: string }[];
  /** Extra tooltip lines per session index (the events of that session). */
  notes: Record<number, string[]>;
  /** Initial x range, e.g. ±30 sessions around an episode; the whole axis when absent. */
  window?: { from: number; to: number };
  /** Canvas height in pixels. */
  height: number;
  /** A small panel: no legend and no axis titles. */
  compact?: boolean;
}

let chartJsSource: string | undefined;

/** chart.js's UMD bundle, inlined into report.html so the file works offline. */
export function chartJsBundle(): string {
  if (chartJsSource === undefined) {
    // The package exports no subpath for the UMD file: find it next to the CommonJS entry.
    const entry = createRequire(import.meta.url).resolve("chart.js");
    chartJsSource = readFileSync(join(dirname(entry), "chart.umd.js"), "utf8");
  }
  return chartJsSource;
}

/**
 * Builds every `canvas[data-chart]` from the JSON next to it. Zoom: mouse wheel (or the + / − buttons)
 * around the pointer; pan: drag; reset: double-click or the button. Charts are kept in
 * `window.tradeguardCharts` by id, so a test can read their scales.
 */
export const INTERACTIVE_RUNTIME = String.raw`
(function () {
  var SHADES = { HALTED: "rgba(245,158,11,0.35)", PANIC: "rgba(220,38,38,0.35)", RAMPUP: "rgba(37,99,235,0.22)" };
  var charts = (window.tradeguardCharts = {});
  function stateAt(periods, i) {
    for (var k = 0; k < periods.length; k++) if (periods[k].from <= i && i <= periods[k].to) return periods[k].state;
    return "";
  }
  function keyOf(date, span) { return span < 500 ? date.slice(0, 7) : date.slice(0, 4); }
  function dateTicks(dates, min, max) {
    var span = max - min, ticks = [], previous = null;
    for (var i = Math.max(0, Math.ceil(min)); i <= Math.min(dates.length - 1, Math.floor(max)); i++) {
      var key = keyOf(dates[i], span);
      if (key !== previous) { if (previous !== null || i === 0) ticks.push({ value: i }); previous = key; }
    }
    var step = Math.max(1, Math.ceil(ticks.length / 12));
    return ticks.filter(function (_, k) { return k % step === 0; });
  }
  var shading = {
    id: "shading",
    beforeDatasetsDraw: function (chart, _args, options) {
      var area = chart.chartArea, x = chart.scales.x, ctx = chart.ctx;
      ctx.save();
      (options.periods || []).forEach(function (period) {
        var colour = SHADES[period.state];
        if (!colour) return;
        var left = Math.max(area.left, x.getPixelForValue(period.from - 0.5));
        var right = Math.min(area.right, x.getPixelForValue(period.to + 0.5));
        if (right < area.left || left > area.right) return;
        ctx.fillStyle = colour;
        // At least 2 px, so a short halt stays visible over many years.
        ctx.fillRect(left, area.top, Math.max(2, right - left), area.bottom - area.top);
      });
      ctx.restore();
    },
  };
  function dataset(line) {
    var points = line.markers
      ? line.markers.map(function (p) { return { x: p[0], y: p[1] }; })
      : line.values.map(function (y, i) { return { x: i, y: y }; });
    return {
      label: line.label, data: points, borderColor: line.colour, backgroundColor: line.fill ? line.colour.replace(/[\d.]+\)$/, "0.12)") : line.colour,
      borderWidth: line.markers ? 1 : 1.6, pointRadius: line.markers ? 6 : 0, pointHoverRadius: line.markers ? 8 : 3,
      pointStyle: line.markerStyle || "circle", showLine: !line.markers, borderDash: line.dash ? [6, 4] : [],
      fill: line.fill ? "origin" : false, hidden: !!line.hidden, tension: 0, spanGaps: false,
    };
  }
  function build(canvas) {
    var spec = JSON.parse(document.getElementById(canvas.id + "-data").textContent);
    var dates = spec.dates, last = Math.max(1, dates.length - 1);
    var full = { min: spec.window ? spec.window.from : 0, max: spec.window ? spec.window.to : last };
    var chart = new Chart(canvas, {
      type: "line",
      data: { datasets: spec.lines.map(dataset) },
      options: {
        animation: false, responsive: true, maintainAspectRatio: false, parsing: false, normalized: true,
        interaction: { mode: "nearest", axis: "x", intersect: false },
        scales: {
          x: {
            type: "linear", min: full.min, max: full.max,
            title: { display: !spec.compact, text: "Date (session close)" },
            afterBuildTicks: function (scale) { scale.ticks = dateTicks(dates, scale.min, scale.max); },
            ticks: { autoSkip: false, maxRotation: 0, callback: function (value) {
              var scale = this; var date = dates[Math.round(value)] || "";
              return keyOf(date, scale.max - scale.min);
            } },
          },
          y: { title: { display: !spec.compact, text: spec.yTitle }, min: spec.yMin, max: spec.yMax },
        },
        plugins: {
          title: { display: true, text: spec.title, font: { size: 15 } },
          legend: { display: !spec.compact, position: "bottom" },
          shading: { periods: spec.periods },
          tooltip: { callbacks: {
            title: function (items) { return items.length ? dates[Math.round(items[0].parsed.x)] : ""; },
            afterBody: function (items) {
              if (!items.length) return [];
              var i = Math.round(items[0].parsed.x);
              return ["State: " + (stateAt(spec.periods, i) || "—")].concat(spec.notes[i] || []);
            },
          } },
        },
      },
      plugins: [shading],
    });
    charts[canvas.id] = chart;
    function setRange(min, max) {
      var width = Math.max(5, max - min);
      min = Math.max(0, Math.min(min, last - width)); max = Math.min(last, min + width);
      chart.options.scales.x.min = min; chart.options.scales.x.max = max; chart.update("none");
    }
    function zoom(factor, at) {
      var x = chart.scales.x; var centre = at === undefined ? (x.min + x.max) / 2 : at;
      setRange(centre - (centre - x.min) * factor, centre + (x.max - centre) * factor);
    }
    chart.zoomBy = zoom;
    chart.resetZoom = function () { setRange(full.min, full.max); };
    canvas.addEventListener("wheel", function (event) {
      event.preventDefault();
      zoom(event.deltaY < 0 ? 0.8 : 1.25, chart.scales.x.getValueForPixel(event.offsetX));
    }, { passive: false });
    var drag = null;
    canvas.addEventListener("mousedown", function (event) { drag = { x: event.offsetX, min: chart.scales.x.min, max: chart.scales.x.max }; });
    window.addEventListener("mouseup", function () { drag = null; });
    canvas.addEventListener("mousemove", function (event) {
      if (!drag) return;
      var x = chart.scales.x, perPixel = (drag.max - drag.min) / (x.right - x.left), shift = (drag.x - event.offsetX) * perPixel;
      setRange(drag.min + shift, drag.max + shift);
    });
    canvas.addEventListener("dblclick", chart.resetZoom);
  }
  document.querySelectorAll("canvas[data-chart]").forEach(build);
  document.querySelectorAll("button[data-zoom]").forEach(function (button) {
    button.addEventListener("click", function () {
      var chart = charts[button.getAttribute("data-chart-id")], action = button.getAttribute("data-zoom");
      if (action === "reset") chart.resetZoom(); else chart.zoomBy(action === "in" ? 0.5 : 2);
    });
  });
})();
`;

/**
 * Filters the table `table[data-filter]`: by event type, date range and free text, all at once. Rows carry
 * `data-type` and `data-date`.
 */
export const TABLE_FILTER_RUNTIME = String.raw`
(function () {
  document.querySelectorAll("form[data-filter-for]").forEach(function (form) {
    var table = document.getElementById(form.getAttribute("data-filter-for"));
    var count = form.querySelector("[data-count]");
    function apply() {
      var type = form.elements.type.value, from = form.elements.from.value, to = form.elements.to.value, text = form.elements.text.value.toLowerCase();
      var shown = 0;
      table.querySelectorAll("tbody tr").forEach(function (row) {
        var date = row.getAttribute("data-date");
        var ok = (!type || row.getAttribute("data-type") === type) && (!from || date >= from) && (!to || date <= to) && (!text || row.textContent.toLowerCase().indexOf(text) >= 0);
        row.style.display = ok ? "" : "none";
        if (ok) shown++;
      });
      count.textContent = shown + " shown";
    }
    form.addEventListener("input", apply);
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    apply();
  });
})();
`;
