// The sign-in form, shown in place of the dashboard while it has no token the server takes: the
// operator pastes the token there instead of opening the URL the server printed.

import { remember } from "./token.js";

const $ = (id) => document.getElementById(id);

let signedIn = () => {};

function show(asking) {
  $("sign-in").hidden = !asking;
  $("board").hidden = asking;
  if (asking) $("sign-in-token").focus();
}

$("sign-in-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const token = $("sign-in-token").value.trim();
  if (token === "") return;
  // Not left in the field, where a later look at the page would find it.
  $("sign-in-token").value = "";
  remember(token);
  show(false);
  signedIn();
});

/** Shows the form; then() runs once the operator has given a token. */
export function askForToken(then) {
  signedIn = then;
  show(true);
}
