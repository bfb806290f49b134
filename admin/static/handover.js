// The handover conversation updates itself: new lines (the resident's, the bot's, a colleague's)
// are fetched from a small JSON endpoint and put on top, under the reply box. Text goes in with
// textContent, never as HTML.
(function () {
  const list = document.getElementById("transcript");
  if (!list) return;
  let after = Number(list.dataset.after || 0);
  const EVERY = 3000;

  function line(data) {
    const item = document.createElement("li");
    item.className = data.direction;
    const meta = document.createElement("small");
    meta.textContent = data.time + " " + data.who;
    const text = document.createElement("div");
    text.className = "text";
    text.textContent = data.text;
    item.append(meta, text);
    return item;
  }

  async function poll() {
    try {
      const url = new URL(list.dataset.lines, location.href);
      url.searchParams.set("after", String(after));
      const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
      if (response.ok) {
        const data = await response.json();
        const empty = list.querySelector("li.empty");
        if (empty && data.lines.length) empty.remove();
        for (const each of data.lines) {  // oldest first, each put on top: newest ends first
          list.prepend(line(each));
          after = Math.max(after, each.id);
        }
      }
    } catch (e) { /* offline: the next poll tries again */ }
    setTimeout(poll, EVERY);
  }
  setTimeout(poll, EVERY);
})();
