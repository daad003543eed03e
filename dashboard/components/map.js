// The product's one map element (a Streamlit custom component v2, drawn in the page, no iframe).
// Geometry arrives once per set and view as a static JSON file of pre-projected SVG paths; each
// rerun brings only classes and figures for the seats. Every text from data is set as textContent.
// url -> Promise of the geometry document, shared by every map on the page (the loader starts the fetch).
const GEOMETRY = (globalThis.__petitionmapGeometry ??= new Map());
const MAPS = new WeakMap();  // parentElement -> map instance
const SVGNS = "http://www.w3.org/2000/svg";
const METRIC_LABELS = {signatures: "Signatures", per_1000: "Per 1,000", index: "Index vs UK"};
const METRIC_TITLES = {signatures: "Signatures", per_1000: "Signatures per 1,000 residents",
                       index: "Index vs UK (1.0 = typical)"};
const SCHEMES = {quantiles: "Quantiles", fisher_jenks: "Natural breaks", log: "Log scale"};
const LABELS_AT = 2.2;  // px per drawing unit from which hex labels are shown (a hex ≈ 38 px wide)

function load(url) {
  if (!GEOMETRY.has(url)) {
    GEOMETRY.set(url, fetch(url).then(r => {
      if (!r.ok) throw new Error(`map geometry ${r.status}`);
      return r.json();
    }).catch(e => { GEOMETRY.delete(url); throw e; }));
  }
  return GEOMETRY.get(url);
}

function el(tag, attrs = {}, text) {
  const node = tag.startsWith("svg:") ? document.createElementNS(SVGNS, tag.slice(4)) : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}

// Work for when the page has nothing else to do (within 2 s at the latest).
const idle = fn => (globalThis.requestIdleCallback ? requestIdleCallback(fn, {timeout: 2000}) : setTimeout(fn, 200));

const fmtInt = n => Number(n).toLocaleString("en-GB");
const fmt2 = n => Number(n).toLocaleString("en-GB", {minimumFractionDigits: 2, maximumFractionDigits: 2});

class PetitionMap {
  constructor(parent) {
    this.parent = parent;
    this.pending = {};  // state chosen here that Python has not echoed yet: {name: {value, at}}
    this.root = el("div", {class: "pm-map"});
    this.bar = el("div", {class: "pm-bar"});
    this.stage = el("div", {class: "pm-stage"});
    this.svg = el("svg:svg", {class: "pm-svg", tabindex: "0", role: "group", preserveAspectRatio: "xMidYMid meet",
                              "aria-roledescription": "map"});
    this.views = new Map();  // geometry url -> its drawing (kept, so switching views back is instant)
    this.docs = new Map();  // geometry url -> its document, once loaded
    this.selPath = el("svg:path", {class: "pm-selected"});
    this.focusPath = el("svg:path", {class: "pm-focus"});
    this.svg.append(this.selPath, this.focusPath);
    this.tip = el("div", {class: "pm-tip", role: "status", "aria-live": "polite"});
    this.tip.hidden = true;
    this.zoom = el("div", {class: "pm-zoom"});
    for (const [label, title, act] of [["+", "Zoom in", () => this.zoomBy(0.6)], ["−", "Zoom out", () => this.zoomBy(1 / 0.6)],
                                       ["⟲", "Reset the view", () => this.reset()]]) {
      const b = el("button", {type: "button", title, "aria-label": title}, label);
      b.addEventListener("click", act);
      this.zoom.append(b);
    }
    this.legend = el("div", {class: "pm-legend"});
    this.player = el("div", {class: "pm-player"});
    this.player.hidden = true;
    this.summary = el("p", {class: "pm-summary"});
    this.stage.append(this.svg, this.zoom, this.legend, this.tip);
    this.root.append(this.bar, this.stage, this.player, this.summary);
    parent.append(this.root);
    this.state = {};
    this.lastDataState = "";
    this.focusIndex = -1;
    this.hoverIndex = -1;
    this.box = null;
    this.bindPointer();
    this.bindKeys();
    this.resize = new ResizeObserver(() => this.layout());
    this.resize.observe(this.root);
  }

