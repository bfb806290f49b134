// The local web chat. Every text from the server is inserted with textContent, never as HTML.
//
// What survives a reload lives in sessionStorage, which the browser forgets when the tab is
// closed: the conversation id, the bubbles shown and the buttons on offer. A reload shows the
// conversation again with the pending question and its buttons (the server still holds where the
// talk stands). Nothing goes to localStorage: on a shared phone or an office computer the next
// person must not find the last one's conversation.
(function () {
  const main = document.querySelector(".chat");
  const log = document.getElementById("log");
  const choices = document.getElementById("choices");
  const form = document.getElementById("composer");
  const input = document.getElementById("text");
  const limit = document.getElementById("limit");
  const prefix = "webchat:" + main.dataset.conversation + ":";
  const MAX_BUBBLES = 200;

  function load(name, fallback) {
    try { const value = JSON.parse(sessionStorage.getItem(prefix + name)); return value === null ? fallback : value; }
    catch (e) { return fallback; }
  }
  function save(name, value) {
    try { sessionStorage.setItem(prefix + name, JSON.stringify(value)); } catch (e) { /* storage full or off */ }
  }

  const user = load("user", null) || (crypto.randomUUID ? crypto.randomUUID() : String(Math.random()).slice(2));
  save("user", user);
  const history = load("history", []);
  let offered = load("offered", []);

  function keepInView() {
    // after the buttons are laid out: the log shrank, so scroll again to its end
    log.scrollTop = log.scrollHeight;
    requestAnimationFrame(() => { log.scrollTop = log.scrollHeight; });
  }

  function bubble(entry) {
    const item = document.createElement("li");
    item.className = entry.who;
    item.textContent = entry.text;
    for (const button of entry.buttons || []) {
      const href = safeUrl(button.url);
      if (!href) continue;
      const link = document.createElement("a");
      link.href = href; link.target = "_blank"; link.rel = "noopener noreferrer";
      link.textContent = button.title;
      item.appendChild(link);
    }
    log.appendChild(item);
    return item;
  }

  function add(who, text, buttons) {
    const entry = { who: who, text: text, buttons: buttons || [] };
    bubble(entry);
    if (who !== "note") {
      history.push(entry);
      history.splice(0, Math.max(0, history.length - MAX_BUBBLES));
      save("history", history);
    }
    keepInView();
  }

  function safeUrl(url) {
    try { const u = new URL(url, location.href); return (u.protocol === "https:" || u.protocol === "http:") ? u.href : null; }
    catch (e) { return null; }
  }

  function offer(quickReplies) {
    offered = quickReplies || [];
    save("offered", offered);
    choices.replaceChildren();
    for (const quick of offered) {
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = quick.title;
      button.addEventListener("click", () => send({ payload: quick.payload }, quick.title));
      choices.appendChild(button);
    }
    keepInView();
  }

  function show(reply) {
    add("bot", reply.text, reply.buttons);
    offer(reply.quick_replies);
  }

  async function send(message, echo) {
    if (echo) add("me", echo);
    offer([]);
    try {
      const response = await fetch(main.dataset.endpoint, {
        method: "POST", headers: { "Content-Type": "application/json" },
        body: JSON.stringify(Object.assign({ user: user }, message)),
      });
      const data = await response.json();
      if (response.status === 429) { add("bot", main.dataset.busyText); return; }
      if (!response.ok) { add("bot", data.error || main.dataset.errorText); return; }
      data.replies.forEach(show);
    } catch (e) {
      add("bot", main.dataset.offlineText);
    }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value;
    if (!text.trim()) return;
    input.value = "";
    limit.hidden = true;
    send({ text: text }, text);
  });
  input.addEventListener("input", () => { limit.hidden = input.value.length < input.maxLength; });

  if (history.length) {  // a reload: the conversation so far, then the pending question and its buttons
    history.forEach(bubble);
    add("note", main.dataset.resumedText);
    const pending = [...history].reverse().find((entry) => entry.who === "bot");
    if (pending) bubble(pending);
    offer(offered);
  } else {
    send({ payload: main.dataset.start || "START" }, null);
  }

  // Replies a commune staff member writes in the admin (handover) arrive by polling.
  let lastStaff = load("lastStaff", 0);
  async function poll() {
    try {
      const url = new URL(main.dataset.endpoint, location.href);
      url.searchParams.set("user", user);
      url.searchParams.set("after", String(lastStaff));
      const response = await fetch(url);
      if (response.ok) {
        for (const message of (await response.json()).messages || []) {
          add("staff", message.text);
          lastStaff = Math.max(lastStaff, message.id);
          save("lastStaff", lastStaff);
        }
      }
    } catch (e) { /* offline: the next poll tries again */ }
    setTimeout(poll, 3000);
  }
  poll();
})();
