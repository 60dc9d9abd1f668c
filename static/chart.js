// A chart (ui/chart.py): one Plotly graph kept across reruns, each new figure applied
// with Plotly.react, and the epoch owned here, not by Plotly's animation: it survives every rerun.
//
// The figure arrives as Python built it (a Plotly animation: frames that move the current-epoch
// marker, the arrows and the fitted lines), with each frame's readout in place of Plotly's slider and
// buttons, which the controls below replace; a frame is applied with one restyle.
// A classic script (served by Streamlit's static file serving, loaded by ui/browser.py).
(() => {
  // a 2D chart is drawn by Plotly's cartesian bundle, a third of the whole one (a phone's first visit draws it about
  // a second sooner); a 3D chart by the whole one, once it is needed
  const PLOTLY_URLS = {
    cartesian: new URL("app/static/plotly-cartesian.min.js", document.baseURI).href,
    full: new URL("app/static/plotly.min.js", document.baseURI).href,
  };
  const CSS = `
  .tc-readout { font-size: 18px; color: #111; white-space: pre-wrap; min-height: 1.4em; margin: 0 0 6px 8px;
    font-variant-numeric: tabular-nums; }
  .tc-loss { display: inline-block; white-space: pre; margin-right: 0.9em; }
  .tc-controls { display: flex; flex-wrap: wrap; align-items: center; gap: 6px 10px; margin: 0 0 4px 8px; }
  .tc-controls button { font-size: 16px; min-width: 44px; min-height: 40px; padding: 4px 12px; border-radius: 6px;
    border: 1px solid #6b7280; background: #fff; color: #111; cursor: pointer; }
  .tc-controls button:disabled { color: #9ca3af; border-color: #d1d5db; cursor: default; }
  .tc-controls button:focus-visible, .tc-controls input:focus-visible, .tc-controls select:focus-visible {
    outline: 3px solid #1f4fd1; outline-offset: 2px; }
  .tc-play { display: inline-grid; } .tc-play > span { grid-area: 1 / 1; } .tc-play > .tc-other { visibility: hidden; }
  .tc-epoch { flex: 1 1 160px; min-width: 120px; min-height: 32px; accent-color: #1f4fd1; }
  .tc-option { font-size: 15px; color: #111; display: inline-flex; align-items: center; gap: 4px; }
  .tc-speed { font-size: 15px; min-height: 36px; }
  .tc-trail { width: 20px; height: 20px; accent-color: #1f4fd1; }
  .tc { position: relative; }
  .tc-plot:focus-visible { outline: 3px solid #1f4fd1; outline-offset: 2px; }
  .tc-cell, .tc-said { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0);
    white-space: nowrap; }
  .tc-where { position: absolute; z-index: 2; pointer-events: none; white-space: nowrap; font-size: 13px; color: #111;
    background: rgba(255, 255, 255, 0.92); border: 1px solid #6b7280; border-radius: 4px; padding: 1px 6px;
    font-variant-numeric: tabular-nums; }
  `;
  const TITLE_ROOM = 36; // px between a grid's legend and its plot: the first panel's title (legendOverTitles)
  const STACK_BELOW = 480; // px: a chart narrower (a phone) puts a grid's panels one under another (gridded)
  const FILL_GAP = 24; // px a filling chart's column leaves under it, above the screen's foot
  const MIN_FILL = 360; // px: the least a presented chart is made, to keep its epoch's controls on a short screen
  const TURN = 15; // degrees an arrow key turns a 3D view about its vertical axis
  const TILT = 10; // and raises or lowers the eye, up to MAX_TILT (radians, about 80°) above or below the level
  const MAX_TILT = 1.4;
  const SPARE = 40; // px of width an equal-axes plot may leave over once its blank rows are cut (unusedRows)
  const FRAMES_PER_SECOND = 4; // at speed 1×: Plotly's animation took 250 ms a frame
  const SPEEDS = [0.25, 0.5, 1, 2, 4];
  const SAID_RUNS = 4; // a new epoch tells a screen reader the losses of at most the explorer's four runs
  const EPOCH_TOLD_AFTER = 500; // ms at rest before the epoch goes into the link (each telling is a rerun)
  const TOUCH = window.matchMedia("(pointer: coarse)"); // a phone's or a tablet's screen
  const TAP_LABEL_MS = 2000; // how long the labels of a tapped point stay
  const HOVER_WAIT = 80; // ms: Plotly draws a hover at most every 50 ms, a later one when that time is up

  const memory = (window.__chartMemory ??= new Map()); // Python key -> what the user chose: epoch, trail, speed
  const charts = (window.__charts ??= new WeakMap()); // parent element -> its chart

  // presenting, the charts that fill the screen's height (screenRoom): a new height (another projector, a window made
  // taller) draws them again; one listener for all, which lets go of a chart once it is gone from the page
  const filling = (window.__chartsFilling ??= new Set());
  if (!window.__chartsFillingHeard) {
    window.__chartsFillingHeard = true;
    window.addEventListener("resize", () => {
      for (const chart of filling) {
        if (!chart.root.isConnected) filling.delete(chart);
        else if (window.innerHeight !== chart.filledFor) chart.redrawSoon();
      }
    });
  }

  const bundles = (window.__plotlyBundles ??= {}); // "cartesian" or "full" -> the promise of that bundle's Plotly

  function plotly(full) {
    // each bundle sets window.Plotly as it loads: a chart keeps the one it was drawn with (this.Plotly)
    const kind = full || bundles.full ? "full" : "cartesian";
    return (bundles[kind] ??= new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = PLOTLY_URLS[kind];
      script.onload = () => resolve(window.Plotly);
      script.onerror = reject;
      document.head.appendChild(script);
    }));
  }

  function contour(id) {
    // the contour's traces, sent in an element of their own (kept while the surface is)
    const store = (window.__chartContours ??= new Map());
    if (!id) return Promise.resolve([]);
    if (store.has(id)) return Promise.resolve(store.get(id));
    return new Promise((resolve) => {
      const check = () => {
        if (!store.has(id)) return;
        window.removeEventListener("chart-contour", check);
        resolve(store.get(id));
      };
      window.addEventListener("chart-contour", check);
    });
  }

  function stepBack(layout, width) {
    // a scene narrower than it is tall (a side column at 1024 px) sees less across: the camera steps back
    // until the surface and its axes' labels fit the width
    const margin = layout.margin || {};
    const tall = layout.height - (margin.t || 0) - (margin.b || 0);
    const back = Math.max(1, (1.1 * tall) / width);
    const { camera } = layout.scene;
    if (!(width > 0) || !Number.isFinite(back) || back === 1 || !camera || !camera.eye) return layout.scene;
    const eye = { x: camera.eye.x * back, y: camera.eye.y * back, z: camera.eye.z * back };
    return { ...layout.scene, camera: { ...camera, eye } };
  }

  function gridded(layout, width) {
    // a grid's panels (the basins', one a run) at equal scales: one under another on a narrow screen, each as wide as
    // the screen (two side by side on a phone were stamps 135 px wide, a second row of them far below, each labelling
    // its x2 axis then); and a chart no taller than its square panels need (a 1024-px screen left 180 px blank rows)
    const grid = layout.grid;
    if (!grid || !(width > 0)) return layout;
    const out = { ...layout };
    const margin = layout.margin || {};
    if (grid.rows * grid.columns >= 2) {
      const gap = 110; // px between rows: the x1 axis's labels and the next panel's title
      let cell; // px: a panel's width, the width less the x2 axis's labels (and the gaps between columns)
      if (width < STACK_BELOW) {
        cell = Math.max(width - 50, 100);
        const n = Object.keys(layout).filter((key) => /^xaxis\d*$/.test(key)).length;
        out.grid = { ...grid, rows: n, columns: 1 };
        for (const key of Object.keys(layout).filter((k) => /^yaxis\d*$/.test(k))) {
          out[key] = { ...layout[key], showticklabels: true, title: layout.yaxis.title };
        }
      } else {
        cell = ((width - 50) / (grid.columns - grid.xgap)) * (1 - grid.xgap); // Plotly's gap: of a cell and its gap
      }
      const rows = out.grid.rows;
      const height = (margin.t || 0) + (margin.b || 0) + 50 + rows * cell + (rows - 1) * gap;
      if (height < layout.height || out.grid !== grid) {
        out.height = height;
        out.grid = { ...out.grid, ygap: gap / (cell + gap) };
      }
    }
    return legendOverTitles(out, out.height - (margin.t || 0) - (margin.b || 0));
  }

  function legendOverTitles(layout, plotHeight) {
    // a grid's legend (in paper units over the plot) TITLE_ROOM px above the plot, where the first panel's title is
    // when the panel is as tall as its cell (on a phone the legend's three rows lay over "1. 梯度下降")
    if (!layout.grid || !layout.legend || layout.legend.yanchor !== "bottom" || !(plotHeight > 0)) return layout;
    return { ...layout, legend: { ...layout.legend, y: 1 + TITLE_ROOM / plotHeight } };
  }

  function colourbarsBelow(layout, traces, width) {
    // a map's colour bar beside it took 70 of a phone's 340 px, the map a strip 207 px wide for its 200 cells: on a
    // narrow screen the bar lies under the x axis, as wide as the chart
    if (!(width > 0) || width >= STACK_BELOW) return layout;
    const room = 70; // px at the chart's foot: the bar, its ticks and its title
    let moved = false;
    traces.forEach((trace, i) => {
      if (!trace.colorbar || trace.showscale === false) return;
      const bar = trace.colorbar;
      traces[i] = { ...trace, colorbar: { ...bar, orientation: "h", x: 0.5, xanchor: "center", y: -0.3, yanchor: "top",
        len: 1, thickness: 12, title: { ...(bar.title || {}), side: "top" } } }; // y: under the x axis's title
      moved = true;
    });
    if (!moved) return layout;
    const margin = layout.margin || {};
    return { ...layout, margin: { ...margin, b: (margin.b ?? 80) + room }, height: layout.height + room };
  }

  const TYPES = { f4: Float32Array, f8: Float64Array, i1: Int8Array, u1: Uint8Array, i2: Int16Array, u2: Uint16Array,
    i4: Int32Array, u4: Uint32Array };

  function decode(value) {
    // Plotly's binary array spec ({dtype, bdata}) as a typed array, to cut a path at the epoch
    if (!value || value.bdata === undefined) return value;
    const bytes = Uint8Array.from(atob(value.bdata), (c) => c.charCodeAt(0));
    return new TYPES[value.dtype](bytes.buffer);
  }

  const turn = (window.__chartTurn ??= { first: Promise.resolve() }); // the first chart's latest drawing
  // after the next paint (rAF, then a task); a tab in the background has no frames: at the latest in 100 ms
  const painted = () => new Promise((resolve) => {
    requestAnimationFrame(() => setTimeout(resolve, 0));
    setTimeout(resolve, 100);
  });

  const spoken = (text) => text.replace(/^[^\p{L}\p{N}]+/u, ""); // a label without its leading symbol ("▶ ")

  function element(tag, props = {}, children = []) {
    const node = Object.assign(document.createElement(tag), props);
    node.append(...children);
    return node;
  }

  class Chart {
    constructor(parent) {
      this.plot = element("div", { className: "tc-plot" });
      this.readout = element("div", { className: "tc-readout" });
      // what a screen reader is told of a new epoch: the readout, but of a race's 14 runs the epoch alone (all 14
      // losses at each step drowned it; the readout above still holds them, to be read on request)
      this.said = element("div", { className: "tc-said", role: "status" });
      // its label, and the other one unseen in the same place: the button as wide for "❚❚ 暂停" as for "▶ 播放" (the
      // epoch's slider beside it went to a row of its own when a play began, the buttons moving under the finger)
      this.playNow = element("span");
      this.playOther = element("span", { className: "tc-other", ariaHidden: "true" });
      this.play = element("button", { className: "tc-play", type: "button" }, [this.playNow, this.playOther]);
      this.back = element("button", { className: "tc-back", type: "button", textContent: "|◀" });
      this.forward = element("button", { className: "tc-forward", type: "button", textContent: "▶|" });
      this.slider = element("input", { className: "tc-epoch", type: "range", min: 0, step: 1, value: 0 });
      this.speed = element("select", { className: "tc-speed" },
        SPEEDS.map((s) => element("option", { value: String(s), textContent: `${s}×` })));
      this.speedLabel = element("span");
      this.trail = element("input", { className: "tc-trail", type: "checkbox" });
      this.trailLabel = element("span");
      // the picture for a handout, under the chart: Plotly's camera at its top right covered the legend's first row
      // (a phone shows it always) and showed only to a pointer over the chart
      this.png = element("button", { className: "tc-png", type: "button", textContent: "⤓ PNG", hidden: true });
      this.controls = element("div", { className: "tc-controls" }, [
        this.play, this.back, this.forward, this.slider,
        element("label", { className: "tc-option" }, [this.speedLabel, this.speed]),
        element("label", { className: "tc-option" }, [this.trail, this.trailLabel]),
        this.png,
      ]);
      this.controls.hidden = true; // until a figure with epochs is drawn
      this.readout.hidden = true;
      // the point under the pointer, on a plane a click sets the start on (the screen reader has the inputs)
      this.where = element("div", { className: "tc-where", hidden: true });
      this.where.setAttribute("aria-hidden", "true");
      // a cell chosen with the arrow keys on a chart whose cells open (the maps): what it holds, for a screen reader
      this.cell = element("div", { className: "tc-cell", role: "status" });
      this.root = element("div", { className: "tc" },
        [this.plot, this.readout, this.said, this.controls, this.where, this.cell]);
      parent.appendChild(this.root);
      this.timer = null;
      // a new width (the sidebar closing as the presentation layout opens, a window's resize) left Plotly at the
      // old width, its rows cut for it (unusedRows) and its legend's names one a row: drawn again for the new. A
      // hidden chart (width 0) waits to be shown; a width that keeps changing with each drawing (a scrollbar that a
      // taller chart brings: the page keeps its gutter, STEADY_WIDTH) is followed at most 5 times in 2 s
      new ResizeObserver(([entry]) => {
        const width = Math.round(entry.contentRect.width);
        if (this.drawnWidth === undefined || width === 0 || Math.abs(width - this.drawnWidth) < 8) return;
        if (this.resizes >= 5 && performance.now() - this.resizedAt < 2000) return;
        this.redrawSoon();
      }).observe(this.plot);
      this.play.onclick = () => (this.timer ? this.pause() : this.start());
      this.back.onclick = () => { this.pause(); this.go(this.index - 1); };
      this.forward.onclick = () => { this.pause(); this.go(this.index + 1); };
      this.png.onclick = () => this.Plotly.downloadImage(this.plot, { format: "png", scale: 2, ...this.data.png });
      this.slider.oninput = () => {
        const index = Number(this.slider.value); // before pause() puts the slider back at the shown epoch
        this.pause();
        this.go(index);
      };
      this.speed.onchange = () => { this.remember().speed = Number(this.speed.value); if (this.timer) this.start(); };
      this.trail.onchange = () => { this.remember().trail = this.trail.checked; this.go(this.index, true); };
    }

    redrawSoon() {
      // the same figure drawn again in a moment, for a new width or screen height
      clearTimeout(this.resized);
      this.resized = setTimeout(() => this.update(this.latest, this.setTriggerValue, true), 150);
    }

    remember() {
      if (!memory.has(this.key)) memory.set(this.key, { epoch: 0, trail: null, speed: 1 });
      return memory.get(this.key);
    }

    update(data, setTriggerValue, resized = false) {
      // the chart under the hand (`first`) draws at once; the page's other charts after it is on screen: the
      // browser paints only once all the drawing it was given is done, and theirs took 100 ms of a key press
      // (`resized`: the same figure again, for a new width)
      this.latest = data;
      if (resized) {
        const now = performance.now();
        this.resizes = now - (this.resizedAt ?? -Infinity) < 2000 ? this.resizes + 1 : 1;
        this.resizedAt = now;
      } else {
        this.resizes = 0;
      }
      const version = (this.version = (this.version || 0) + 1);
      if (data.first) {
        const drawing = this.draw(data, setTriggerValue, version);
        turn.first = drawing.catch(() => {});
        return drawing;
      }
      // at the latest in a second: a first chart that never finishes (its contour never came) holds up no other
      const first = Promise.race([turn.first, new Promise((resolve) => setTimeout(resolve, 1000))]);
      return first.then(painted).then(() => this.draw(data, setTriggerValue, version));
    }

    async draw(data, setTriggerValue, version) {
      const is3d = !!data.figure.layout.scene;
      const Plotly = is3d || !this.Plotly ? await plotly(is3d) : this.Plotly;
      const contourTraces = await contour(data.contour);
      if (version !== this.version) return; // a newer figure came while this one waited
      if (this.Plotly && this.Plotly !== Plotly) this.Plotly.purge(this.plot); // the 3D view: drawn anew by the other
      this.Plotly = this.plot.__plotly = Plotly; // live.js draws with it too
      const before = this.data; // the figure drawn until now
      this.key = data.key;
      this.data = data;
      const mine = this.remember();
      if ("epoch" in data && data.epoch !== this.linkEpoch) { // the link's epoch, new (a link opened, Back)
        this.linkEpoch = data.epoch;
        mine.epoch = data.epoch;
      }
      const words = data.words;
      if (data.description) { // the chart's text alternative: what it shows, in words
        this.root.setAttribute("role", "figure");
        this.root.setAttribute("aria-label", data.description);
      } else {
        this.root.removeAttribute("role");
        this.root.removeAttribute("aria-label");
      }
      if (words.play) { // a chart with epochs: its controls' names (a chart without has none, and hides them)
        this.back.setAttribute("aria-label", words.back);
        this.back.title = words.back;
        this.forward.setAttribute("aria-label", words.forward);
        this.forward.title = words.forward;
        this.slider.setAttribute("aria-label", words.epoch);
        this.speedLabel.textContent = words.speed + " ";
        this.trailLabel.textContent = " " + words.trail;
      }
      this.png.hidden = !data.png;
      this.png.title = words.png || "";
      this.png.setAttribute("aria-label", words.png || "PNG");
      this.speed.value = String(mine.speed);
      this.trail.checked = mine.trail ?? data.trail;

      const figure = data.figure;
      let layout = gridded({ ...figure.layout }, this.plot.clientWidth);
      this.readouts = data.readouts; // each frame's, in place of Plotly's slider (taken out in Python)
      layout.clickmode = "event";
      // on a touch screen a finger's swipe over a 2D chart scrolls the page: Plotly's drag zoomed the loss chart, which
      // fills a phone's width, and its "double-click to zoom back out" is in English (a 3D chart still turns). A tap
      // is Plotly's click (from the touch) and the browser's (its mouse events after it): two clicks, a double click,
      // which reset the axes under the finger, and the tapped point was read on the new ones (0.36 where the finger
      // was at 0.54: a phone's trial). Where a tap chooses a point on the plane, no other point's label beside it
      const flat = TOUCH.matches && !layout.scene;
      const config = flat ? { ...data.config, doubleClick: false } : data.config;
      if (flat) layout.dragmode = false;
      if (flat && data.clickable === "plane") layout.hovermode = false;
      const scene = this.plot._fullLayout && this.plot._fullLayout.scene;
      // presenting, the chart takes the height the screen leaves it (screenRoom): more on a tall screen, less on a
      // short one, its legend's rows counted; and it is drawn again for another screen height
      if (data.fill) filling.add(this);
      else filling.delete(this);
      this.filledFor = window.innerHeight;
      let screen = this.screenRoom();
      if (layout.scene && scene && scene._scene && before && before.figure.layout.uirevision === layout.uirevision) {
        // the same surface: the scene stays turned where the class turned it (a drag's redraw wrote the camera
        // into the layout, which uirevision alone would then mix with the figure's)
        layout.scene = { ...layout.scene, camera: scene._scene.getCamera() };
      } else if (layout.scene) {
        layout.scene = stepBack({ ...layout, height: Math.max(layout.height, screen.grow) }, this.plot.clientWidth);
      }
      this.frames = figure.frames || [];
      this.epochs = this.frames.map((f) => Number(f.name));
      this.traces = [...contourTraces, ...figure.data].map((t) => ({ ...t }));
      layout = colourbarsBelow(layout, this.traces, this.plot.clientWidth);
      this.now = this.traces.findIndex((t) => t.meta === "now"); // each run's current-epoch marker, one trace
      this.paths = [];
      this.exits = []; // the ✕ where a run left the plot, at the epoch it left (customdata)
      this.traces.forEach((t, i) => {
        if (typeof t.meta === "string" && t.meta.startsWith("path")) {
          this.paths.push({ index: i, x: decode(t.x), y: decode(t.y), z: decode(t.z) });
        } else if (typeof t.meta === "string" && t.meta.startsWith("left")) {
          this.exits.push({ index: i, x: t.x, y: t.y, z: t.z, epoch: Number(t.customdata[0]) });
        }
      });
      this.slider.max = Math.max(this.frames.length - 1, 0);
      let index = this.epochs.findLastIndex((k) => k <= mine.epoch);
      if (index < 0) index = 0;
      this.index = index;
      for (const [i, values] of this.frameValues(index)) Object.assign(this.traces[i], values);

      const gd = this.plot;
      const hiddenBefore = this.hiddenRuns().size;
      // Plotly sizes itself to its box only on its first drawing and on a window's resize: each drawing names the width
      this.drawnWidth = gd.clientWidth; // 0 while hidden: drawn again once shown
      if (this.drawnWidth > 0) layout.width = this.drawnWidth;
      // a legend that wraps to many rows on a narrow screen takes its rows from the plot: the chart grows by
      // them instead; and equal axes on a narrow screen leave rows blank above and below the plot: the chart
      // gives them up (as much as the last drawing needed, measured again after this one)
      const asked = layout.height;
      const height = (legendRoom) => Math.max(asked, screen.grow - legendRoom);
      const change = () => (this.legendRoom || 0) - (this.blank || 0);
      // on a short screen no taller than keeps the epoch's controls on it (as the last drawing measured them)
      let drawn = (layout.height = Math.min(height(this.legendRoom || 0) + change(), screen.limit));
      await Plotly.react(gd, this.traces, layout, config); // not `responsive`: the ResizeObserver redraws
      if (layout.legend && layout.legend.entrywidthmode === "fraction" && this.namesCut()) {
        // one name a row, where the columns cut them, all of them shown (the chart grows by their rows, below)
        layout.legend = { ...layout.legend, entrywidth: 1, maxheight: 2000 };
        await Plotly.relayout(gd, { "legend.entrywidth": 1, "legend.maxheight": 2000 });
      }
      for (let pass = 0; pass < 3; pass++) { // measured again after a change: a taller chart may leave rows blank
        if (drawn < height(this.legendRoom || 0) + change()) break; // held to a short screen: its rows are not blank
        const legend = gd._fullLayout.legend;
        const room = legend && legend.orientation === "h" && legend._height > 60 ? Math.round(legend._height - 40) : 0;
        const unused = this.unusedRows(layout);
        // the legend's rows are in the margin then, already: the height is the drawing's less its unused rows
        const blank = unused === null ? 0 : height(room) + room - (drawn - unused);
        if (room === (this.legendRoom || 0) && blank === (this.blank || 0)) break;
        this.legendRoom = room;
        this.blank = blank;
        drawn = layout.height = height(room) + change();
        await Plotly.relayout(gd, { height: drawn });
      }
      for (let pass = 0; pass < 3; pass++) { // the plot's height is known now: the legend over the titles by as many px
        const placed = legendOverTitles(layout, gd._fullLayout._size.h).legend;
        if (!layout.grid || Math.abs(placed.y - gd._fullLayout.legend.y) * gd._fullLayout._size.h < 1) break;
        layout.legend = placed;
        await Plotly.relayout(gd, { "legend.y": placed.y });
      }
      this.controls.hidden = this.frames.length === 0;
      this.readout.hidden = this.frames.length === 0;
      if (!gd.__chartHooked) {
        gd.on("plotly_click", (event) => { // a click on one of the points (a map's cell, a basin's start)
          const point = event.points && event.points[0];
          if (this.data.clickable === true && point && Number.isFinite(point.x) && Number.isFinite(point.y)) {
            this.setTriggerValue("click", { x: point.x, y: point.y });
          }
        });
        // a click anywhere on the plane of the first axes (the contour's): where it was, in the data's coordinates
        // (Plotly sends a click event for a press and release that did not drag)
        gd.addEventListener("click", (event) => {
          const point = this.onPlane(event);
          if (point) this.setTriggerValue("click", point);
        });
        gd.addEventListener("keydown", (event) => {
          if (event.altKey || event.ctrlKey || event.metaKey) return; // the browser's (Alt+←: Back)
          if (this.grid) this.keyOnCells(event);
          else this.turnScene(event);
        });
        gd.addEventListener("mousemove", (event) => this.showWhere(event));
        gd.addEventListener("mouseleave", () => { this.where.hidden = true; });
        // a finger never leaves the chart as a mouse does: the labels of the point under a tap stayed over the
        // plot until the next tap (a phone's trial); they go after a moment
        gd.addEventListener("pointerup", (event) => {
          if (event.pointerType !== "touch") return;
          clearTimeout(this.unhoverTimer);
          this.unhoverTimer = setTimeout(() => {
            this.where.hidden = true;
            if (this.Plotly) this.Plotly.Fx.unhover(gd);
          }, TAP_LABEL_MS);
        });
        gd.on("plotly_restyle", (event) => { // a click on the legend: the markers follow the paths shown
          if (this.frames.length && event && event[0] && "visible" in event[0]) this.go(this.index, true);
        });
        gd.__chartHooked = true;
      }
      this.setTriggerValue = setTriggerValue;
      this.cellsByKeys();
      if (this.frames.length && (hiddenBefore || this.hiddenRuns().size)) this.go(index, true); // kept or reset
      this.show(index);
      if (screen.grow || screen.limit < Infinity) { // the readout and the epoch's controls, shown only now the first
        // time, measured again with them; on a short screen, the chart no taller than keeps them on it (once its own
        // rows are settled: a cut before would count as blank rows)
        screen = this.screenRoom();
        const fitted = Math.min(height(this.legendRoom || 0) + change(), screen.limit);
        if (Math.abs(fitted - drawn) > 1) await Plotly.relayout(gd, { height: (layout.height = drawn = fitted) });
      }
      if (mine.playing && !this.timer) this.start();
    }

    cellsByKeys() {
      // a chart whose points open something (a map's cell, a basin's start) takes the keyboard too: Tab to it, the
      // arrows move over the points a pointer would hover (Plotly's own hover label shows and names each), Enter
      // opens the one chosen, as a click does
      const gd = this.plot;
      const index = this.data.clickable === true ? gd._fullData.findIndex((t) => t.visible !== false
        && (t.type === "heatmap" || t.type === "scatter") && t.hoverinfo !== "skip") : -1;
      if (index < 0) {
        this.grid = null;
        if (this.data.figure.layout.scene && this.data.words.scene_keys) { // a 3D view: the arrows turn it too
          gd.tabIndex = 0;
          gd.setAttribute("role", "application");
          gd.setAttribute("aria-label", this.data.words.scene_keys);
        } else {
          gd.removeAttribute("tabindex");
          gd.removeAttribute("role");
          gd.removeAttribute("aria-label");
        }
        return;
      }
      const trace = gd._fullData[index];
      const xs = [...new Set(Array.from(trace.x))].sort((a, b) => a - b);
      const ys = [...new Set(Array.from(trace.y))].sort((a, b) => a - b);
      const kept = this.grid && this.grid.xs.length === xs.length && this.grid.ys.length === ys.length;
      const subplot = (trace.xaxis || "x") + (trace.yaxis || "y");
      const nearest = (values, value) => values.reduce((best, v, i) => // where the page puts run 1, else the middle
        (Math.abs(v - value) < Math.abs(values[best] - value) ? i : best), values.length >> 1);
      const [x, y] = this.data.keys_from || [NaN, NaN];
      this.grid = { xs, ys, subplot, at: kept ? this.grid.at : [nearest(xs, x), nearest(ys, y)] };
      gd.tabIndex = 0;
      gd.setAttribute("role", "application"); // the arrows belong to the chart, so a screen reader passes them on
      gd.setAttribute("aria-label", this.data.words.cells_keys || "");
    }

    keyOnCells(event) {
      const grid = this.grid;
      if (!grid) return;
      const moves = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1] };
      const [i, j] = grid.at;
      if (moves[event.key]) {
        const [di, dj] = moves[event.key];
        const step = event.shiftKey ? 10 : 1;
        grid.at = [Math.min(Math.max(i + di * step, 0), grid.xs.length - 1),
          Math.min(Math.max(j + dj * step, 0), grid.ys.length - 1)];
      } else if (event.key === "Enter" || event.key === " ") {
        // the point the hover label names (Plotly's nearest to the chosen values), as a click on it
        const shown = (this.plot._hoverdata || [])[0];
        const point = shown ? { x: shown.x, y: shown.y } : { x: grid.xs[i], y: grid.ys[j] };
        this.setTriggerValue("click", point);
      } else if (event.key === "Escape") {
        this.Plotly.Fx.unhover(this.plot);
        return;
      } else {
        return;
      }
      event.preventDefault();
      this.Plotly.Fx.hover(this.plot, { xval: grid.xs[grid.at[0]], yval: grid.ys[grid.at[1]] }, grid.subplot);
      clearTimeout(this.saying);
      this.saying = setTimeout(() => this.sayCell(), HOVER_WAIT);
    }

    turnScene(event) {
      // a 3D view by keyboard, as a drag turns it: ← → about the vertical axis, ↑ ↓ seen from higher or lower
      const turns = { ArrowLeft: [-TURN, 0], ArrowRight: [TURN, 0], ArrowUp: [0, TILT], ArrowDown: [0, -TILT] };
      const scene = this.plot._fullLayout && this.plot._fullLayout.scene;
      if (!turns[event.key] || !scene || !scene._scene) return;
      event.preventDefault(); // not the page's scroll
      const camera = scene._scene.getCamera();
      const { x, y, z } = camera.eye;
      const [around, up] = turns[event.key].map((degrees) => (degrees * Math.PI) / 180);
      const level = Math.hypot(x, y);
      const distance = Math.hypot(level, z);
      const azimuth = Math.atan2(y, x) + around;
      const elevation = Math.min(Math.max(Math.atan2(z, level) + up, -MAX_TILT), MAX_TILT);
      const eye = { x: distance * Math.cos(elevation) * Math.cos(azimuth),
        y: distance * Math.cos(elevation) * Math.sin(azimuth), z: distance * Math.sin(elevation) };
      this.Plotly.relayout(this.plot, { "scene.camera": { ...camera, eye } });
    }

    sayCell() {
      // the hover label of the point chosen by the keyboard, once Plotly has drawn it; on a map, with what the cell's
      // colour says (a screen reader heard "η 0.13, γ 0.55" and never whether that run converges)
      if (this.grid && document.activeElement === this.plot) {
        const label = this.plot.querySelector(".hoverlayer .hovertext");
        const [is, and] = this.data.words.cell_joins || [": ", ", "];
        this.cell.textContent = label ? [label.textContent, ...this.cellMeaning(and)].join(is) : "";
      }
    }

    cellMeaning(and) {
      // the chosen cell's kind (its trace's meta.kinds, by z) and, where the colour scale shows it, its value there
      const shown = (this.plot._hoverdata || [])[0];
      const kinds = shown && shown.data && shown.data.meta && shown.data.meta.kinds;
      if (!kinds || !Array.isArray(shown.pointNumber)) return [];
      const [row, column] = shown.pointNumber;
      const said = [kinds[shown.z]].filter(Boolean);
      const scale = this.plot._fullData.find((t) => t.meta && t.meta.value);
      const value = scale && scale.z[row] && scale.z[row][column];
      if (shown.z === 0 && Number.isFinite(value)) said.push(`${scale.meta.value} ${Number(value.toPrecision(3))}`);
      return [said.join(and)].filter(Boolean);
    }

    namesCut() {
      // does a name in a legend of columns (the race's, on a phone) run into the next column or past the chart?
      const items = [...this.plot.querySelectorAll(".legend .traces")];
      const left = (node) => Math.round(node.getBoundingClientRect().left);
      const columns = [...new Set(items.map(left))].sort((a, b) => a - b);
      if (columns.length < 2) return false;
      const edge = this.plot.getBoundingClientRect().right;
      return items.some((item) => {
        const name = item.querySelector(".legendtext");
        const next = columns.find((x) => x > left(item)) ?? edge;
        return !!name && name.getBoundingClientRect().right > next;
      });
    }

    onPlane(event) {
      // where a pointer event on a clickable plane is, in the data's coordinates; null off the plane
      const gd = this.plot;
      if (this.data.clickable !== "plane" || event.target.closest(".modebar, .legend")) return null;
      const { xaxis, yaxis } = gd._fullLayout;
      const box = gd.getBoundingClientRect();
      const px = event.clientX - box.left - xaxis._offset;
      const py = event.clientY - box.top - yaxis._offset;
      if (!(px >= 0 && px <= xaxis._length && py >= 0 && py <= yaxis._length)) return null;
      return { x: xaxis.p2d(px), y: yaxis.p2d(py) };
    }

    showWhere(event) {
      // "x1 0.52, x2 -1.37" beside the pointer: where a click would start the runs
      const point = this.onPlane(event);
      const axes = this.data.words.axes;
      this.where.hidden = !point || !axes;
      if (this.where.hidden) return;
      this.where.textContent = `${axes[0]} ${point.x.toFixed(2)}, ${axes[1]} ${point.y.toFixed(2)}`;
      const box = this.root.getBoundingClientRect();
      const left = Math.min(event.clientX - box.left + 14, box.width - this.where.offsetWidth - 4);
      this.where.style.left = `${Math.max(0, left)}px`;
      // under a finger's tap, above it: below lay the finger, and near the plot's foot the axis' numbers (a trial)
      const top = TOUCH.matches ? event.clientY - box.top - this.where.offsetHeight - 16 : event.clientY - box.top + 16;
      this.where.style.top = `${Math.max(0, top)}px`;
    }

    screenRoom() {
      // presenting (data.fill), the height the screen leaves the chart. Where its column stays in view as the page
      // scrolls (STICKY_CHART in ui/session.py, only where that column fits the screen), once the column's other parts
      // (the epoch's controls, the toggles) are counted: the chart grows into it (`grow`). Elsewhere, on a screen too
      // short for the chart and its epoch's controls (a 1280 × 720 projector), the most it may be for them to stay on
      // it (`limit`), where that leaves it MIN_FILL px at least
      const none = { grow: 0, limit: Infinity };
      if (!this.data.fill) return none;
      const column = this.root.closest('[data-testid="stColumn"]');
      const style = column && getComputedStyle(column);
      if (style && style.position === "sticky") {
        const others = column.getBoundingClientRect().height - this.plot.offsetHeight;
        return { ...none, grow: Math.floor(window.innerHeight - (parseFloat(style.top) || 0) - others - FILL_GAP) };
      }
      const main = document.querySelector('[data-testid="stMain"]');
      const top = this.root.getBoundingClientRect().top + (main ? main.scrollTop : 0); // on the page, not scrolled
      const limit = Math.floor(window.innerHeight - top - (this.root.offsetHeight - this.plot.offsetHeight) - FILL_GAP);
      return limit >= MIN_FILL ? { ...none, limit } : none;
    }

    unusedRows(layout) {
      // the rows of the plot that its equal axes leave blank where the width limits them; null where the width
      // is what is left over (a wide screen), or for a plot that shares its height (the data panel) or a scene.
      // Plotly's margins follow the height a little (the axes' labels): up to SPARE px of width left over after a
      // cut still counts as width-limited, or the next drawing would give the rows back and the one after cut them
      const full = this.plot._fullLayout;
      const panels = layout.grid ? layout.grid.rows * layout.grid.columns : 1; // a grid's (gridded) has no blank to cut
      if (layout.scene || panels > 1 || !(layout.yaxis && layout.yaxis.scaleanchor)) return null;
      if (full._size.w - full.xaxis._length > SPARE) return null;
      const unused = full._size.h - full.yaxis._length;
      return unused > 2 ? Math.floor(unused) : 0;
    }

    frameValues(index) {
      // trace index -> the values epoch `index` gives it: the frame's traces, and the paths cut at the epoch
      const values = new Map();
      const frame = this.frames[index];
      if (!frame) return values;
      frame.traces.forEach((t, j) => values.set(t, frame.data[j])); // indices in the whole figure, contour included
      const hidden = this.hiddenRuns();
      if (hidden.size && values.has(this.now)) { // a run the legend hid: its current-epoch marker goes with its path
        const gone = (a) => a && Array.from(a, (v, run) => (hidden.has(run) ? null : v));
        const v = values.get(this.now);
        values.set(this.now, { ...v, x: gone(v.x), y: gone(v.y), ...(v.z ? { z: gone(v.z) } : {}) });
      }
      const upTo = this.epochs[index] + 1;
      for (const p of this.paths) {
        const cut = (a) => (a && this.trail.checked ? Array.prototype.slice.call(a, 0, upTo) : a);
        values.set(p.index, { x: cut(p.x), y: cut(p.y), ...(p.z ? { z: cut(p.z) } : {}) });
      }
      for (const e of this.exits) { // with the trail, a run's ✕ waits for the epoch it left at
        const shown = !this.trail.checked || this.epochs[index] >= e.epoch;
        const at = (a) => (shown ? a : [null]);
        values.set(e.index, { x: at(e.x), y: at(e.y), ...(e.z ? { z: at(e.z) } : {}) });
      }
      return values;
    }

    hiddenRuns() {
      // the runs whose path a click on the legend hid (Plotly keeps that choice across reruns: uirevision)
      const hidden = new Set();
      for (const t of this.plot.data || []) {
        if (t.visible === "legendonly" && typeof t.meta === "string" && t.meta.startsWith("path")) {
          hidden.add(Number(t.meta.slice(4)));
        }
      }
      return hidden;
    }

    show(index) {
      // the controls and readout at frame `index` (the graph already shows it)
      this.index = index;
      const epoch = this.epochs[index] ?? 0;
      this.plot.__epoch = epoch; // read by the drag preview (static/live.js)
      this.remember().epoch = epoch;
      this.tellEpoch();
      const action = this.timer ? this.data.words.pause : this.data.words.play; // "▶ play" or "❚❚ pause"
      if (action === undefined) return; // a chart without epochs: no controls, no readout, nothing to name
      this.slider.value = String(index);
      this.slider.setAttribute("aria-valuetext", `${this.data.words.epoch} ${epoch}`);
      // the epoch, then the runs' losses as many to a line as the width holds (14 in a race took 7 lines on a phone)
      const [head, losses] = this.readouts[index] ?? [String(epoch), []];
      const flowing = losses.flatMap((text) => [" ", element("span", { className: "tc-loss", textContent: text })]);
      const heading = `${this.data.words.epoch} ${head}`;
      this.readout.replaceChildren(heading, ...(losses.length ? ["\n", this.data.losses_said, ...flowing.slice(1)] : []));
      this.said.textContent = heading
        + (losses.length && losses.length <= SAID_RUNS ? ` ${this.data.losses_said} ${losses.join(" ")}` : "");
      const focused = document.activeElement;
      this.back.disabled = index <= 0;
      this.forward.disabled = index >= this.frames.length - 1;
      // a step button that ends its run of presses goes disabled: the keyboard goes on from the epoch's slider
      // (a disabled button drops the focus to the page's top)
      if (focused && focused.disabled && (focused === this.back || focused === this.forward)) this.slider.focus();
      this.playNow.textContent = action;
      this.playOther.textContent = this.timer ? this.data.words.play : this.data.words.pause;
      this.play.setAttribute("aria-label", spoken(action)); // what the button does now, without its symbol
    }

    tellEpoch() {
      // the epoch the chart rests at goes into the link (not each frame of a play, nor each step of a scrub)
      clearTimeout(this.telling);
      if (!this.data || !("epoch" in this.data)) return;
      this.telling = setTimeout(() => {
        const epoch = this.epochs[this.index] ?? 0;
        if (this.timer || epoch === this.linkEpoch) return;
        this.linkEpoch = epoch; // the rerun's figure brings it back: nothing to apply then
        this.setTriggerValue("epoch", epoch);
      }, EPOCH_TOLD_AFTER);
    }

    go(index, always = false) {
      index = Math.max(0, Math.min(index, this.frames.length - 1));
      if (index === this.index && !always) return;
      const values = this.frameValues(index);
      const indices = [...values.keys()];
      const update = {};
      for (const name of ["x", "y", "z"]) {
        if ([...values.values()].some((v) => v[name] !== undefined)) {
          update[name] = indices.map((i) => values.get(i)[name] ?? this.traces[i][name]);
        }
      }
      for (const [i, v] of values) Object.assign(this.traces[i], v);
      this.Plotly.restyle(this.plot, update, indices);
      this.show(index);
    }

    start() {
      clearInterval(this.timer);
      if (this.index >= this.frames.length - 1) this.go(0);
      const mine = this.remember();
      mine.playing = true;
      this.said.setAttribute("aria-live", "off"); // a screen reader hears the epoch it stops at, not every frame
      this.timer = setInterval(() => {
        if (this.index >= this.frames.length - 1) return this.pause();
        this.go(this.index + 1);
      }, 1000 / (FRAMES_PER_SECOND * mine.speed));
      this.show(this.index);
    }

    pause() {
      clearInterval(this.timer);
      this.timer = null;
      this.remember().playing = false;
      this.said.setAttribute("aria-live", "polite");
      if (this.data) this.show(this.index);
    }
  }

  (window.__components ??= {}).chart = function (component) {
    const { data, parentElement, setTriggerValue } = component;
    if (!document.getElementById("chart-css")) {
      document.head.appendChild(element("style", { id: "chart-css", textContent: CSS }));
    }
    let chart = charts.get(parentElement);
    if (!chart) {
      chart = new Chart(parentElement);
      charts.set(parentElement, chart);
    }
    chart.update(data, setTriggerValue);
    return () => chart.pause();
  }
})();