  // ---- data from Python ----------------------------------------------------------------------------
  async update(data, api) {
    this.api = api;
    this.data = data;
    const incoming = JSON.stringify(data.state || {});
    if (incoming !== this.lastDataState) {  // Python changed the state (a link, another petition): adopt it
      // ...but not over a choice made here that Python has not seen yet (a rerun for an earlier one arriving)
      const next = {...data.state}, now = Date.now();
      for (const [k, p] of Object.entries(this.pending)) {
        if (next[k] === p.value || now - p.at > 5000) delete this.pending[k]; else next[k] = p.value;
      }
      this.state = next;
      this.lastDataState = incoming;
    }
    this.selected = data.selected || null;
    this.buildBar();
    await this.show();
  }

  async show() {
    const view = this.state.view || "map";
    const url = this.data.geometry[view] || this.data.geometry.map;
    const stamp = `${url}`;
    let geo = this.docs.get(url);
    if (!geo) {  // only a view never drawn here waits for its file
      this.root.dataset.loading = "1";
      geo = await load(url);
      this.docs.set(url, geo);
      if ((this.state.view || "map") !== view) return;  // the view changed again while this one loaded
    }
    if (this.geoUrl !== stamp) {
      this.geo = geo;
      this.geoUrl = stamp;
      this.index = new Map(geo.codes.map((c, i) => [c, i]));
      this.draw();
      this.box = null;
    }
    this.paint();
    const framed = JSON.stringify([view, this.state.area, this.data.focus]);
    if (!this.box || framed !== this.framed) {
      this.framed = framed;
      this.reset();
    }
    this.outline();
    delete this.root.dataset.loading;
  }

  // ---- drawing -----------------------------------------------------------------------------------------
  draw() {
    const v = this.build(this.geoUrl, this.geo);
    for (const other of this.views.values()) other.g.classList.toggle("pm-on", other === v);
    this.seats = v.seats;
    this.gLabels = v.labels;
    this.root.dataset.view = this.geo.view;
    this.root.dataset.count = String(this.seats.length);
    // The other views, fetched and drawn (hidden) once the browser is idle: a switch then only shows them.
    for (const url of Object.values(this.data.geometry)) {
      if (this.views.has(url)) continue;
      idle(() => load(url).then(doc => {
        this.docs.set(url, doc);
        idle(() => this.build(url, doc));
      }).catch(() => {}));
    }
  }

  build(url, g) {  // the drawing of one view's geometry, made once and kept (hidden until shown)
    let v = this.views.get(url);
    if (v) return v;
    v = {g: el("svg:g", {class: "pm-view"}), seats: []};
    const seats = el("svg:g", {class: "pm-seats"});
    v.seats = g.paths.map((d, i) => {
      const p = el("svg:path", {d, class: "pm-seat", "data-i": i, "data-code": g.codes[i]});
      seats.append(p);
      return p;
    });
    const outlines = el("svg:g", {class: "pm-outlines"});
    outlines.append(...g.outlines.map(d => el("svg:path", {d})));
    v.labels = el("svg:g", {class: "pm-labels", "aria-hidden": "true"});
    g.labels.forEach((text, i) => {
      const [x, y] = g.centres[i];
      v.labels.append(el("svg:text", {x, y, "font-size": g.hex * 0.5, "data-i": i}, text));
    });
    v.g.append(seats, outlines, v.labels);
    this.svg.insertBefore(v.g, this.selPath);
    this.views.set(url, v);
    return v;
  }

