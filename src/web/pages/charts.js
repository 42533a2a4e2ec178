// SPDX-License-Identifier: Apache-2.0
// A small SVG line chart for the console (no library): lines over time, a y axis from 0 to the
// largest value, labels of the last value in the legend.
"use strict";

const SVG_NS = "http://www.w3.org/2000/svg";

function svgNode(tag, attrs) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  return node;
}

function niceMax(value) {
  if (!(value > 0)) return 1;
  const magnitude = Math.pow(10, Math.floor(Math.log10(value)));
  for (const step of [1, 2, 2.5, 5, 10]) {
    if (value <= step * magnitude) return step * magnitude;
  }
  return 10 * magnitude;
}

function formatValue(v) {
  if (v >= 100) return v.toFixed(0);
  if (v >= 10) return v.toFixed(1);
  return v.toFixed(2);
}

// Draws `lines` ([{name, color, values}]) over `times` (ms) into the <svg> `svg`, and a legend
// into `legend`. `unit` follows each legend value.
function drawChart(svg, legend, times, lines, unit) {
  const width = svg.clientWidth || 400;
  const height = svg.clientHeight || 180;
  const pad = { left: 40, right: 8, top: 8, bottom: 18 };
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  svg.replaceChildren();
  const max = niceMax(Math.max(0, ...lines.flatMap((l) => l.values)));
  const t0 = times.length ? times[0] : 0;
  const t1 = times.length ? times[times.length - 1] : 1;
  const x = (t) => pad.left + (t1 > t0 ? (t - t0) / (t1 - t0) : 1) * (width - pad.left - pad.right);
  const y = (v) => height - pad.bottom - (v / max) * (height - pad.top - pad.bottom);
  for (const fraction of [0, 0.5, 1]) {
    const v = max * fraction;
    svg.append(svgNode("line", { class: "axis", x1: pad.left, x2: width - pad.right, y1: y(v), y2: y(v) }));
    const label = svgNode("text", { x: pad.left - 4, y: y(v) + 3, "text-anchor": "end" });
    label.textContent = formatValue(v);
    svg.append(label);
  }
  if (times.length > 1) {
    const span = svgNode("text", { x: width - pad.right, y: height - 4, "text-anchor": "end" });
    span.textContent = `last ${Math.round((t1 - t0) / 1000)} s`;
    svg.append(span);
  }
  for (const line of lines) {
    if (line.values.length === 0) continue;
    const points = line.values.map((v, i) => `${x(times[i]).toFixed(1)},${y(v).toFixed(1)}`).join(" ");
    svg.append(svgNode("polyline", { points, fill: "none", stroke: line.color, "stroke-width": 1.8 }));
  }
  legend.replaceChildren(...lines.map((line) => {
    const item = document.createElement("span");
    const swatch = document.createElement("i");
    swatch.style.background = line.color;
    const last = line.values.length ? line.values[line.values.length - 1] : 0;
    item.append(swatch, `${line.name} ${formatValue(last)}${unit}`);
    return item;
  }));
}
