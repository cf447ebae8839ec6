// The operator API (docs/OPERATIONS.md, "The dashboard and its API"): GET /api/NAME?arg=... for a
// command that only reads, POST /api/NAME {"args": [...]} for an action. Each carries the token
// as Authorization: Bearer, the only credential the server takes; the browser sends no cookie.

import { current } from "./token.js";

/** The server does not take this token (none yet, a typo, or a restart without --admin-token made a new one). */
export class SignedOut extends Error {}

/** The command ran and failed: the message is the server's one-line error. */
export class CommandError extends Error {}

async function call(method, url, body) {
  const token = current();
  if (token === null) {
    throw new SignedOut("no token");
  }

  const headers = { Authorization: `Bearer ${token}` };
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
  }

  const response = await fetch(url, { method, headers, body, credentials: "omit", cache: "no-store" });
  if (response.status === 401) {
    throw new SignedOut("signed out");
  }

  let data;
  try {
    data = await response.json();
  } catch {
    data = {};
  }

  if (!response.ok) {
    throw new CommandError(data.error ?? `HTTP ${response.status}`);
  }

  return data;
}

/** Runs a command that only reads, such as get("list.users", 100). */
export function get(command, ...args) {
  const query = args.map((arg) => `arg=${encodeURIComponent(arg)}`).join("&");
  return call("GET", `/api/${command}${query ? `?${query}` : ""}`);
}

/** Runs an action, such as post("kick", 7, "flooding"). */
export function post(command, ...args) {
  return call("POST", `/api/${command}`, JSON.stringify({ args: args.map(String) }));
}
