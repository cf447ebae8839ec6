// Where the dashboard keeps the operator's token: sessionStorage, which belongs to this origin
// (scheme, host and port) and this tab. Never a cookie: a browser sends a host's cookies to every
// port of that host, so another server there would receive the token.

const key = "chat-admin-token";

/**
 * Takes the token from the sign-in URL's fragment (/admin#token=...), which no server ever sees,
 * keeps it, and removes it from the address bar and the history.
 */
export function takeFromAddress() {
  const token = new URLSearchParams(location.hash.slice(1)).get("token");
  if (token === null) return;
  history.replaceState(null, "", location.pathname + location.search);
  if (token !== "") remember(token);
}

/** The token, or null before the operator signed in. */
export function current() {
  return sessionStorage.getItem(key);
}

/** Keeps the token the operator pasted or opened. */
export function remember(token) {
  sessionStorage.setItem(key, token.trim());
}

/** Drops a token the server no longer takes (a restart without --admin-token made a new one). */
export function forget() {
  sessionStorage.removeItem(key);
}
