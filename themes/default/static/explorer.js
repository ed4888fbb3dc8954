/* kembar explorer: facets and search over the partnership list; state in the URL hash. */
(() => {
  "use strict";
  const $ = (id) => document.getElementById(id);
  const data = window.KEMBAR_EXPLORER, form = $("explorer"), list = $("explorer-results");
  if (!data || !data.items || !form || !list) return;
  const qIn = $("explorer-q"), fromIn = $("explorer-from"), toIn = $("explorer-to");
  const countEl = $("explorer-count"), emptyEl = $("explorer-empty"), share = $("explorer-share");
  const activeEl = $("explorer-active"), details = $("explorer-filters");
  const lang = document.documentElement.lang || undefined;
  const one = countEl.dataset.one, many = countEl.dataset.many;
  // Folded as the index is: lower case, Latin letters without accents, other scripts kept (NFC).
  const ODD = "\u00f8\u0142\u0111\u00df\u00e6\u0153\u0131\u00f0\u00fe\u0127", PLAIN = "o l d ss ae oe i d th h".split(" ");
  const ODD_RE = new RegExp(`[${ODD}]`, "g");
  const fold = (s) => s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").normalize("NFC").toLowerCase()
    .replace(ODD_RE, (c) => PLAIN[ODD.indexOf(c)]);
  const num = (n) => n.toLocaleString(lang);

  // Rows: the items of the index and their <li>, matched by slug.
  const bySlug = new Map();
  for (const li of list.children) bySlug.set(li.dataset.slug, li);
  const items = data.items.filter((it) => bySlug.has(it.s)), rows = items.map((it) => bySlug.get(it.s));
  const N = items.length, shown = new Uint8Array(N).fill(1);

  // Facets: checkboxes and, per item, the indices of its values (single values share arrays).
  const facets = [["field", "f"], ["country", "c"], ["province", "v"], ["kind", "k"], ["status", "st"], ["confidence", "n"]].map(([key, prop]) => {
    const ids = new Map(), vals = [], single = [];
    for (const box of form.querySelectorAll(`input[type=checkbox][name="${key}"]`)) {
      const label = box.closest("label");
      single.push([vals.length]);
      ids.set(box.value, vals.length);
      vals.push({ box, label, span: label.querySelector(".count"), n: -1, z: false });
    }
    const none = [], idx = items.map((it) => {
      const v = it[prop];
      if (Array.isArray(v)) return v.filter((x) => ids.has(x)).map((x) => ids.get(x));
      return ids.has(v) ? single[ids.get(v)] : none;
    });
    return { key, vals, idx, sel: new Uint8Array(vals.length), counts: new Uint32Array(vals.length), on: false };
  });
  const match = (F, i) => F.idx[i].some((j) => F.sel[j]);
  const tally = (F, i) => { for (const j of F.idx[i]) F.counts[j]++; };
  const year = (input) => { const n = parseInt(input.value, 10); return isNaN(n) ? null : n; };

  // Read the form into the filter state; returns the canonical hash (without "#").
  let from, to, terms, nActive;
  const read = () => {
    const parts = [];
    nActive = 0;
    for (const F of facets) {
      const on = [];
      F.vals.forEach((v, j) => { F.sel[j] = v.box.checked; if (v.box.checked) on.push(encodeURIComponent(v.box.value)); });
      F.on = on.length > 0;
      nActive += on.length;
      if (F.on) parts.push(F.key + "=" + on.join(","));
    }
    from = year(fromIn); to = year(toIn);
    if (from !== null) { parts.push("from=" + from); nActive++; }
    if (to !== null) { parts.push("to=" + to); nActive++; }
    const q = qIn.value.trim();
    terms = fold(q).split(/\s+/).filter(Boolean);
    if (q) parts.push("q=" + encodeURIComponent(q));
    return parts.join("&");
  };

  // One pass over the items: visibility, and per facet value the count under all other filters.
  const apply = () => {
    const act = facets.filter((F) => F.on), years = from !== null || to !== null;
    const lo = from === null ? -Infinity : from, hi = to === null ? Infinity : to;
    let visible = 0;
    for (const F of facets) F.counts.fill(0);
    for (let i = 0; i < N; i++) {
      const it = items[i];
      let ok = !years || (it.y != null && it.y >= lo && it.y <= hi), show = 0;
      if (ok) for (const t of terms) if (!(it.q || "").includes(t)) { ok = false; break; }
      if (ok) {
        let miss = null, misses = 0;
        for (const F of act) if (!match(F, i)) { miss = F; if (++misses > 1) break; }
        if (!misses) { show = 1; visible++; for (const F of facets) tally(F, i); }
        else if (misses === 1) tally(miss, i);
      }
      if (show !== shown[i]) { shown[i] = show; rows[i].hidden = !show; }
    }
    for (const F of facets) F.vals.forEach((v, j) => {
      const n = F.counts[j], z = n === 0 && !v.box.checked;
      if (n !== v.n) { v.n = n; v.span.textContent = num(n); }
      if (z !== v.z) { v.z = z; v.label.classList.toggle("ex-zero", z); }
    });
    const text = (visible === 1 ? one : many).replace("{n}", num(visible));
    if (countEl.textContent !== text) countEl.textContent = text;
    countEl.dataset.count = visible;
    if (emptyEl) emptyEl.hidden = visible > 0;
    if (activeEl) activeEl.textContent = nActive ? `(${nActive})` : "";
  };

  // The hash is written with replaceState (no history entries), after a pause while typing.
  const current = () => location.hash.replace(/^#/, "");
  const link = () => { if (share) share.href = "#" + applied; };
  let applied = null, written = null, timer = 0, qTimer = 0;
  const write = () => {
    clearTimeout(timer); timer = 0;
    const h = applied;
    link();
    if (h === current() || (!h && !location.hash)) return;
    try {
      history.replaceState(history.state, "", h ? "#" + h : location.pathname + location.search);
    } catch (e) {
      written = h;
      location.hash = h;
    }
  };
  const update = (delay) => {
    const h = read();
    if (h !== applied) { applied = h; apply(); }
    if (delay === undefined) return;
    clearTimeout(timer);
    if (delay) timer = setTimeout(write, delay); else write();
  };

  // Scroll each long facet list to its first checked value.
  const reveal = () => {
    for (const F of facets) {
      const v = F.vals.find((v) => v.box.checked);
      if (!v) continue;
      const li = v.label.parentNode, ul = li.parentNode;
      ul.scrollTop = li.offsetTop - ul.firstElementChild.offsetTop;
    }
  };

  // Set the controls from the hash. A hash without "=" (such as #main) is an anchor: ignored.
  const fromHash = () => {
    const h = current(), st = {};
    if (h && !h.includes("=")) return false;
    for (const p of h.split("&")) {
      const e = p.indexOf("=");
      if (e > 0) st[p.slice(0, e)] = p.slice(e + 1);
    }
    const dec = (s) => { try { return decodeURIComponent(s.replace(/\+/g, " ")); } catch (e) { return s; } };
    for (const F of facets) {
      const want = (st[F.key] || "").split(",").map(dec);
      for (const v of F.vals) v.box.checked = want.includes(v.box.value);
    }
    fromIn.value = parseInt(dec(st.from || ""), 10) || "";
    toIn.value = parseInt(dec(st.to || ""), 10) || "";
    qIn.value = dec(st.q || "");
    return true;
  };

  // Checkboxes and years apply at once; typing in a long list applies after a short pause.
  const now = () => { clearTimeout(qTimer); update(0); };
  form.addEventListener("submit", (e) => { e.preventDefault(); now(); });
  form.addEventListener("change", now);
  form.addEventListener("input", (e) => {
    if (e.target !== qIn) return now();
    clearTimeout(qTimer);
    if (N < 5000) update(400); else qTimer = setTimeout(() => update(400), 150);
  });
  form.addEventListener("reset", () => setTimeout(now, 0));
  list.addEventListener("click", () => { if (timer) write(); }, true);
  addEventListener("pagehide", () => { if (timer) write(); });
  addEventListener("hashchange", () => {
    const h = current(), echo = h === written;
    written = null;
    if (echo || h === applied || !fromHash()) return;
    clearTimeout(qTimer); clearTimeout(timer); timer = 0;
    update();
    reveal();
    link();
  });

  // Show the controls: filters open on wide screens, folded on narrow ones.
  if (details) {
    const wide = matchMedia("(min-width: 48em)");
    details.open = wide.matches;
    wide.addEventListener("change", (e) => { details.open = e.matches; });
    details.addEventListener("toggle", () => { if (details.open) reveal(); });
  }
  form.hidden = false;
  if (share) share.parentNode.hidden = false;
  fromHash();
  update();
  reveal();
  link();
})();