  layer() {
    const d = this.data;
    if (d.layers) {
      const frame = Math.min(this.frame || 0, d.layers.frames.length - 1);
      const f = d.layers.frames[frame];
      return {cls: f.cls, legend: d.layers.legend, title: d.layers.title, values: f.values, label: f.label};
    }
    const metric = this.state.metric || "signatures";
    const byScheme = d.values.classes[metric];
    const scheme = byScheme[this.state.scheme] ? this.state.scheme : Object.keys(byScheme)[0];
    return {...byScheme[scheme], title: d.title || METRIC_TITLES[metric]};
  }

  paint() {
    const L = this.layer();
    const codes = this.geo.codes;
    const colours = L.legend.map(e => e.colour);
    const grey = colours[colours.length - 1];
    const focus = this.data.focus ? new Set(this.data.focus) : null;
    const g = this.geo, shown = this.state.area || "UK";
    const outside = i => focus ? !focus.has(codes[i])
      : shown !== "UK" && g.nations[g.nation[i]] !== shown && g.regions[g.region[i]] !== shown;
    for (let i = 0; i < this.seats.length; i++) {
      const c = L.cls[i];
      const p = this.seats[i];
      p.setAttribute("fill", c === "z" || c === undefined ? grey : colours[+c]);
      p.classList.toggle("pm-muted", outside(i));
    }
    this.root.dataset.metric = this.state.metric || "";
    this.root.dataset.scheme = this.state.scheme || "";
    this.root.dataset.area = this.state.area || "UK";
    this.root.dataset.painted = String(Date.now());
    const legendKey = JSON.stringify([L.title, L.legend]);
    if (legendKey !== this.legendKey) {  // a rerun with the same classes keeps the legend's elements
      this.legendKey = legendKey;
      this.legend.replaceChildren(el("div", {class: "pm-legend-title"}, L.title));
      const list = el("ul");
      for (const e of L.legend) {
        const li = el("li");
        li.append(el("span", {class: "pm-swatch", style: `background:${e.colour}`}), el("span", {}, e.label));
        list.append(li);
      }
      this.legend.append(list);
    }
    this.buildPlayer();
    const sentence = this.data.summary || "";
    this.summary.textContent = sentence;
    const area = this.state.area && this.state.area !== "UK" ? ` (${this.state.area})` : "";
    this.svg.setAttribute("aria-label", `${this.data.label || "Map"}: ${L.title}${area}, ${this.seats.length} constituencies. `
      + `${sentence} Arrow keys move between constituencies, Enter selects.`);
  }

  outline() {
    const i = this.selected ? this.index.get(this.selected) : undefined;
    this.selPath.setAttribute("d", i === undefined ? "" : this.geo.paths[i]);
    this.root.dataset.selected = i === undefined ? "" : this.selected;
    const f = this.focusIndex;
    this.focusPath.setAttribute("d", f >= 0 ? this.geo.paths[f] : "");
  }

  // ---- controls -----------------------------------------------------------------------------------
  buildBar() {
    const want = this.data.controls || [];
    // Built once; later state changes update it in place, so a focused control keeps the focus.
    const key = JSON.stringify([want, this.data.areas]);
    if (key === this.barKey) { this.syncBar(); return; }
    this.barKey = key;
    this.bar.replaceChildren();
    this.bar.hidden = !want.length;
    const group = (name, label, options) => {
      const box = el("div", {class: "pm-group", role: "radiogroup", "aria-label": label, "data-name": name});
      for (const [value, text] of Object.entries(options)) {
        const b = el("button", {type: "button", role: "radio", "aria-checked": String(this.state[name] === value),
                                "data-value": value}, text);
        b.addEventListener("click", () => this.setState(name, value));
        box.append(b);
      }
      this.bar.append(box);
    };
    const select = (name, label, options) => {
      const wrap = el("label", {class: "pm-select"});
      wrap.append(el("span", {}, label));
      const s = el("select", {"aria-label": label});
      for (const [value, text] of Object.entries(options)) {
        const o = el("option", {value}, text);
        if (this.state[name] === value) o.selected = true;
        s.append(o);
      }
      s.dataset.name = name;
      s.addEventListener("change", () => this.setState(name, s.value));
      wrap.append(s);
      this.bar.append(wrap);
    };
    if (want.includes("view")) group("view", "View", {map: "Map", hex: "Hex map"});
    if (want.includes("metric")) group("metric", "Colour by", METRIC_LABELS);
    if (want.includes("area")) select("area", "Area", Object.fromEntries((this.data.areas || []).map(a => [a, a])));
    if (want.includes("scheme")) select("scheme", "Classes", SCHEMES);
    this.syncBar();
  }

