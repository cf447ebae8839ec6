// The operator dashboard: asks the operator API once a second and shows what it says. Every figure
// is a command's --json reply (num.users, history, list.users, closed.users, set, nodes), every
// button a command (kick, say, set): the same dispatcher as the console, nothing of its own.
// Everything from the server is shown as text (textContent), never parsed as HTML.

import { get, post, SignedOut, CommandError } from "./api.js";
import { draw } from "./chart.js";
import { askForToken } from "./signin.js";
import { current, forget, takeFromAddress } from "./token.js";

const everyMs = 1000;
const historySteps = 600;
const $ = (id) => document.getElementById(id);

let timer = 0;
// Bumped at each sign-in and sign-out, so that a request still under way from before reschedules nothing.
let session = 0;
let history = { newest: -1, rates: [], users: [] };
let historyAt = 0;
let cluster = false;
const rendered = new Map();

// 45s, 12m05s, 3h07m, 2d04h: as the console writes durations.
function duration(seconds) {
  const s = Math.floor(seconds);
  const two = (n) => String(n).padStart(2, "0");
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${two(s % 60)}s`;
  if (s < 86400) return `${Math.floor(s / 3600)}h${two(Math.floor(s / 60) % 60)}m`;
  return `${Math.floor(s / 86400)}d${two(Math.floor(s / 3600) % 24)}h`;
}

const count = (n) => Number(n).toLocaleString("en");
const rate = (n) => Number(n).toLocaleString("en", { maximumFractionDigits: 1 });

function setStatus(text, problem) {
  const status = $("status");
  status.textContent = text;
  status.classList.toggle("problem", problem);
}

function say(id, text, problem) {
  const result = $(id);
  result.textContent = text;
  result.classList.toggle("problem", problem);
}

// Renders rows into a table body only when they changed, so that a screen reader or a selection
// is not disturbed every second.
function fill(tableId, rows, cells) {
  const key = JSON.stringify(rows);
  if (rendered.get(tableId) === key) return;
  rendered.set(tableId, key);
  const body = $(tableId).tBodies[0];
  body.replaceChildren(...rows.map((row) => {
    const tr = document.createElement("tr");
    for (const [text, numeric] of cells(row)) {
      const td = document.createElement("td");
      td.textContent = text;
      if (numeric) td.className = "number";
      tr.append(td);
    }
    return tr;
  }));
}

function header(table, names) {
  const row = table.tHead.rows[0];
  if (row.dataset.names === names.join()) return false;
  row.dataset.names = names.join();
  row.replaceChildren(...names.map(([name, numeric]) => {
    const th = document.createElement("th");
    th.scope = "col";
    th.textContent = name;
    if (numeric) th.className = "number";
    return th;
  }));
  return true;
}

function showCount(data) {
  cluster = data.local !== undefined;
  $("users-count").textContent = count(data.users);
  $("users-detail").textContent = cluster
    ? `(${count(data.local)} on this node${data.partial ? "; partial: the cluster store is unreachable" : ""})`
    : "";
}

function showHistory(data) {
  const fresh = data.newest - history.newest;
  const rates = data.messages_per_second;
  if (history.newest < 0 || fresh > rates.length) {
    history = { newest: data.newest, rates: rates.slice(), users: data.users.slice() };
  } else if (fresh > 0) {
    history.rates.push(...rates.slice(rates.length - fresh));
    history.users.push(...data.users.slice(data.users.length - fresh));
    history.rates.splice(0, history.rates.length - historySteps);
    history.users.splice(0, history.users.length - historySteps);
    history.newest = data.newest;
  }

  const now = history.rates.at(-1) ?? 0;
  $("rate-now").textContent = rate(now);
  const rateTop = draw($("rate-chart"), history.rates);
  const usersTop = draw($("users-chart"), history.users);
  $("rate-scale").textContent = `(now ${rate(now)}, highest ${rate(Math.max(0, ...history.rates))}; scale 0 to ${count(rateTop)})`;
  $("users-scale").textContent = `(now ${count(history.users.at(-1) ?? 0)}, highest ${count(Math.max(0, ...history.users))}; scale 0 to ${count(usersTop)})`;
}

const userColumns = [
  ["id", true, (u) => u.id],
  ["address", false, (u) => u.remote_address],
  ["transport", false, (u) => u.transport],
  ["node", false, (u) => u.node ?? ""],
  ["connected", true, (u) => duration(u.connected_seconds)],
  ["idle", true, (u) => duration(u.idle_seconds)],
  ["msgs in", true, (u) => count(u.messages_in)],
  ["bytes in", true, (u) => count(u.bytes_in)],
  ["frames out", true, (u) => count(u.frames_out)],
  ["bytes out", true, (u) => count(u.bytes_out)],
  ["queued", true, (u) => count(u.queued_bytes)],
  ["throttled", false, (u) => (u.throttled ? "yes" : "no")],
];

// One row per user, kept across updates (keyed by id), so a focused Kick button stays focused.
function showUsers(list) {
  const table = $("users");
  const columns = userColumns.filter(([name]) => name !== "node" || list.users.some((u) => u.node !== undefined));
  const names = [...columns.map(([name, numeric]) => [name, numeric]), ["", false]];
  const body = table.tBodies[0];
  if (header(table, names)) body.replaceChildren();

  const rows = new Map([...body.rows].map((row) => [row.dataset.id, row]));
  const hadFocus = Boolean(document.activeElement?.closest("#users tbody"));
  let next = null;
  for (const user of list.users) {
    const id = String(user.id);
    let row = rows.get(id);
    rows.delete(id);
    if (row === undefined) {
      row = document.createElement("tr");
      row.dataset.id = id;
      for (const [, numeric] of columns) {
        const td = document.createElement("td");
        if (numeric) td.className = "number";
        row.append(td);
      }
      const action = document.createElement("td");
      action.className = "action";
      const kick = document.createElement("button");
      kick.type = "button";
      kick.textContent = "Kick";
      kick.dataset.kick = id;
      kick.setAttribute("aria-label", `Kick user ${id}`);
      action.append(kick);
      row.append(action);
    }
    columns.forEach(([, , value], index) => {
      const text = String(value(user));
      if (row.cells[index].textContent !== text) row.cells[index].textContent = text;
    });
    // In id order, moving nothing that is already in place.
    const expected = next === null ? body.firstElementChild : next.nextElementSibling;
    if (expected !== row) body.insertBefore(row, expected);
    next = row;
  }

  for (const gone of rows.values()) gone.remove();
  // A kicked user's row goes, and its button with it: keyboard focus returns to the heading.
  if (hadFocus && !document.activeElement?.closest("#users tbody")) $("users-heading").focus();

  $("users-empty").hidden = list.total > 0;
  $("users-scroll").hidden = list.total === 0;
  $("users-shown").textContent = list.users.length < list.total
    ? `(${list.users.length} of ${count(list.total)} shown)`
    : `(${count(list.total)})`;
}

function showClosed(entries) {
  $("closed-empty").hidden = entries.length > 0;
  $("closed-scroll").hidden = entries.length === 0;
  fill("closed", entries, (e) => [
    [e.id, true],
    [new Date(Date.parse(e.connected_at) + e.connected_seconds * 1000).toLocaleTimeString("en-GB"), false],
    [e.reason, false],
    [e.detail ?? "", false],
    [e.remote_address, false],
    [duration(e.connected_seconds), true],
    [count(e.messages_in), true],
    [count(e.frames_out), true],
  ]);
}

function showLimits(limits) {
  fill("limits", limits, (l) => [[l.name, false], [count(l.value), true], [`${count(l.min)} to ${count(l.max)}`, false], [l.description, false]]);
  const select = $("set-name");
  const names = limits.map((l) => l.name).join();
  if (select.dataset.names !== names) {
    select.dataset.names = names;
    select.replaceChildren(...limits.map((l) => new Option(l.name, l.name)));
  }
  const chosen = limits.find((l) => l.name === select.value);
  if (chosen) {
    $("set-value").min = chosen.min;
    $("set-value").max = chosen.max;
  }
}

// The nodes as the nodes command reports them, whatever columns it has.
function showNodes(nodes) {
  $("nodes-section").hidden = false;
  const keys = nodes.length > 0 ? Object.keys(nodes[0]) : [];
  header($("nodes"), keys.map((key) => [key.replaceAll("_", " "), typeof nodes[0][key] === "number"]));
  fill("nodes", nodes, (node) => keys.map((key) => {
    const value = node[key];
    if (typeof value === "boolean") return [value ? "yes" : "", false];
    if (typeof value === "number") return [count(value), true];
    return [String(value ?? ""), false];
  }));
}

async function refresh() {
  const fullHistory = history.newest < 0 || performance.now() - historyAt > 8000;
  const asks = [
    get("num.users"),
    get("history", fullHistory ? historySteps : 10),
    get("list.users", 500),
    get("closed.users", 20),
    get("set"),
  ];
  if (cluster) asks.push(get("nodes"));
  const [num, steps, users, closed, limits, nodes] = await Promise.all(asks);
  historyAt = performance.now();
  showCount(num);
  showHistory(steps);
  showUsers(users);
  showClosed(closed);
  showLimits(limits);
  if (nodes !== undefined) showNodes(nodes);
  setStatus(`live: updated ${new Date().toLocaleTimeString("en-GB")}`, false);
}

function signedOut() {
  clearTimeout(timer);
  timer = -1;
  session += 1;
  const why = current() === null ? "no token yet" : "the server does not take this token (a restart without --admin-token makes a new one)";
  forget();
  setStatus(`signed out: ${why}; paste the token, or open the URL the server printed at start (/admin#token=...)`, true);
  askForToken(start);
}

async function tick() {
  const mine = session;
  try {
    await refresh();
  } catch (error) {
    if (error instanceof SignedOut) {
      if (mine === session) signedOut();
      return;
    }
    setStatus(`cannot reach the server (${error.message}); trying again every second`, true);
  }
  if (mine === session && timer !== -1) timer = setTimeout(tick, everyMs);
}

function start() {
  session += 1;
  timer = 0;
  setStatus("signing in…", false);
  tick();
}

// Runs an action, shows what it answered, and refreshes at once so its effect shows.
async function act(resultId, command, args, describe) {
  try {
    say(resultId, describe(await post(command, ...args)), false);
  } catch (error) {
    if (error instanceof SignedOut) {
      signedOut();
      return false;
    }
    say(resultId, error instanceof CommandError ? error.message : `failed: ${error.message}`, true);
    return false;
  }
  clearTimeout(timer);
  await tick();
  return true;
}

$("users").addEventListener("click", (event) => {
  const id = event.target.closest("button[data-kick]")?.dataset.kick;
  if (id === undefined) return;
  const reason = $("kick-reason").value.trim();
  act("kick-result", "kick", reason ? [id, reason] : [id], (r) =>
    r.node ? `asked node ${r.node} to kick user ${r.id}` : r.kicked ? `kicked user ${r.id}` : `user ${r.id} was already leaving`);
});

$("say-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const text = $("say-text").value.trim();
  if (text === "") return;
  const sent = await act("say-result", "say", [text], (r) =>
    `sent to ${count(r.reached)} users${r.nodes !== undefined ? ` here and to ${r.nodes} other nodes` : ""}${r.partial ? " (partial)" : ""}`);
  if (sent) $("say-text").value = "";
});

$("set-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const name = $("set-name").value;
  const value = $("set-value").value;
  const set = await act("set-result", "set", [name, value], (r) => `${r.name}: ${count(r.before)} → ${count(r.value)}`);
  if (set) $("set-value").value = "";
});

takeFromAddress();
if (current() === null) signedOut();
else start();
