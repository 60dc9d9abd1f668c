// The page's document, once per run (ui/session.py finish): its language; Streamlit's own words in that language;
// a collapsed sidebar made inert; the printed lines said when they change; a control the keyboard reaches scrolled
// into view; a phone's sidebar closed when asked; the keyboard's focus moved where a run asked; a comma typed in a
// number box made a decimal point.
// A classic script, loaded by ui/browser.py.
(() => {
  // a question's teacher's key, kept in the browser's storage (the session's cookie that made this browser the
  // teacher's goes when the browser is closed): kept on the teacher's page, offered once a load on a student's
  const KEPT_KEYS = "classKeys", KEPT_AT_MOST = 20;
  const SIDEWAYS = matchMedia("(pointer: coarse) and (max-height: 500px)");  // a phone turned sideways
  const keepClassKey = ({ code, key, forget }, setTriggerValue) => {
    let kept;  // [code, key] pairs, the newest last
    try { kept = new Map(JSON.parse(localStorage.getItem(KEPT_KEYS) || "[]")); } catch { return; }  // no storage
    if (key || (forget && kept.has(code))) {
      kept.delete(code);
      if (key) kept.set(code, key);
      try { localStorage.setItem(KEPT_KEYS, JSON.stringify([...kept].slice(-KEPT_AT_MOST))); } catch { /* full */ }
    } else if (kept.has(code) && !(window.__classKeyOffered ??= new Set()).has(code)) {
      window.__classKeyOffered.add(code);
      setTriggerValue("class_key", { code, key: kept.get(code) });
    }
  };
  (window.__components ??= {}).document = function ({ data, setTriggerValue }) {
    if (data.classKey) keepClassKey(data.classKey, setTriggerValue);
    document.documentElement.lang = data.lang;
    window.__words = data.words;  // Streamlit's own words, in any language, to the page's: applied as they appear
    if (!window.__translating) {
      let pending = false;
      const translate = () => {
        pending = false;
        const words = window.__words;
        for (const name of ["aria-label", "placeholder"]) {
          for (const e of document.querySelectorAll(`[${name}]`)) {
            const word = words[e.getAttribute(name)];
            if (word && word !== e.getAttribute(name)) e.setAttribute(name, word);
          }
        }
        // a run's printed line is said when a change makes it anew (η moved: the slider said only its value)
        for (const e of document.querySelectorAll('[class*="st-key-printed"]:not([aria-live])')) {
          e.setAttribute("aria-live", "polite");
        }
        const skip = document.querySelector('[data-testid="stSkipToContent"]');  // its text node: React keeps it
        const text = skip && document.createTreeWalker(skip, NodeFilter.SHOW_TEXT).nextNode();
        const word = text && words[text.nodeValue];
        if (word && word !== text.nodeValue) text.nodeValue = word;
        // a slider's name was said twice ("learning rate η learning rate η"): its input is labelled by itself and by
        // its group, which bears the same label
        for (const input of document.querySelectorAll('[data-testid="stSlider"] input[aria-labelledby]')) {
          const by = input.getAttribute("aria-labelledby").split(" ").map((id) => document.getElementById(id));
          if (by.length > 1 && by.every((e) => e?.getAttribute("aria-label") === input.getAttribute("aria-label"))) {
            input.removeAttribute("aria-labelledby");
          }
        }
      };
      window.__translating = () => { if (!pending) { pending = true; setTimeout(translate, 30); } };
      new MutationObserver(window.__translating).observe(document.body, {childList: true, subtree: true,
        attributes: true, attributeFilter: ["aria-label", "placeholder"]});
    }
    window.__translating();
    if (!window.__sidebarInert) {  // a collapsed sidebar's controls are off the screen: no Tab stop, nothing said
      window.__sidebarInert = true;
      const follow = () => {
        const sidebar = document.querySelector('[data-testid="stSidebar"]');
        if (sidebar) sidebar.inert = sidebar.dataset.collapsed === "true";
      };
      new MutationObserver(follow).observe(document.body, {attributes: true, subtree: true,
                                                            attributeFilter: ["data-collapsed"]});
      follow();
    }
    if (!window.__sideways) {  // a phone turned sideways (844 × 390) opened with the sidebar over half the page (Streamlit
      window.__sideways = true;  // opens it wider than 768 px): closed, as on a phone held upright
      const sidebar = document.querySelector('[data-testid="stSidebar"]');
      if (SIDEWAYS.matches && sidebar?.dataset.collapsed === "false") {
        document.querySelector('[data-testid="stSidebarCollapseButton"] button')?.click();
      }
    }
    if (!window.__focusShown) {  // a control the keyboard reached is scrolled into view whole: Chrome scrolled only
      window.__focusShown = true;  // to a toggle's hidden input, and left the toggle below the screen's edge
      document.addEventListener("focusin", (event) => {
        if (!event.target.matches(":focus-visible")) return;
        const box = event.target.closest("label, [data-testid=stSlider], [data-testid=stNumberInput]") ?? event.target;
        const r = box.getBoundingClientRect();
        if (r.bottom + 8 > innerHeight || r.top < 8) box.scrollIntoView({block: "nearest"});  // its ring too
      });
    }
    if (!window.__decimalComma) {  // "1,5" typed in a number box: Chromium (en-US) read 15; a comma there is a point
      window.__decimalComma = true;
      document.addEventListener("keydown", (event) => {
        if (event.key !== "," || event.ctrlKey || event.metaKey) return;
        if (!event.target.matches('[data-testid="stNumberInput"] input')) return;
        if (Number.isInteger(Number(event.target.step))) return;  // a whole number's box: "10,000" is ten thousand
        event.preventDefault();
        document.execCommand("insertText", false, ".");  // as if typed: the box and Streamlit see a point
      }, true);
    }
    if (data.close && window.__closeAsked !== data.close.asked) {  // close_sidebar_on_phone
      window.__closeAsked = data.close.asked;
      const phone = window.innerWidth < 640 || SIDEWAYS.matches;
      if (data.close.top || (data.close.top_on_phone && phone)) document.querySelector('[data-testid="stMain"]')?.scrollTo(0, 0);
      if (phone && data.close.sidebar !== false) document.querySelector('[data-testid="stSidebarCollapseButton"] button')?.click();
    }
    if (!data.focus || window.__focusAsked === data.focus.asked) return;
    window.__focusAsked = data.focus.asked;
    const until = performance.now() + 3000; // the control is drawn a moment after this runs
    const find = () => {
      const target = document.querySelector(data.focus.selector);
      if (target) {
        if (target.tabIndex < 0 && !target.hasAttribute("tabindex")) target.tabIndex = -1;  // a title, a chart
        target.focus({ preventScroll: true });
        target.scrollIntoView({ block: "nearest" }); // a new run pushed "Add a run" below the screen: follow it
      }
      else if (performance.now() < until) requestAnimationFrame(find);
    };
    find();
  };
})();
