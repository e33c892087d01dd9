// Security keys (WebAuthn), on the sign-in step and on the account's security page. A form marked
// data-security-key="add" or "sign-in" runs the ceremony instead of submitting: it asks Ura for the
// options (data-options), lets the browser talk to the key, sends the key's answer (data-finish) and
// goes where Ura says. Every text comes from the page, translated there; none is written here.
(function () {
  "use strict";

  function bytes(text) {
    var b64 = text.replace(/-/g, "+").replace(/_/g, "/");
    while (b64.length % 4) { b64 += "="; }
    var raw = atob(b64), out = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i += 1) { out[i] = raw.charCodeAt(i); }
    return out.buffer;
  }

  function text(buffer) {
    var view = new Uint8Array(buffer), raw = "";
    for (var i = 0; i < view.length; i += 1) { raw += String.fromCharCode(view[i]); }
    return btoa(raw).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function decoded(options) {  // the JSON options with their binary members as ArrayBuffers
    options.challenge = bytes(options.challenge);
    if (options.user) { options.user.id = bytes(options.user.id); }
    (options.excludeCredentials || []).concat(options.allowCredentials || []).forEach(function (c) {
      c.id = bytes(c.id);
    });
    return options;
  }

  function encoded(credential) {  // the authenticator's answer as JSON (WebAuthn's JSON encoding)
    var r = credential.response;
    var answer = {id: credential.id, rawId: text(credential.rawId), type: credential.type,
                  clientExtensionResults: credential.getClientExtensionResults(),
                  response: {clientDataJSON: text(r.clientDataJSON)}};
    if (r.attestationObject) {
      answer.response.attestationObject = text(r.attestationObject);
      answer.response.transports = r.getTransports ? r.getTransports() : [];
    } else {
      answer.response.authenticatorData = text(r.authenticatorData);
      answer.response.signature = text(r.signature);
      if (r.userHandle) { answer.response.userHandle = text(r.userHandle); }
    }
    return answer;
  }

  function post(form, url, body) {
    var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
    return fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRFToken": token},
      body: JSON.stringify(body || {})
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (!response.ok) { throw new Error(data.error || form.dataset.failed); }
        return data;
      });
    });
  }

  function why(form, problem) {
    if (problem instanceof DOMException) {
      if (problem.name === "InvalidStateError") { return form.dataset.registered; }
      if (problem.name === "SecurityError") {  // e.g. opened by a numeric address: keys need a domain name
        return form.querySelector("[data-security-key-unsupported]").textContent;
      }
      if (problem.name === "NotAllowedError" || problem.name === "AbortError") { return form.dataset.cancelled; }
      return form.dataset.failed;
    }
    return (problem && problem.message) || form.dataset.failed;
  }

  function setUp(form) {
    var error = form.querySelector("[data-security-key-error]");
    var button = form.querySelector("button[type=submit]");
    if (!window.PublicKeyCredential || !navigator.credentials) {
      form.querySelector("[data-security-key-unsupported]").hidden = false;
      button.disabled = true;
      return;
    }
    var adding = form.dataset.securityKey === "add";
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      error.hidden = true;
      button.disabled = true;
      post(form, form.dataset.options).then(function (options) {
        var publicKey = decoded(options);
        return adding ? navigator.credentials.create({publicKey: publicKey})
                      : navigator.credentials.get({publicKey: publicKey});
      }).then(function (credential) {
        var body = {credential: encoded(credential)};
        if (adding) { body.name = form.elements.name.value; }
        return post(form, form.dataset.finish, body);
      }).then(function (data) {
        window.location.assign(data.next);
      }).catch(function (problem) {
        error.textContent = why(form, problem);
        error.hidden = false;
        button.disabled = false;
        error.focus();
      });
    });
  }

  document.querySelectorAll("form[data-security-key]").forEach(setUp);
}());
