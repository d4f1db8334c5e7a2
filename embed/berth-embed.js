// <berth-console>: Berth inside any page.
//
//   <script type="module" src="/console/berth-embed.js"></script>
//   <berth-console config-url="/console/config.json" base="/tools/containers" theme="auto"></berth-console>
//
// This file keeps its name from release to release (serve it with `Cache-Control: no-cache`); the
// build writes into it the content-hashed names of the release beside it, which it loads from its
// own folder. The console renders in the element's shadow root with its own stylesheet, so the
// host's CSS and Berth's never meet; theme it with the `--berth-*` custom properties (README).
//
// Attributes: `config-url` (default: config.json beside this file), `base` (the path under which
// Berth owns the page's URLs; default: none), `theme` (`auto` | `light` | `dark`), `storage-key`
// (the namespace of its tokens, saved connections and drafts in web storage; default: the config
// URL, so consoles with different configs on one origin never share them). Property: `config`, a
// config object that replaces config-url (and the connections the user saved). Events (bubbling,
// crossing the shadow root): `berth:ready`, `berth:navigate` {path, url}, `berth:action` {id, kind,
// target, state, outcome, error}, `berth:error` {message}. Removing the element ends the console:
// its timers, listeners and requests stop. One console runs per page (they would share its address and history): a
// second element says so, and takes over when the first is removed.

const FILES = { js: "__BERTH_JS__", wasm: "__BERTH_WASM__", css: "__BERTH_CSS__" };
const here = new URL(".", import.meta.url);
const at = (name) => new URL(name, here).href;

let module = null; // the wasm module, loaded once per page
let active = null; // the element showing the console
const waiting = new Set(); // elements refused while another one runs

function load() {
  if (!module) {
    // The module's own start would take over <body>: the element mounts it instead.
    globalThis.BERTH_MANUAL_MOUNT = true;
    module = import(at(FILES.js)).then(async (m) => {
      await m.default({ module_or_path: at(FILES.wasm) });
      return m;
    });
    module.catch(() => { module = null; }); // a later element tries again
  }
  return module;
}

// The wasm hands each event's fields in order ("" for none); their details, as documented above.
const nil = (s) => (s === "" ? null : s);
const DETAILS = {
  "berth:ready": () => ({}),
  "berth:error": ([message]) => ({ message }),
  "berth:navigate": ([path, pathname, search]) => ({
    path,
    url: pathname + (search ? (search.startsWith("?") ? search : `?${search}`) : ""),
  }),
  "berth:action": ([id, kind, backend, connection, target, name, state, outcome, error]) => ({
    id, kind, target: { backend, connection, id: nil(target), name }, state,
    outcome: nil(outcome), error: nil(error),
  }),
};

function notice(text) {
  const box = document.createElement("div");
  box.className = "berth";
  const p = document.createElement("p");
  p.className = "berth-panel berth-error";
  p.setAttribute("role", "alert");
  p.textContent = text;
  box.append(p);
  return box;
}

class BerthConsole extends HTMLElement {
  static observedAttributes = ["theme", "base", "config-url", "storage-key"];
  #config = null;
  #unmount = null;
  #generation = 0;
  #frame;
  #styled;

  constructor() {
    super();
    const shadow = this.attachShadow({ mode: "open" });
    const link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = at(FILES.css);
    this.#styled = new Promise((done) => { link.onload = done; link.onerror = done; });
    // Carries `data-berth-theme`; the console mounts inside it.
    this.#frame = document.createElement("div");
    this.#frame.setAttribute("part", "frame");
    shadow.append(link, this.#frame);
  }

  get config() { return this.#config; }
  set config(value) {
    this.#config = value ?? null;
    if (this.#unmount) this.#restart();
  }

  connectedCallback() {
    this.#theme();
    this.#start();
  }

  disconnectedCallback() {
    this.#stop();
  }

  attributeChangedCallback(name, before, after) {
    if (name === "theme") this.#theme();
    else if (before !== after && this.#unmount) this.#restart();
  }

  #theme() {
    const t = this.getAttribute("theme");
    if (t === "light" || t === "dark") this.#frame.setAttribute("data-berth-theme", t);
    else this.#frame.removeAttribute("data-berth-theme");
  }

  #emit(name, detail) {
    this.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
  }

  async #start() {
    if (active && active !== this) {
      waiting.add(this);
      const text = "Berth is already open on this page: one <berth-console> runs per page, since " +
        "consoles would share its address and history. This one starts when the other is removed.";
      this.#frame.replaceChildren(notice(text));
      this.#emit("berth:error", { message: text });
      return;
    }
    active = this;
    waiting.delete(this);
    const generation = ++this.#generation;
    try {
      const [m] = await Promise.all([load(), this.#styled]);
      // Removed, or restarted, while the files loaded.
      if (generation !== this.#generation || !this.isConnected) return;
      const root = document.createElement("div");
      this.#frame.replaceChildren(root);
      const url = new URL(this.getAttribute("config-url") || at("config.json"), document.baseURI);
      const configUrl = url.origin === location.origin ? url.pathname + url.search : url.href;
      this.#unmount = m.embed(root, this.#config, configUrl, this.getAttribute("base") || "",
        (name, fields) => this.#emit(name, (DETAILS[name] ?? (() => ({ fields })))(fields)),
        this.getAttribute("storage-key") || "");
    } catch (e) {
      if (generation !== this.#generation) return;
      const text = `Berth could not start: ${e instanceof Error ? e.message : e}`;
      this.#frame.replaceChildren(notice(text));
      this.#emit("berth:error", { message: text });
    }
  }

  #stop(handOver = true) {
    this.#generation++;
    waiting.delete(this);
    const unmount = this.#unmount;
    this.#unmount = null;
    if (unmount) unmount();
    this.#frame.replaceChildren();
    if (active === this) {
      active = null;
      if (!handOver) return;
      const next = [...waiting].find((el) => el.isConnected);
      if (next) next.#start();
    }
  }

  #restart() {
    this.#stop(false);
    this.#start();
  }
}

if (!customElements.get("berth-console")) customElements.define("berth-console", BerthConsole);
