// Panel 3: pronunciations. A word and how to say it go in the organisation's dictionary
// (PUT /speech/diction/custom/item); "Hear" renders the word through the TTS preview, which
// applies the dictionary, so what plays is what a render will say.

import * as api from "./api.js";
import { $, clear, el, errorLines, setStatus } from "./dom.js";

const LANG = "global";

/** The server answers an unknown route with "No route <path>": the feature is not there. */
const isMissingRoute = (error) => error.status === 404 && /^No route/.test(error.message);

export function createDictionPanel(studio) {
  const form = $("diction-form");
  const word = $("diction-word");
  const replacement = $("diction-replacement");
  const type = $("diction-type");
  const scope = $("diction-scope");
  const status = $("diction-status");
  const list = $("diction-words");
  const player = new Audio();
  let objectUrl = "";
  let available = true;

  function unavailable() {
    available = false;
    for (const control of form.elements) control.disabled = true;
    setStatus(status, "Pronunciation dictionaries are not available on this server yet.");
  }

  async function hear(text) {
    const voice = studio.voice && studio.voice.alias;
    if (!voice) {
      setStatus(status, "Choose a voice first.", "error");
      return;
    }
    setStatus(status, `Rendering “${text}” with ${voice}…`);
    try {
      const audio = await api.postForAudio("/speech/tts/preview", { text, voice });
      if (objectUrl) URL.revokeObjectURL(objectUrl);
      objectUrl = URL.createObjectURL(audio);
      player.src = objectUrl;
      await player.play();
      setStatus(status, `Playing “${text}” with ${voice}.`, "ok");
    } catch (error) {
      setStatus(status, `Could not play it: ${errorLines(error).join(" ")}`, "error");
    }
  }

  async function remove(entry) {
    try {
      await api.del("/speech/diction/custom/item", { query: { lang: entry.lang || LANG, word: entry.word } });
      setStatus(status, `Removed “${entry.word}”.`, "ok");
      await load();
    } catch (error) {
      setStatus(status, `Could not remove it: ${errorLines(error).join(" ")}`, "error");
    }
  }

  function render(words) {
    clear(list);
    for (const entry of words) {
      const said = (entry.replacements || [])
        .map((r) => (r.specialization && r.specialization !== "default" ? `${r.replacement} (${r.specialization})` : r.replacement))
        .join(", ");
      list.append(
        el(
          "li",
          {},
          el("span", { class: "word", text: entry.word }),
          el("span", { class: "as", text: `→ ${said}` }),
          el("button", {
            type: "button",
            text: "Hear",
            "aria-label": `Hear ${entry.word}`,
            on: { click: () => hear(entry.word) },
          }),
          el("button", {
            type: "button",
            class: "danger",
            text: "Remove",
            "aria-label": `Remove ${entry.word}`,
            on: { click: () => remove(entry) },
          }),
        ),
      );
    }
  }

  async function load() {
    try {
      const { data } = await api.get("/speech/diction/custom/items", { query: { lang: LANG } });
      render(data.words || []);
    } catch (error) {
      if (isMissingRoute(error)) unavailable();
      else if (error.status === 404) render([]); // no dictionary yet: no words
      else setStatus(status, `Pronunciations: ${errorLines(error).join(" ")}`, "error");
    }
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!available) return;
    const entry = {
      word: word.value.trim(),
      replacement: replacement.value.trim(),
      lang: LANG,
      contentType: type.value,
      specialization: scope.value === "voice" && studio.voice ? studio.voice.alias : "default",
    };
    if (!entry.word || !entry.replacement) {
      setStatus(status, "Give the word and how to say it.", "error");
      (entry.word ? replacement : word).focus();
      return;
    }
    try {
      const { body } = await api.put("/speech/diction/custom/item", entry);
      const warnings = (body.warnings || []).join(" ");
      setStatus(status, `Saved “${entry.word}”. ${warnings}`.trim(), "ok");
      await load();
      await hear(entry.word);
    } catch (error) {
      if (isMissingRoute(error)) unavailable();
      else setStatus(status, `Not saved: ${errorLines(error).join(" ")}`, "error");
    }
  });

  return { load };
}
