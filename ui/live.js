// While a run's slider (η, γ, β, ρ) is dragged, its path on the contour follows the hand.
//
// Streamlit sends a slider's value only on release. During the drag the thumb's
// aria-valuetext already shows the value under the hand: a MutationObserver reads it and
// the run's path is switched to the one computed by the core at that slider stop
// (figures/live.py packs them; nothing here computes a step). On release the page reruns
// and redraws everything from the new state; a release on the value the drag began from
// brings no rerun, so the picture is put back as it was.

const live = (window.__liveDrag ??= {
  controls: new Map(), // widget key -> control (from Python, plus its unpacked paths)
  active: false, // a pointer or a key is down on a slider
  dragged: new Map(), // widget key -> last value seen during this drag
  saved: null, // the chart's traces before the drag changed them
  frame: 0,
  draws: 0, // how many pictures the drag has shown (read by the tests and the benchmark)
});

const MISSING = -32768;

function keyClass(key) {
  return "st-key-" + key.trim().replaceAll(/[^a-zA-Z0-9_-]/g, "-");
}

async function unpack(control) {
  const bytes = Uint8Array.from(atob(control.paths), (ch) => ch.charCodeAt(0));
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate"));
  const q = new Int16Array(await new Response(stream).arrayBuffer());
  const n = control.epochs.length;
  const paths = [];
  for (let j = 0; j < control.values.length; j++) {
    const xs = new Array(n);
    const ys = new Array(n);
    for (let k = 0; k < n; k++) {
      const i = 2 * (j * n + k);
      xs[k] = q[i] === MISSING ? null : control.cx + q[i] * control.sx;
      ys[k] = q[i + 1] === MISSING ? null : control.cy + q[i + 1] * control.sy;
    }
    paths.push([xs, ys]);
  }
  control.xy = paths;
}

function chartOf(control) {
  return document.querySelector(`.${keyClass(control.chart)} .js-plotly-plot`);
}

function nearest(control, value) {
  let best = 0;
  let gap = Infinity;
  control.values.forEach((v, j) => {
    const d = control.log ? Math.abs(Math.log(v / value)) : Math.abs(v - value);
    if (d < gap) {
      gap = d;
      best = j;
    }
  });
  return best;
}

// Drawing goes straight to the chart's SVG, on Plotly's own axes (c2p: data to pixels):
// a Plotly.restyle recomputes and redraws every trace, the contour's too, 5 to 10 times slower.
const SVG = "http://www.w3.org/2000/svg";

function traceIndex(gd, name) {
  return gd._fullData.findIndex((t) => t.meta === name);
}

function traceGroup(gd, index) {
  return [...gd.querySelectorAll(".scatterlayer .trace")].find((g) => g.__data__ && g.__data__[0].trace.index === index);
}

function axes(gd, trace) {
  const layout = gd._fullLayout;
  return [layout["xaxis" + (trace.xaxis || "x").slice(1)], layout["yaxis" + (trace.yaxis || "y").slice(1)]];
}

function sliderEpoch(gd) {
  const slider = gd._fullLayout.sliders && gd._fullLayout.sliders[0];
  if (!slider) return 0;
  const step = slider.steps[slider.active || 0];
  return step ? Number(step.args[0][0]) : 0;
}

function linePath(xa, ya, xs, ys) {
  let d = "";
  let pen = "M";
  for (let k = 0; k < xs.length; k++) {
    if (xs[k] === null || ys[k] === null) {
      pen = "M";
      continue;
    }
    d += `${pen}${xa.c2p(xs[k]).toFixed(1)},${ya.c2p(ys[k]).toFixed(1)}`;
    pen = "L";
  }
  return d;
}

// the drag's picture of one run: its own group in the plot, Plotly's trace hidden meanwhile
function overlay(gd, control) {
  const saved = (live.saved ??= { gd, runs: new Map(), readout: null });
  if (saved.runs.has(control.run)) return saved.runs.get(control.run);
  const index = traceIndex(gd, "path" + control.run);
  const group = traceGroup(gd, index);
  if (!group) return null;
  const trace = gd._fullData[index];
  const layer = document.createElementNS(SVG, "g");
  layer.setAttribute("class", "drag-preview");
  const line = group.querySelector(".js-line");
  const path = document.createElementNS(SVG, "path");
  path.setAttribute("fill", "none");
  if (line) path.setAttribute("style", line.getAttribute("style"));
  layer.appendChild(path);
  group.parentNode.appendChild(layer);
  group.style.visibility = "hidden";
  const legend = [...gd.querySelectorAll(".legend .traces")].find((g) => g.__data__ && g.__data__[0].trace.index === index);
  const legendText = legend && legend.querySelector("text.legendtext");
  const point = group.querySelector(".points path.point");
  const run = { group, layer, path, trace, point, legendText, label: legendText && legendText.textContent, marks: [] };
  saved.runs.set(control.run, run);
  if (!saved.readout) {
    // the readout under the chart gives the losses of the released value: hidden while dragging
    saved.readout = gd.querySelector(".slider-group > text.slider-label");
    if (saved.readout) saved.readout.style.visibility = "hidden";
  }
  return run;
}

function placeMarks(run, xa, ya, xs, ys, shown) {
  // the same marker as Plotly's, one per epoch, where the released figure has them
  if (!run.point || !shown) return;
  while (run.marks.length < xs.length) {
    const mark = run.point.cloneNode();
    run.layer.appendChild(mark);
    run.marks.push(mark);
  }
  run.marks.forEach((mark, k) => {
    const ok = k < xs.length && xs[k] !== null && ys[k] !== null;
    mark.style.display = ok ? "" : "none";
    if (ok) mark.setAttribute("transform", `translate(${xa.c2p(xs[k]).toFixed(1)},${ya.c2p(ys[k]).toFixed(1)})`);
  });
}

