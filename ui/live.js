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

function traceIndex(gd, name) {
  return gd.data.findIndex((t) => t.meta === name);
}

function sliderEpoch(gd) {
  const slider = gd.layout.sliders && gd.layout.sliders[0];
  if (!slider) return 0;
  const step = slider.steps[slider.active || 0];
  return step ? Number(step.args[0][0]) : 0;
}

function save(gd) {
  if (live.saved && live.saved.gd === gd) return;
  const traces = gd.data.map((t, i) => [i, { x: t.x, y: t.y, name: t.name, customdata: t.customdata }]);
  live.saved = { gd, traces: traces.filter(([, t]) => t.x !== undefined) };
  // the readout under the chart gives the losses of the released value: hidden while dragging
  window.Plotly.relayout(gd, { "sliders[0].currentvalue.visible": false });
}

function restore() {
  const saved = live.saved;
  live.saved = null;
  for (const control of live.controls.values()) control.shown = undefined;
  if (!saved || !saved.gd.isConnected) return;
  const [indices, parts] = [saved.traces.map(([i]) => i), saved.traces.map(([, t]) => t)];
  const update = {};
  for (const attr of ["x", "y", "name", "customdata"]) update[attr] = parts.map((t) => t[attr]);
  window.Plotly.restyle(saved.gd, update, indices);
  window.Plotly.relayout(saved.gd, { "sliders[0].currentvalue.visible": true });
}

function show(control, j) {
  const gd = chartOf(control);
  if (!gd || !gd.data || !window.Plotly || !control.xy || control.shown === j) return;
  const path = traceIndex(gd, "path" + control.run);
  if (path < 0) return;
  save(gd);
  const [xs, ys] = control.xy[j];
  const epoch = sliderEpoch(gd);
  let at = control.epochs.findIndex((k) => k >= epoch);
  if (at < 0) at = control.epochs.length - 1;
  const indices = [path];
  const update = { x: [xs], y: [ys], name: [control.labels[j]], customdata: [control.epochs] };
  const now = traceIndex(gd, "now"); // the current-epoch markers, one per run
  if (now >= 0) {
    const mx = Array.from(gd.data[now].x);
    const my = Array.from(gd.data[now].y);
    mx[control.run] = xs[at];
    my[control.run] = ys[at];
    indices.push(now);
    update.x.push(mx);
    update.y.push(my);
  }
  const fit = traceIndex(gd, "fit" + control.run); // regression: the run's line y = b + w·x
  if (fit >= 0 && xs[at] !== null) {
    const ends = Array.from(gd.data[fit].x);
    indices.push(fit);
    update.x.push(ends);
    update.y.push(ends.map((e) => xs[at] + ys[at] * e));
  }
  window.Plotly.restyle(gd, update, indices); // a value missing for a trace leaves it as it is
  control.shown = j;
  live.draws += 1;
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
  if (event.target.closest && event.target.closest('[data-testid="stSlider"]')) {
    live.active = true;
    live.dragged.clear();
  }
}

function onRelease() {
  if (!live.active) return;
  live.active = false;
  if (live.frame) {
    cancelAnimationFrame(live.frame);
    draw();
  }
  const moved = [...live.dragged].some(([key, value]) => {
    const control = live.controls.get(key);
    return control && Math.abs(value - control.value) > 1e-9 * Math.max(Math.abs(value), Math.abs(control.value));
  });
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
  live.saved = null; // a new render: the chart shows the state again
  unpack(control);
  return () => {
    if (live.controls.get(control.key) === control) live.controls.delete(control.key);
  };
}