  syncBar() {
    for (const box of this.bar.querySelectorAll(".pm-group")) {
      const name = box.dataset.name;
      for (const b of box.querySelectorAll("button")) b.setAttribute("aria-checked", String(this.state[name] === b.dataset.value));
    }
    for (const s of this.bar.querySelectorAll("select")) {
      if (this.state[s.dataset.name]) s.value = this.state[s.dataset.name];
      if (s.dataset.name === "scheme") s.disabled = this.state.metric === "index";
    }
  }

  setState(name, value) {
    if (this.state[name] === value) return;
    this.state = {...this.state, [name]: value};
    this.pending[name] = {value, at: Date.now()};
    this.buildBar();
    this.show();
    this.api.setStateValue(name, value);
  }

  buildPlayer() {
    const d = this.data;
    const frames = d.layers ? d.layers.frames : [];
    if (frames.length < 2) { this.player.hidden = true; return; }
    this.player.hidden = false;
    if (this.playerKey !== frames.length + (d.layers.title || "")) {
      this.playerKey = frames.length + (d.layers.title || "");
      this.player.replaceChildren();
      this.playBtn = el("button", {type: "button", class: "pm-play"}, "▶ Play");
      this.playBtn.addEventListener("click", () => this.togglePlay());
      this.slider = el("input", {type: "range", min: "0", max: String(frames.length - 1), step: "1", value: "0",
                                 "aria-label": "Snapshot"});
      this.slider.addEventListener("input", () => { this.stop(); this.goTo(+this.slider.value); });
      this.frameLabel = el("output", {class: "pm-frame"});
      this.player.append(this.playBtn, this.slider, this.frameLabel);
      this.frame = 0;
    }
    this.slider.value = String(this.frame || 0);
    this.frameLabel.textContent = frames[this.frame || 0].label;
  }

  goTo(i) {
    this.frame = i;
    this.paint();
    this.outline();
  }

  togglePlay() {
    if (this.timer) { this.stop(); return; }
    const n = this.data.layers.frames.length;
    if ((this.frame || 0) >= n - 1) this.goTo(0);
    this.playBtn.textContent = "❚❚ Pause";
    this.timer = setInterval(() => {
      if ((this.frame || 0) >= n - 1) { this.stop(); return; }
      this.goTo((this.frame || 0) + 1);
    }, 700);
  }

  stop() {
    clearInterval(this.timer);
    this.timer = null;
    if (this.playBtn) this.playBtn.textContent = "▶ Play";
  }

  // ---- framing, zoom and pan ---------------------------------------------------------------------------
  home() {
    const g = this.geo;
    if (this.data.focus && this.data.focus.length) {
      const pts = this.data.focus.map(c => g.centres[this.index.get(c)]).filter(Boolean);
      const xs = pts.map(p => p[0]), ys = pts.map(p => p[1]);
      const x0 = Math.min(...xs), x1 = Math.max(...xs), y0 = Math.min(...ys), y1 = Math.max(...ys);
      const pad = Math.max(0.6 * Math.max(x1 - x0, y1 - y0), g.hex ? 2 * g.hex : 60);
      return [x0 - pad, y0 - pad, x1 - x0 + 2 * pad, y1 - y0 + 2 * pad];
    }
    return g.frames[this.state.area] || g.frames.UK;
  }

  reset() { this.setBox(this.home()); }