function moveNow(gd, control, x, y) {
  // the run's current-epoch marker (one trace holds every run's)
  const group = traceGroup(gd, traceIndex(gd, "now"));
  if (!group || x === null || y === null) return;
  const [xa, ya] = axes(gd, group.__data__[0].trace);
  const point = [...group.querySelectorAll("path.point")].find((p) => p.__data__ && p.__data__.i === control.run);
  if (!point) return;
  live.saved.moved ??= new Map();
  if (!live.saved.moved.has(point)) live.saved.moved.set(point, point.getAttribute("transform"));
  point.setAttribute("transform", `translate(${xa.c2p(x).toFixed(1)},${ya.c2p(y).toFixed(1)})`);
}

function moveFit(gd, control, b, w) {
  // regression: the run's line y = b + w·x under the contour
  const index = traceIndex(gd, "fit" + control.run);
  const group = index >= 0 && traceGroup(gd, index);
  const line = group && group.querySelector(".js-line");
  if (!line || b === null || w === null) return;
  const [xa, ya] = axes(gd, gd._fullData[index]);
  const ends = Array.from(gd._fullData[index].x);
  live.saved.moved ??= new Map();
  if (!live.saved.moved.has(line)) live.saved.moved.set(line, line.getAttribute("d"));
  line.setAttribute("d", linePath(xa, ya, ends, ends.map((e) => b + w * e)));
}

function forget() {
  // take out what the drag added; Plotly's own elements show again
  const saved = live.saved;
  live.saved = null;
  for (const control of live.controls.values()) control.shown = undefined;
  if (!saved) return null;
  for (const run of saved.runs.values()) {
    run.layer.remove();
    run.group.style.visibility = "";
  }
  if (saved.readout) saved.readout.style.visibility = "";
  return saved;
}

function restore() {
  // the drag ended where it began: no rerun will come, so the released picture is put back
  const saved = forget();
  if (!saved) return;
  for (const run of saved.runs.values()) {
    if (run.legendText) run.legendText.textContent = run.label;
  }
  for (const [element, value] of saved.moved || []) {
    element.setAttribute(element.tagName === "path" && element.classList.contains("js-line") ? "d" : "transform", value);
  }
}

function show(control, j) {
  const gd = chartOf(control);
  if (!gd || !gd._fullLayout || !control.xy || control.shown === j) return;
  if (live.saved && live.saved.gd !== gd) forget(); // another chart now: nothing of ours belongs in it
  if (!gd.__dragHooked) {
    // the figure of the released value is drawn: the drag's picture goes
    gd.on("plotly_afterplot", () => {
      if (!live.active && live.saved && live.saved.gd === gd) forget();
    });
    gd.__dragHooked = true;
  }
  const run = overlay(gd, control);
  if (!run) return;
  const [xs, ys] = control.xy[j];
  const [xa, ya] = axes(gd, run.trace);
  run.path.setAttribute("d", linePath(xa, ya, xs, ys));
  placeMarks(run, xa, ya, xs, ys, run.trace.mode.includes("markers"));
  if (run.legendText) run.legendText.textContent = control.labels[j];
  const epoch = sliderEpoch(gd);
  let at = control.epochs.findIndex((k) => k >= epoch);
  if (at < 0) at = control.epochs.length - 1;
  moveNow(gd, control, xs[at], ys[at]);
  moveFit(gd, control, xs[at], ys[at]);
  control.shown = j;
  live.draws += 1;
  live.drawn = control.labels[j];
}

function draw() {
  live.frame = 0;
  for (const [key, value] of live.dragged) {
    const control = live.controls.get(key);
    if (control) show(control, nearest(control, value));
  }
}

function onMutations(records) {
  if (!live.active) return; // a rerun also redraws sliders: only a hand moves the paths
  for (const record of records) {
    const box = record.target.closest('[class*="st-key-"]');
    if (!box) continue;
    for (const control of live.controls.values()) {
      if (!box.classList.contains(keyClass(control.key))) continue;
      const value = parseFloat(record.target.getAttribute("aria-valuetext"));
      if (Number.isFinite(value)) live.dragged.set(control.key, value);
    }
  }
  if (live.dragged.size && !live.frame) live.frame = requestAnimationFrame(draw);
}

function onPress(event) {
  const slider = event.target.closest && event.target.closest('[data-testid="stSlider"]');
  if (!slider) return;
  live.active = true;
  live.dragged.clear();
  // the value before the hand moved it: a release there brings no rerun
  const thumb = slider.querySelector("[aria-valuetext]");
  live.before = thumb ? parseFloat(thumb.getAttribute("aria-valuetext")) : NaN;
}

function onRelease() {
  if (!live.active) return;
  live.active = false;
  if (live.frame) {
    cancelAnimationFrame(live.frame);
    draw();
  }
  const moved = [...live.dragged.values()].some(
    (value) => !(Math.abs(value - live.before) <= 1e-9 * Math.max(Math.abs(value), Math.abs(live.before))),
  );
  if (!moved) restore(); // no new value, no rerun: put the picture back
}

if (!live.observer) {
  live.observer = new MutationObserver(onMutations);
  live.observer.observe(document.body, { attributes: true, subtree: true, attributeFilter: ["aria-valuetext"] });
  document.addEventListener("pointerdown", onPress, true);
  document.addEventListener("keydown", onPress, true);
  document.addEventListener("pointerup", onRelease, true);
  document.addEventListener("keyup", onRelease, true);
}

export default function (component) {
  const control = { ...component.data };
  live.controls.set(control.key, control);
  unpack(control);
  return () => {
    if (live.controls.get(control.key) === control) live.controls.delete(control.key);
  };
}
