import { escapeHtml } from "../http-util.js";

export interface LoginPageModel {
  action: string;
  /** The original authorize query string, replayed when the form is posted. */
  request: string;
  username: string;
  clientName: string;
  errorMessage?: string;
}

/** The sign-in page: `input[name=username]`, `input[name=password]`, `button[type=submit]`. */
export function renderLoginPage(model: LoginPageModel): string {
  const error = model.errorMessage ? `<p id="error" role="alert" class="error">${escapeHtml(model.errorMessage)}</p>` : "";
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sign in to your account</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font-family:"Segoe UI",system-ui,sans-serif;background:#f2f2f2;margin:0;display:flex;justify-content:center;padding-top:10vh}
main{background:#fff;padding:44px;width:340px;box-shadow:0 2px 6px rgba(0,0,0,.2)}
h1{font-size:24px;font-weight:600;margin:0 0 8px} .app{color:#555;font-size:13px;margin-bottom:16px}
label{display:block;font-size:13px;margin-top:12px} input{width:100%;box-sizing:border-box;padding:6px 0;border:0;border-bottom:1px solid #666;font-size:15px}
button{margin-top:24px;background:#0067b8;color:#fff;border:0;padding:8px 32px;font-size:15px;cursor:pointer}
.error{color:#e81123;font-size:13px} .hint{color:#777;font-size:12px;margin-top:20px}
</style></head>
<body><main>
<h1>Sign in</h1>
<div class="app">to continue to ${escapeHtml(model.clientName)} (contoso.test emulator)</div>
${error}
<form method="post" action="${escapeHtml(model.action)}" autocomplete="off">
<input type="hidden" name="request" value="${escapeHtml(model.request)}">
<label for="username">Email</label>
<input id="username" name="username" type="email" value="${escapeHtml(model.username)}" required autofocus>
<label for="password">Password</label>
<input id="password" name="password" type="password" required>
<button type="submit" id="submit">Sign in</button>
</form>
<p class="hint">Test users: adele@contoso.test, alex@contoso.test (password Passw0rd!)</p>
</main></body></html>`;
}

export function renderMessagePage(title: string, message: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>
<body style="font-family:system-ui,sans-serif;padding:2em"><h1>${escapeHtml(title)}</h1><p id="message">${escapeHtml(message)}</p></body></html>`;
}

/** `response_mode=form_post`: an auto-submitting form to the redirect URI. */
export function renderFormPost(redirectUri: string, params: URLSearchParams): string {
  const inputs = [...params].map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`).join("");
  return `<!doctype html><html><head><title>Working...</title></head><body onload="document.forms[0].submit()">
<form method="post" action="${escapeHtml(redirectUri)}">${inputs}<noscript><button type="submit">Continue</button></noscript></form></body></html>`;
}
