// The operator API (docs/OPERATIONS.md, "The dashboard and its API"): GET /api/NAME?arg=... for a
// command that only reads, POST /api/NAME {"args": [...]} for an action. The X-Chat-Admin header
// tells the server this request comes from the dashboard itself, which another site cannot forge.

/** The server no longer knows this browser: its token changed (a restart without --admin-token). */
export class SignedOut extends Error {}

/** The command ran and failed: the message is the server's one-line error. */
export class CommandError extends Error {}

async function call(method, url, body) {
  const headers = { "X-Chat-Admin": "1" };
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
  }

  const response = await fetch(url, { method, headers, body, credentials: "same-origin", cache: "no-store" });
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
