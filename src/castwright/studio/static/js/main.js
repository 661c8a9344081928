// Castwright Studio: sign in, then the studio (write, voice, mix, deliver) and the library.
// Panels talk through `studio`: a little shared state and named events.

import * as api from "./api.js";
import { $, errorLines } from "./dom.js";
import { createDeliverPanel } from "./deliver.js";
import { createDictionPanel } from "./diction.js";
import { createLibrary } from "./library.js";
import { createMixPanel } from "./mix.js";
import { createScriptPanel } from "./script.js";
import { createSpeechPanel } from "./speech.js";
import { createVoicePanel } from "./voices.js";

const events = new EventTarget();
const studio = {
  voice: null,
  script: null,
  speech: null,
  production: null,
  speed: () => 1,
  emit(name, detail) {
    events.dispatchEvent(new CustomEvent(name, { detail }));
  },
  on(name, handler) {
    events.addEventListener(name, (event) => handler(event.detail));
  },
};

let panels = null;

function buildPanels() {
  const script = createScriptPanel(studio);
  const speech = createSpeechPanel(studio, script);
  return {
    script,
    speech,
    voices: createVoicePanel(studio),
    diction: createDictionPanel(studio),
    mix: createMixPanel(studio, script, speech),
    deliver: createDeliverPanel(studio),
    library: createLibrary(studio),
  };
}

function showView(name) {
  $("studio-view").hidden = name !== "studio";
  $("library-view").hidden = name !== "library";
  for (const tab of document.querySelectorAll(".view-tab")) {
    if (tab.dataset.view === name) tab.setAttribute("aria-current", "page");
    else tab.removeAttribute("aria-current");
  }
  if (name === "library" && panels) panels.library.refresh();
}

function signedIn(yes) {
  $("sign-in-view").hidden = yes;
  $("views").hidden = !yes;
  $("account").hidden = !yes;
  if (!yes) {
    $("studio-view").hidden = true;
    $("library-view").hidden = true;
    $("api-key").focus();
    return;
  }
  showView("studio");
  if (!panels) {
    panels = buildPanels();
    panels.voices.load().then(() => panels.script.predict());
    panels.diction.load();
    panels.mix.load();
    panels.deliver.load();
    panels.library.open();
  }
}

async function signIn(event) {
  event.preventDefault();
  const input = $("api-key");
  const error = $("sign-in-error");
  const key = input.value.trim();
  error.textContent = "";
  if (!key) {
    error.textContent = "Enter your API key.";
    input.setAttribute("aria-invalid", "true");
    return;
  }
  api.credentials.set(key);
  try {
    await api.get("/production/mix/presets"); // any keyed route: is the key accepted?
    input.value = "";
    input.removeAttribute("aria-invalid");
    signedIn(true);
  } catch (failure) {
    api.credentials.clear();
    input.setAttribute("aria-invalid", "true");
    error.textContent = failure.unauthorised
      ? `That key was not accepted: ${errorLines(failure).join(" ")}`
      : `Could not sign in: ${errorLines(failure).join(" ")}`;
    input.select();
  }
}

function signOut(message = "") {
  api.credentials.clear();
  // Everything shown belongs to the key: start again from a clean page.
  if (panels) {
    sessionStorage.setItem("castwright.signedOut", message);
    location.reload();
    return;
  }
  $("sign-in-error").textContent = message;
  signedIn(false);
}

$("sign-in-form").addEventListener("submit", signIn);
$("sign-out").addEventListener("click", () => signOut());
for (const tab of document.querySelectorAll(".view-tab")) {
  tab.addEventListener("click", () => showView(tab.dataset.view));
}
window.addEventListener("studio:unauthorised", (event) => {
  if (api.credentials.key && panels) signOut(`Signed out: ${event.detail.message}`);
});

const farewell = sessionStorage.getItem("castwright.signedOut");
sessionStorage.removeItem("castwright.signedOut");
if (api.credentials.key) signedIn(true);
else {
  signedIn(false);
  if (farewell) $("sign-in-error").textContent = farewell;
}