  setBox(box) {
    this.box = box.map(v => Math.round(v * 100) / 100);
    this.svg.setAttribute("viewBox", this.box.join(" "));
    this.root.dataset.box = this.box.join(" ");
    const scale = this.scale();
    // At the home frame a one-finger swipe scrolls the page (a phone's map is nearly a screen wide);
    // zoomed in, it pans the map.
    this.stage.style.touchAction = this.box[2] < this.home()[2] * 0.98 ? "none" : "pan-y";
    const on = !!this.geo.hex && scale >= LABELS_AT;
    this.gLabels.classList.toggle("pm-show", on);
    this.root.dataset.labels = on ? "on" : "off";
  }

  scale() {  // screen px per drawing unit (viewBox meets the svg box)
    const r = this.svg.getBoundingClientRect();
    if (!this.box || !r.width) return 0;
    return Math.min(r.width / this.box[2], r.height / this.box[3]);
  }

  toUnits(clientX, clientY) {
    const r = this.svg.getBoundingClientRect();
    const s = this.scale();
    const [x, y, w, h] = this.box;
    return [x + w / 2 + (clientX - (r.left + r.width / 2)) / s, y + h / 2 + (clientY - (r.top + r.height / 2)) / s];
  }

  zoomBy(f, cx, cy) {
    const [x, y, w, h] = this.box;
    const [px, py] = cx === undefined ? [x + w / 2, y + h / 2] : this.toUnits(cx, cy);
    const home = this.home();
    const nw = Math.min(Math.max(w * f, home[2] / 40), home[2] * 4);
    const k = nw / w;
    this.setBox([px - (px - x) * k, py - (py - y) * k, w * k, h * k]);
  }

  bindPointer() {
    const pts = new Map();
    let drag = null, pinch = null;
    this.svg.addEventListener("wheel", e => {
      e.preventDefault();
      this.zoomBy(Math.exp(e.deltaY * 0.0015), e.clientX, e.clientY);
    }, {passive: false});
    this.svg.addEventListener("pointerdown", e => {
      pts.set(e.pointerId, [e.clientX, e.clientY]);
      if (pts.size === 1) drag = {x: e.clientX, y: e.clientY, box: this.box, moved: 0};
      if (pts.size === 2) {
        const [a, b] = [...pts.values()];
        pinch = {d: Math.hypot(a[0] - b[0], a[1] - b[1]), box: this.box};
        drag = null;
      }
    });
    this.svg.addEventListener("pointermove", e => {
      if (pts.has(e.pointerId)) pts.set(e.pointerId, [e.clientX, e.clientY]);
      if (pinch && pts.size === 2) {
        const [a, b] = [...pts.values()];
        const d = Math.hypot(a[0] - b[0], a[1] - b[1]);
        this.box = pinch.box;
        this.zoomBy(pinch.d / Math.max(d, 1), (a[0] + b[0]) / 2, (a[1] + b[1]) / 2);
        return;
      }
      if (drag) {
        const dx = e.clientX - drag.x, dy = e.clientY - drag.y;
        drag.moved = Math.max(drag.moved, Math.hypot(dx, dy));
        if (drag.moved > 4) {
          if (!this.svg.hasPointerCapture(e.pointerId)) this.svg.setPointerCapture(e.pointerId);
          const s = this.scale();
          const [x, y, w, h] = drag.box;
          this.setBox([x - dx / s, y - dy / s, w, h]);
          this.hideTip();
          return;
        }
      }
      this.hoverAt(e);
    });
    const end = e => {
      const wasDrag = drag && drag.moved > 4;
      pts.delete(e.pointerId);
      if (pts.size < 2) pinch = null;
      if (e.type === "pointerup" && drag && !wasDrag) {
        const i = this.seatAt(e);
        if (i >= 0) {
          this.focusIndex = i;
          this.showTip(i, e.clientX, e.clientY);
          this.select(i);
        }
      }
      if (!pts.size) drag = null;
    };
    this.svg.addEventListener("pointerup", end);
    this.svg.addEventListener("pointercancel", end);
    this.svg.addEventListener("pointerleave", e => { if (e.pointerType === "mouse") this.hideTip(); });
  }

