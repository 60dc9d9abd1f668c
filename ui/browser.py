"""Components whose code lives in static/ (Streamlit's static file serving), not in every element.

A components-v2 element carries its JavaScript inline, in every message that sends it: 10 kB of
chart code in each chart's update. Here an element carries only a loader that adds the script
once per page (a classic script: Streamlit serves static files as plain text, which a module
import refuses), versioned by its content so that a changed file is fetched again. Each script
registers its component function in window.__components.

static/plotly.min.js is the plotly package's own Plotly.js, copied there when missing; a 2D chart is drawn by
static/plotly-cartesian.min.js, Plotly's own cartesian bundle (npm's plotly.js-cartesian-dist-min 4.1.1, MIT; the
plotly.js of plotly 7.1), a third of the size: the 3D view alone loads the whole one.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import orjson
import plotly
import streamlit as st

STATIC = Path(__file__).resolve().parents[1] / "static"
PLOTLY_JS = Path(plotly.__file__).with_name("package_data") / "plotly.min.js"

LOADER = """
export default function (component) {
  const scripts = (window.__componentScripts ??= {});
  const ready = (scripts["SCRIPT"] ??= new Promise((resolve, reject) => {
    const tag = document.createElement("script");
    tag.src = new URL("SCRIPT", document.baseURI).href;
    tag.onload = resolve;
    tag.onerror = reject;
    document.head.appendChild(tag);
  }));
  let cleanup = null;
  let gone = false;
  ready.then(() => {
    if (gone) return;
    const data = component.data instanceof Uint8Array ? JSON.parse(new TextDecoder().decode(component.data))
      : component.data; // ui/browser.py packed()
    cleanup = window.__components.NAME({ ...component, data });
  });
  return () => {
    gone = true;
    if (typeof cleanup === "function") cleanup();
  };
}
"""


def packed(value) -> bytes:
    """`value` as a component's data: JSON bytes, NumPy arrays as lists, and NaN and ±inf (a run that
    overflowed) as null, which Plotly leaves out (the browser's JSON.parse refuses them). Streamlit passes
    bytes on as they are; a dict it would search for dataframes and encode again with the json module
    (most of a chart's time in a rerun)."""
    return orjson.dumps(value, option=orjson.OPT_SERIALIZE_NUMPY)


def serve_plotly() -> None:
    """Put the plotly package's plotly.min.js where Streamlit serves static files, once per version."""
    target = STATIC / "plotly.min.js"
    if not target.exists() or target.stat().st_size != PLOTLY_JS.stat().st_size:
        shutil.copyfile(PLOTLY_JS, target)


def component(name: str, script: str, registered: str):
    """The components-v2 component `name` whose code is static/`script`, which registers itself as
    window.__components[`registered`]."""
    version = hashlib.blake2b((STATIC / script).read_bytes(), digest_size=6).hexdigest()
    js = LOADER.replace("SCRIPT", f"app/static/{script}?v={version}").replace("NAME", registered)
    return st.components.v2.component(name, js=js, isolate_styles=False)
