// The chat page: one WebSocket to /ws in the chat.v1.json subprotocol (docs/PROTOCOL.md, "WebSocket").
// Everything the server sends is shown as text (textContent), never parsed as HTML.

const statusLine = document.getElementById("status");
const list = document.getElementById("messages");
const form = document.getElementById("composer");
const input = document.getElementById("text");
const button = form.querySelector("button");

const firstRetryMs = 1000;
const longestRetryMs = 30000;

let socket = null;
let me = 0;
let retryMs = firstRetryMs;
let lastMine = null;

function setStatus(text, problem) {
  statusLine.textContent = text;
  statusLine.classList.toggle("problem", problem);
}

function setConnected(connected) {
  input.disabled = !connected;
  button.disabled = !connected;
  if (connected) {
    input.focus();
  }
}

// proto3 JSON leaves out fields at their defaults and writes int64 as strings.
function number(value) {
  return value === undefined ? 0 : Number(value);
}

function describe(from, to) {
  const sender = from === me ? "me" : from === 0 ? "server" : `user ${from}`;
  if (to === -1) {
    return `${sender}, to everyone`;
  }

  if (to === me) {
    return from === me ? "me, to myself" : `${sender}, to me`;
  }

  return to === 0 ? `${sender}, to nobody` : `${sender}, to user ${to}`;
}

function show(message) {
  const from = number(message.from);
  const to = number(message.to);
  const text = message.msg ?? "";

  // A notice right after my own direct message answers it (an unknown recipient): shown beside it.
  if (from === 0 && lastMine !== null) {
    const notice = document.createElement("span");
    notice.className = "notice";
    notice.textContent = `server: ${text}`;
    lastMine.append(notice);
    lastMine = null;
    return;
  }

  const item = document.createElement("li");
  item.className = from === me ? "mine" : from === 0 ? "server" : "other";
  const label = document.createElement("span");
  label.className = "label";
  label.textContent = describe(from, to);
  const body = document.createElement("span");
  body.className = "text";
  body.textContent = text;
  item.append(label, body);
  list.append(item);
  lastMine = from === me && to > 0 && to !== me ? item : null;
  item.scrollIntoView({ block: "end" });
}

function onHandshake(handshake) {
  if (handshake.error) {
    const reason = handshake.reason || "no reason given";
    const wait = number(handshake.retryAfterMs);
    if (wait > 0) {
      retryMs = wait;
    }

    setStatus(`refused: ${reason} (${handshake.refusal ?? "no code"})`, true);
    return;
  }

  me = number(handshake.id);
  retryMs = firstRetryMs;
  setStatus(`you are user ${me}`, false);
  setConnected(true);
}

function connect() {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  socket = new WebSocket(`${scheme}//${location.host}/ws`, "chat.v1.json");
  let handshaken = false;
  let refused = false;

  socket.addEventListener("message", (event) => {
    let message;
    try {
      message = JSON.parse(event.data);
    } catch {
      return;
    }

    if (!handshaken) {
      handshaken = true;
      refused = Boolean(message.error);
      onHandshake(message);
      return;
    }

    show(message);
  });

  socket.addEventListener("close", (event) => {
    setConnected(false);
    const wait = retryMs;
    if (!refused) {
      const why = event.reason ? `: ${event.reason}` : "";
      setStatus(`connection lost (${event.code}${why}); reconnecting in ${Math.round(wait / 1000)} s`, true);
    } else {
      statusLine.textContent += `; retrying in ${Math.round(wait / 1000)} s`;
    }

    // Backoff with jitter, so that many pages do not all return at the same instant.
    setTimeout(connect, wait * (0.8 + Math.random() * 0.4));
    retryMs = Math.min(retryMs * 2, longestRetryMs);
  });
}

// "@N text" sends to user N; anything else goes to everyone.
function parse(line) {
  const direct = /^@(\d+)\s+([\s\S]+)$/.exec(line);
  return direct ? { to: direct[1], msg: direct[2] } : { to: "-1", msg: line };
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const line = input.value.trim();
  if (line === "" || socket === null || socket.readyState !== WebSocket.OPEN) {
    return;
  }

  socket.send(JSON.stringify(parse(line)));
  input.value = "";
});

connect();
