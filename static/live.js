// While a run's slider (η, γ, β, ρ) is dragged, its path on the contour follows the hand.
//
// Streamlit sends a slider's value only on release. During the drag the thumb's
// aria-valuetext already shows the value under the hand: a MutationObserver reads it and
// the run's path is switched to the one computed by the core at that slider stop
// (figures/live.py packs them; nothing here computes a step). On release the page reruns
// and redraws everything from the new state; a release on the value the drag began from
// brings no rerun, so the picture is put back as it was.
// A classic script (served by Streamlit's static file serving, loaded by ui/browser.py).
(() => {
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

  async function inflate(base64) {
    const bytes = Uint8Array.from(atob(base64), (ch) => ch.charCodeAt(0));
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate"));
    return new Int16Array(await new Response(stream).arrayBuffer());
  }

  async function unpack(control) {
    // per slider stop: [xs, ys] and, for the 3D view, zs (null where a point is missing)
    const q = await inflate(control.paths);
    const h = control.heights ? await inflate(control.heights) : null;
    const n = control.epochs.length;
    const paths = [];
    for (let j = 0; j < control.values.length; j++) {
      const xs = new Array(n);
      const ys = new Array(n);
      const zs = h ? new Array(n) : null;
      for (let k = 0; k < n; k++) {
        const i = 2 * (j * n + k);
        xs[k] = q[i] === MISSING ? null : control.cx + q[i] * control.sx;
        ys[k] = q[i + 1] === MISSING ? null : control.cy + q[i + 1] * control.sy;
        if (h) zs[k] = h[j * n + k] === MISSING ? null : control.cz + h[j * n + k] * control.sz;
      }
      paths.push(h ? [xs, ys, zs] : [xs, ys]);
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

  // The drag's picture is drawn on a canvas laid over the chart, on Plotly's own axes (c2p: data to
  // pixels), while the run's own traces are hidden: a Plotly.restyle recomputes and redraws every
  // trace (5 to 10 times slower), and a changed SVG path repaints all the SVG under it.

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

  function chartEpoch(gd) {
    return gd.__epoch ?? 0; // set by the chart component (static/chart.js)
  }

  function hide(saved, element) {
    if (element && !saved.hidden.includes(element)) {
      element.style.visibility = "hidden";
      saved.hidden.push(element);
    }
  }

  function canvasOver(gd) {
    const layout = gd._fullLayout;
    const canvas = document.createElement("canvas");
    canvas.className = "drag-preview";
    const ratio = window.devicePixelRatio || 1;
    canvas.width = Math.round(layout.width * ratio);
    canvas.height = Math.round(layout.height * ratio);
    Object.assign(canvas.style, {
      position: "absolute", left: "0", top: "0", width: `${layout.width}px`, height: `${layout.height}px`,
      pointerEvents: "none",
    });
    gd.querySelector(".svg-container").appendChild(canvas);
    canvas.getContext("2d").scale(ratio, ratio);
    return canvas;
  }

  function dragging(gd) {
    // what a drag on `gd` has changed, to put back: the runs it draws, the elements it hid, its canvas
    return (live.saved ??= { gd, runs: new Map(), hidden: [], canvas: canvasOver(gd) });
  }

  function labelled(gd, saved, index, run, control) {
    // `run` with trace `index`'s legend text (it shows the value under the hand) and what it said; the
    // readout under the chart gives the losses of the released value: the dragged run's is hidden while dragging
    // (of several runs, its own "(n) loss" alone: the epoch and the other runs' losses hold still)
    const legend = [...gd.querySelectorAll(".legend .traces")].find((g) => g.__data__ && g.__data__[0].trace.index === index);
    const legendText = legend && legend.querySelector("text.legendtext");
    const chart = gd.closest(".tc");
    const readout = chart && chart.querySelector(".tc-readout");
    const losses = readout ? readout.querySelectorAll(".tc-loss") : [];
    hide(saved, losses.length ? losses[control.run] : readout);
    return Object.assign(run, { legendText, label: legendText && legendText.textContent });
  }

  // the runs being dragged: each hides its own traces (path, current-epoch marker, fitted line, ✕)
  function overlay(gd, control) {
    const saved = dragging(gd);
    if (saved.runs.has(control.run)) return saved.runs.get(control.run);
    const index = traceIndex(gd, "path" + control.run);
    const group = traceGroup(gd, index);
    if (!group) return null;
    hide(saved, group);
    const nowGroup = traceGroup(gd, traceIndex(gd, "now"));
    const now = nowGroup && [...nowGroup.querySelectorAll("path.point")].find((p) => p.__data__ && p.__data__.i === control.run);
    hide(saved, now);
    const fitIndex = traceIndex(gd, "fit" + control.run);
    hide(saved, fitIndex >= 0 && traceGroup(gd, fitIndex));
    const exitIndex = traceIndex(gd, "left" + control.run); // its ✕ where it left the plot
    hide(saved, exitIndex >= 0 && traceGroup(gd, exitIndex));
    // the arrows (every run's, one trace per kind) are the released values': they stayed where they were
    gd._fullData.forEach((t, i) => t.meta === "arrows" && hide(saved, traceGroup(gd, i)));
    const run = labelled(gd, saved, index, {
      trace: gd._fullData[index], now: nowGroup && nowGroup.__data__[0].trace,
      fit: fitIndex >= 0 ? gd._fullData[fitIndex] : null,
    }, control);
    saved.runs.set(control.run, run);
    return run;
  }

  const DASHES = { solid: [], dash: [9, 6], dot: [2.5, 4], dashdot: [9, 4, 2.5, 4] };

  function mark(ctx, symbol, x, y, size) {
    const r = size / 2;
    ctx.beginPath();
    if (symbol.startsWith("square")) ctx.rect(x - r, y - r, size, size);
    else if (symbol.startsWith("diamond")) {
      ctx.moveTo(x, y - r * 1.3); ctx.lineTo(x + r * 1.3, y); ctx.lineTo(x, y + r * 1.3); ctx.lineTo(x - r * 1.3, y);
      ctx.closePath();
    } else if (symbol.startsWith("triangle")) {
      ctx.moveTo(x, y - r * 1.2); ctx.lineTo(x + r * 1.1, y + r * 0.8); ctx.lineTo(x - r * 1.1, y + r * 0.8); ctx.closePath();
    } else ctx.arc(x, y, r, 0, 2 * Math.PI);
    ctx.fill();
    ctx.stroke();
  }

  function strokePath(ctx, points, line) {
    // a path through canvas points in Plotly's line style, broken where a point is missing (null)
    ctx.strokeStyle = line.color;
    ctx.lineWidth = line.width;
    ctx.setLineDash(DASHES[line.dash] || []);
    ctx.beginPath();
    let pen = false;
    for (const point of points) {
      if (!point) pen = false;
      else if (pen) ctx.lineTo(...point);
      else {
        ctx.moveTo(...point);
        pen = true;
      }
    }
    ctx.stroke();
    ctx.setLineDash([]);
  }

  function shownEpoch(control, j, epoch) {
    // the index of the chart's epoch among the preview's; null once the run has left the plot (the
    // release's figure has no marker there: its ✕ says where it left)
    let at = control.epochs.findIndex((k) => k >= epoch);
    if (at < 0) at = control.epochs.length - 1;
    const left = control.left ? control.left[j] : null;
    return left !== null && control.epochs[at] >= left ? null : at;
  }

  function paint() {
    // every dragged run, as Plotly would draw it: the path, a marker per epoch where the figure has
    // them, the current-epoch marker, and on the regression the fitted line
    const saved = live.saved;
    const ctx = saved.canvas.getContext("2d");
    ctx.clearRect(0, 0, saved.canvas.width, saved.canvas.height);
    for (const [runIndex, run] of saved.runs) {
      if (!run.xy) continue;
      const [xs, ys] = run.xy;
      const [xa, ya] = axes(saved.gd, run.trace);
      const px = (x) => xa._offset + xa.c2p(x);
      const py = (y) => ya._offset + ya.c2p(y);
      ctx.save();
      ctx.beginPath();
      ctx.rect(xa._offset, ya._offset, xa._length, ya._length);
      ctx.clip();
      strokePath(ctx, xs.map((x, k) => (x === null || ys[k] === null ? null : [px(x), py(ys[k])])), run.trace.line);
      if (run.trace.mode.includes("markers")) {
        ctx.fillStyle = run.trace.marker.color;
        ctx.lineWidth = 0;
        ctx.strokeStyle = "transparent";
        xs.forEach((x, k) => x !== null && ys[k] !== null && mark(ctx, run.trace.marker.symbol, px(x), py(ys[k]), run.trace.marker.size));
      }
      const [x, y] = run.at === null ? [null, null] : [xs[run.at], ys[run.at]];
      if (run.now && x !== null && y !== null) {
        const marker = run.now.marker;
        ctx.fillStyle = Array.isArray(marker.color) ? marker.color[runIndex] : marker.color;
        ctx.strokeStyle = "white";
        ctx.lineWidth = 2;
        mark(ctx, Array.isArray(marker.symbol) ? marker.symbol[runIndex] : marker.symbol, px(x), py(y), marker.size);
      }
      ctx.restore();
      if (run.fit && x !== null && y !== null) {
        // regression: the run's line y = b + w·x under the contour, at the current epoch's (b, w)
        const [fa, fb] = axes(saved.gd, run.fit);
        const ends = Array.from(run.fit.x);
        ctx.save();
        ctx.beginPath();
        ctx.rect(fa._offset, fb._offset, fa._length, fb._length);
        ctx.clip();
        ctx.strokeStyle = run.fit.line.color;
        ctx.lineWidth = run.fit.line.width;
        ctx.setLineDash(DASHES[run.fit.line.dash] || []);
        ctx.beginPath();
        ctx.moveTo(fa._offset + fa.c2p(ends[0]), fb._offset + fb.c2p(x + y * ends[0]));
        ctx.lineTo(fa._offset + fa.c2p(ends[1]), fb._offset + fb.c2p(x + y * ends[1]));
        ctx.stroke();
        ctx.restore();
      }
    }
  }

  // In the 3D view the same canvas is laid over the scene and each path is projected with the scene's
  // own camera: a restyle redraws the whole WebGL scene, 0.1-0.2 s a picture without a GPU. The run's
  // own path and marker are emptied once, with one restyle, as the drag begins; what they were is kept.

  function project(camera, v) {
    // model, view, projection (column-major 4×4, as gl-matrix keeps them) applied to (v, 1)
    let p = [v[0], v[1], v[2], 1];
    for (const m of [camera.model, camera.view, camera.projection]) {
      p = [0, 1, 2, 3].map((i) => m[i] * p[0] + m[4 + i] * p[1] + m[8 + i] * p[2] + m[12 + i] * p[3]);
    }
    return p;
  }

  function toScreen(gd) {
    // data (x, y, z) -> pixels of the canvas, or null behind the camera: Plotly's own mapping of 3D annotations
    const layout = gd._fullLayout;
    const scene = layout.scene._scene;
    const size = layout._size;
    const domain = layout.scene.domain;
    const [sx, sy, sz] = scene.dataScale;
    const [ax, ay, az] = [layout.scene.xaxis, layout.scene.yaxis, layout.scene.zaxis];
    const camera = scene.glplot.cameraParams;
    const width = size.w * (domain.x[1] - domain.x[0]);
    const height = size.h * (domain.y[1] - domain.y[0]);
    const left = size.l + domain.x[0] * size.w;
    const top = size.t + (1 - domain.y[1]) * size.h;
    return (x, y, z) => {
      const p = project(camera, [ax.r2l(x) * sx, ay.r2l(y) * sy, az.r2l(z) * sz]);
      if (!(p[3] > 0)) return null;
      return [left + 0.5 * (1 + p[0] / p[3]) * width, top + 0.5 * (1 - p[1] / p[3]) * height];
    };
  }

  function restyle3d(gd, update, traces) {
    // a redraw puts the scene's camera back where the layout has it: where the hand turned it goes in first
    gd.__plotly.update(gd, update, { "scene.camera": gd._fullLayout.scene._scene.getCamera() }, traces);
  }

  function show3d(gd, control, j, epoch) {
    const saved = dragging(gd);
    let run = saved.runs.get(control.run);
    if (!run) {
      const index = traceIndex(gd, "path" + control.run);
      if (index < 0) return false;
      const now = traceIndex(gd, "now");
      const exit = traceIndex(gd, "left" + control.run);
      const copy = (t) => ({ x: Array.from(t.x), y: Array.from(t.y), z: Array.from(t.z) });
      // the run's path, its ✕ where it left the box and its marker in the markers' trace (point `only`), as they
      // were: the drag shows them as missing points (the legend entry stays)
      // and the arrows (every run's, one trace per kind: the released values'), once for all the dragged runs
      const arrows = gd.data.flatMap((t, k) => (t.meta === "arrows" ? [[k]] : []));
      const held = [...saved.runs.values()].some((r) => r.parts && r.parts.some((p) => gd.data[p.index].meta === "arrows"));
      const parts = [[index], ...(exit >= 0 ? [[exit]] : []), ...(now >= 0 ? [[now, control.run]] : []),
        ...(held ? [] : arrows)]
        .map(([k, only]) => ({ index: k, only, before: copy(gd.data[k]) }));
      run = labelled(gd, saved, index, { parts, trace: gd._fullData[index], nowTrace: now >= 0 ? gd._fullData[now] : null },
        control);
      saved.runs.set(control.run, run);
      const gone = (a, i) => a.map((v, k) => (i === undefined || k === i ? null : v));
      restyle3d(gd, Object.fromEntries(["x", "y", "z"].map((a) => [a, parts.map((p) => gone(p.before[a], p.only))])),
        parts.map((p) => p.index));
    }
    run.xyz = control.xy[j];
    run.at = shownEpoch(control, j, epoch);
    if (run.legendText) run.legendText.textContent = control.labels[j];
    paint3d();
    return true;
  }

  function paint3d() {
    const saved = live.saved;
    const ctx = saved.canvas.getContext("2d");
    ctx.clearRect(0, 0, saved.canvas.width, saved.canvas.height);
    const screen = toScreen(saved.gd);
    for (const [runIndex, run] of saved.runs) {
      if (!run.xyz) continue;
      const [xs, ys, zs] = run.xyz;
      const points = xs.map((x, k) => (x === null || ys[k] === null || zs[k] === null ? null : screen(x, ys[k], zs[k])));
      strokePath(ctx, points, run.trace.line);
      ctx.fillStyle = run.trace.marker.color;
      ctx.strokeStyle = "transparent";
      // WebGL draws a 3D marker of size s about 2s across (compared in screenshots)
      for (const point of points) if (point) mark(ctx, "circle", ...point, 2 * run.trace.marker.size);
      const now = run.at === null ? null : points[run.at];
      if (run.nowTrace && now) {
        const marker = run.nowTrace.marker;
        ctx.fillStyle = Array.isArray(marker.color) ? marker.color[runIndex] : marker.color;
        ctx.strokeStyle = "white";
        ctx.lineWidth = 1;
        mark(ctx, Array.isArray(marker.symbol) ? marker.symbol[runIndex] : marker.symbol, ...now, 2 * marker.size);
      }
    }
  }

  function forget() {
    // take out what the drag added; Plotly's own elements show again
    const saved = live.saved;
    live.saved = null;
    for (const control of live.controls.values()) control.shown = undefined;
    if (!saved) return null;
    if (saved.canvas) saved.canvas.remove();
    for (const element of saved.hidden) element.style.visibility = "";
    return saved;
  }

  function restore() {
    // the drag ended where it began: no rerun will come, so the released picture is put back
    const saved = forget();
    for (const run of saved ? saved.runs.values() : []) {
      if (run.legendText) run.legendText.textContent = run.label;
      if (run.parts) { // 3D: the traces as they were
        const was = (a) => run.parts.map((p) => p.before[a]);
        restyle3d(saved.gd, { x: was("x"), y: was("y"), z: was("z") }, run.parts.map((p) => p.index));
      }
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
    if (gd._fullLayout.scene) {
      if (!show3d(gd, control, j, chartEpoch(gd))) return;
      control.shown = j;
      live.draws += 1;
      live.drawn = control.labels[j];
      return;
    }
    const run = overlay(gd, control);
    if (!run) return;
    run.xy = control.xy[j];
    run.at = shownEpoch(control, j, chartEpoch(gd));
    if (run.legendText) run.legendText.textContent = control.labels[j];
    paint();
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

  (window.__components ??= {}).live = function (component) {
    const control = { ...component.data };
    live.controls.set(control.key, control);
    unpack(control);
    return () => {
      if (live.controls.get(control.key) === control) live.controls.delete(control.key);
    };
  }
})();
