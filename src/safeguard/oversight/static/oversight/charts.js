// Oversight charts: drawn client-side with Chart.js (npm, UMD build loaded just before this
// module) from the page's JSON endpoint, named by data-oversight-charts. Each chart's figures are
// also in the table beside it, so nothing depends on this script. A static module: no inline
// script, no eval, no injected style, so it runs under a strict Content-Security-Policy.

// GOV.UK Design System colours: blue, orange, green, purple, red.
const PALETTE = ["#1d70b8", "#f47738", "#00703c", "#4c2c92", "#d4351c"];
const BASE = "#5694ca";
const HIGHLIGHT = "#0b0c0c";

function datasets(chart) {
  return chart.series.map((series, index) => {
    const colour = PALETTE[index % PALETTE.length];
    const dataset = {
      label: series.label,
      data: series.data,
      borderColor: colour,
      backgroundColor: colour,
      spanGaps: false, // a suppressed figure is a gap, never a guess
    };
    if (chart.highlight.length) {
      dataset.backgroundColor = series.data.map((_, i) => (chart.highlight.includes(i) ? HIGHLIGHT : BASE));
      dataset.borderColor = dataset.backgroundColor;
    }
    if (chart.kind === "line") {
      dataset.pointStyle = ["circle", "rect", "triangle", "rectRot", "star"][index % 5];
      dataset.pointRadius = 4;
      dataset.borderDash = index % 2 ? [6, 4] : [];
    }
    return dataset;
  });
}

function config(chart) {
  const valueAxis = {
    beginAtZero: true,
    title: { display: Boolean(chart.axis), text: chart.axis },
    ticks: { precision: 0 },
  };
  const labelAxis = { ticks: { autoSkip: !chart.horizontal } };
  return {
    type: chart.kind,
    data: { labels: chart.labels, datasets: datasets(chart) },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      indexAxis: chart.horizontal ? "y" : "x",
      scales: chart.horizontal ? { x: valueAxis, y: labelAxis } : { x: labelAxis, y: valueAxis },
      plugins: {
        legend: { display: chart.series.length > 1, position: "bottom" },
        tooltip: { enabled: true },
      },
    },
  };
}

async function drawCharts() {
  const containers = document.querySelectorAll("[data-oversight-charts]");
  if (!containers.length || typeof window.Chart === "undefined") {
    return;
  }
  window.Chart.defaults.font.family = "arial, sans-serif";
  window.Chart.defaults.font.size = 14;
  window.Chart.defaults.color = "#0b0c0c";
  for (const container of containers) {
    let payload;
    try {
      const response = await fetch(container.dataset.oversightCharts, {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      });
      if (!response.ok) {
        continue;
      }
      payload = await response.json();
    } catch {
      continue; // the tables still show every figure
    }
    for (const chart of payload.charts) {
      const canvas = container.querySelector(`canvas[data-chart="${chart.id}"]`);
      if (!canvas) {
        continue;
      }
      canvas.closest(".app-chart").classList.add("app-chart--drawn");
      new window.Chart(canvas, config(chart));
      canvas.dataset.drawn = "true";
    }
  }
  document.documentElement.dataset.chartsDrawn = "true";
}

if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", drawCharts);
} else {
  drawCharts();
}
