// kembar serve: live reload and the error overlay. Injected into served pages only;
// the built site never contains it.
(() => {
  const me = document.currentScript;
  if (!me || !window.EventSource) return;
  const page = me.dataset.page || "";
  const generation = me.dataset.generation || "0";
  const url = "/__kembar/events?page=" + encodeURIComponent(page) +
    "&generation=" + encodeURIComponent(generation);
  const style =
    ":host{all:initial}" +
    "section{position:fixed;inset:0;z-index:2147483647;overflow:auto;padding:1.5rem;" +
    "background:rgba(20,20,24,.94);color:#f4f4f5;font:14px/1.5 system-ui,sans-serif}" +
    "h2{margin:0 0 .25rem;font-size:1.1rem;color:#fca5a5}" +
    "p{margin:0 0 1rem;color:#d4d4d8}" +
    "pre{margin:0 0 1rem;padding:1rem;overflow:auto;border-left:4px solid #ef4444;" +
    "background:#18181b;font:13px/1.45 ui-monospace,monospace;white-space:pre}" +
    "pre.warning{border-color:#eab308}" +
    "button{position:absolute;top:1rem;right:1rem;font:inherit;cursor:pointer}";
  let host = null;
  const clear = () => {
    if (host) host.remove();
    host = null;
  };
  const show = (html) => {
    clear();
    host = document.createElement("kembar-overlay");
    const root = host.attachShadow({ mode: "open" });
    const css = document.createElement("style");
    css.textContent = style;
    const box = document.createElement("div");
    // The server escapes every diagnostic: this markup is its own, not the author's.
    box.innerHTML = html;
    const close = document.createElement("button");
    close.type = "button";
    close.textContent = "×";
    close.setAttribute("aria-label", "Hide");
    close.addEventListener("click", clear);
    box.firstElementChild?.append(close);
    root.append(css, box);
    document.documentElement.append(host);
  };
  const events = new EventSource(url);
  // For tests and the curious: the stream's readyState is 1 once connected.
  window.__kembarLive = events;
  events.addEventListener("reload", () => location.reload());
  events.addEventListener("overlay", (e) => show(JSON.parse(e.data)));
  events.addEventListener("clear", clear);
})();