  seatAt(e) {
    const t = document.elementFromPoint(e.clientX, e.clientY);
    return t && t.classList && t.classList.contains("pm-seat") ? +t.dataset.i : -1;
  }

  hoverAt(e) {
    const i = this.seatAt(e);
    if (i < 0) { this.hideTip(); return; }
    this.showTip(i, e.clientX, e.clientY);
  }

  select(i) {
    const code = this.geo.codes[i];
    this.selected = code;
    this.outline();
    if (this.data.selectable !== false) this.api.setTriggerValue("select", code);
  }

  // ---- hover text (always textContent) ----------------------------------------------------------------
  lines(i) {
    const d = this.data, g = this.geo;
    const out = [g.names[i]];
    if (d.values) {
      const v = d.values;
      out.push(v.mp[i] || "MP not listed");
      out.push(`Signatures: ${fmtInt(v.signatures[i])}`);
      out.push(`Per 1,000 residents: ${fmt2(v.per_1000[i])}`);
      out.push(`Index vs UK: ${fmt2(v.index[i])}`);
      if (v.rank[i]) out.push(`Rank ${v.rank[i]} of ${v.of}`);
    } else {
      const L = this.layer();
      if (L.values) out.push(`${L.title}: ${d.layers.integer ? fmtInt(L.values[i]) : fmt2(L.values[i])}`);
      if (L.label) out.push(L.label);
    }
    return out;
  }

  showTip(i, x, y) {
    this.hoverIndex = i;
    const lines = this.lines(i);
    this.tip.replaceChildren(...lines.map((t, k) => el("div", k ? {} : {class: "pm-tip-name"}, t)));
    this.tip.hidden = false;
    const r = this.stage.getBoundingClientRect();
    let left = x - r.left + 14, top = y - r.top + 14;
    const w = this.tip.offsetWidth, h = this.tip.offsetHeight;
    if (left + w > r.width) left = Math.max(0, x - r.left - w - 14);
    if (top + h > r.height) top = Math.max(0, y - r.top - h - 14);
    this.tip.style.left = `${left}px`;
    this.tip.style.top = `${top}px`;
  }

  hideTip() { this.tip.hidden = true; this.hoverIndex = -1; }

