// The local web chat. Every text from the server is inserted with textContent, never as HTML.
(function () {
  const main = document.querySelector(".chat");
  const log = document.getElementById("log");
  const choices = document.getElementById("choices");
  const form = document.getElementById("composer");
  const input = document.getElementById("text");
  const key = "webchat-user";
  const user = localStorage.getItem(key) || (crypto.randomUUID ? crypto.randomUUID() : String(Math.random()).slice(2));
  localStorage.setItem(key, user);

  function add(who, text) {
    const item = document.createElement("li");
    item.className = who;
    item.textContent = text;
    log.appendChild(item);
    log.scrollTop = log.scrollHeight;
    return item;
  }

  function safeUrl(url) {
    try { const u = new URL(url, location.href); return (u.protocol === "https:" || u.protocol === "http:") ? u.href : null; }
    catch (e) { return null; }
  }

  function show(reply) {
    const item = add("bot", reply.text);
    for (const button of reply.buttons || []) {
      const href = safeUrl(button.url);
      if (!href) continue;
      const link = document.createElement("a");
      link.href = href; link.target = "_blank"; link.rel = "noopener noreferrer";
      link.textContent = button.title;
      item.appendChild(link);
    }
    choices.replaceChildren();
    for (const quick of reply.quick_replies || []) {
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = quick.title;
      button.addEventListener("click", () => send({ payload: quick.payload }, quick.title));
      choices.appendChild(button);
    }
  }

  async function send(message, echo) {
    if (echo) add("me", echo);
    choices.replaceChildren();
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
    send({ text: text }, text);
  });

  // /chat?start=<intent>[__c<campaign>] opens that guide at once (the server turned it into a payload)
  send({ payload: document.querySelector("main.chat").dataset.start || "START" }, null);

  // Replies a commune staff member writes in the admin (handover) arrive by polling.
  let lastStaff = 0;
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
        }
      }
    } catch (e) { /* offline: the next poll tries again */ }
    setTimeout(poll, 3000);
  }
  poll();
})();