  // ---- keyboard -------------------------------------------------------------------------------------
  bindKeys() {
    this.svg.addEventListener("focus", () => {
      if (this.focusIndex < 0) {
        const s = this.selected ? this.index.get(this.selected) : undefined;
        this.focusIndex = s !== undefined ? s : this.nearestTo(this.box[0] + this.box[2] / 2, this.box[1] + this.box[3] / 2);
      }
      this.outline();
      this.tipAtFocus();
    });
    this.svg.addEventListener("blur", () => { this.focusPath.setAttribute("d", ""); this.hideTip(); });
    this.svg.addEventListener("keydown", e => {
      const dirs = {ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1]};
      if (dirs[e.key]) {
        e.preventDefault();
        const next = this.step(this.focusIndex, ...dirs[e.key]);
        if (next >= 0) { this.focusIndex = next; this.keepInView(next); this.outline(); this.tipAtFocus(); }
      } else if ((e.key === "Enter" || e.key === " ") && this.focusIndex >= 0) {
        e.preventDefault();
        this.select(this.focusIndex);
      } else if (e.key === "+" || e.key === "=") { this.zoomBy(0.6); }
      else if (e.key === "-") { this.zoomBy(1 / 0.6); }
      else if (e.key === "Escape") { this.hideTip(); }
    });
  }

  nearestTo(x, y) {
    let best = -1, bd = Infinity;
    this.geo.centres.forEach(([cx, cy], i) => {
      const d = (cx - x) ** 2 + (cy - y) ** 2;
      if (d < bd) { bd = d; best = i; }
    });
    return best;
  }

  step(from, dx, dy) {  // the nearest seat in that direction, preferring ones straight ahead
    const c = this.geo.centres;
    if (from < 0) return 0;
    const [x, y] = c[from];
    let best = -1, bs = Infinity;
    for (let i = 0; i < c.length; i++) {
      if (i === from) continue;
      const vx = c[i][0] - x, vy = c[i][1] - y;
      const along = vx * dx + vy * dy;
      if (along <= 0) continue;
      const across = Math.abs(vx * dy - vy * dx);
      if (across > along * 2) continue;
      const score = along + across * 2;
      if (score < bs) { bs = score; best = i; }
    }
    return best;
  }

  keepInView(i) {
    const [cx, cy] = this.geo.centres[i];
    const [x, y, w, h] = this.box;
    if (cx < x || cx > x + w || cy < y || cy > y + h) this.setBox([cx - w / 2, cy - h / 2, w, h]);
  }

  tipAtFocus() {
    const i = this.focusIndex;
    if (i < 0) return;
    const r = this.seats[i].getBoundingClientRect();
    this.showTip(i, r.left + r.width / 2, r.top + r.height / 2);
  }

  // ---- size ----------------------------------------------------------------------------------------
  layout() {
    const w = this.root.clientWidth;
    if (!w) return;
    const wide = w >= 480;
    this.root.classList.toggle("pm-wide", wide);
    if (wide && this.legend.parentNode !== this.stage) this.stage.insertBefore(this.legend, this.tip);
    if (!wide && this.legend.parentNode === this.stage) this.stage.after(this.legend);
    let h = this.data && this.data.height;
    if (!h) {
      const top = this.stage.getBoundingClientRect().top + window.scrollY;
      const below = Math.max(0, this.root.getBoundingClientRect().bottom - this.stage.getBoundingClientRect().bottom) + 16;
      // On the first screen the map fills it to the bottom; further down the page it takes most of a screen.
      const first = top < window.innerHeight * 0.6;
      h = !wide ? Math.round(Math.min(w * 1.25, window.innerHeight * 0.62))
        : first ? Math.max(380, Math.min(window.innerHeight - top - below, 900))
        : Math.round(Math.min(640, window.innerHeight * 0.75));
    }
    if (this.stageHeight !== h) {
      this.stageHeight = h;
      this.stage.style.height = `${h}px`;
    }
    if (this.box) this.setBox(this.box);
  }
}

const CSS = "/*CSS*/";

function ensureStyle() {
  if (document.getElementById("pm-style")) return;
  const style = el("style", {id: "pm-style"}, CSS);
  document.head.append(style);
}

export default function (args) {
  const {data, parentElement, setStateValue, setTriggerValue} = args;
  ensureStyle();
  let map = MAPS.get(parentElement);
  if (!map) {
    map = new PetitionMap(parentElement);
    MAPS.set(parentElement, map);
  }
  const first = !map.data;
  const askForRest = () => {  // the page sent its first view only: the rest, once this map is painted (or failed)
    if (data.deferred && !map.askedForRest) {
      map.askedForRest = true;
      requestAnimationFrame(() => setTimeout(() => setTriggerValue("drawn", true), 0));
    }
  };
  map.update(data, {setStateValue, setTriggerValue}).then(() => { map.layout(); askForRest(); })
    .catch(e => {
      map.root.dataset.error = String(e);
      delete map.root.dataset.loading;
      const text = `The map could not be drawn (${e.message || e}). Reload the page to try again.`;
      const shown = map.stage.querySelector(".pm-error");  // a rerun keeps one message
      if (shown) shown.textContent = text;
      else map.stage.append(el("p", {class: "pm-error", role: "alert"}, text));
      askForRest();
    });
  if (first) map.layout();
  return () => setTimeout(() => {
    if (!map.root.isConnected) { map.resize.disconnect(); map.stop(); MAPS.delete(parentElement); }
  }, 0);
}
