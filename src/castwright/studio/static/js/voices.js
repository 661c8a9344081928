// Panel 2: the voice. Every voice of the catalogue as a radio button (arrow keys move between
// them), filtered as the person types; each has a sample to hear (rendered once per voice by
// the server, so nothing is fetched until asked: preload="none").

import * as api from "./api.js";
import { $, clear, el, errorLines } from "./dom.js";

const CHOSEN = "castwright.voice";
const PREFERRED = ["isaac", "sara", "joanna"];

function describe(voice) {
  return [voice.languageCode, voice.gender, voice.accent, voice.provider].filter(Boolean).join(" · ");
}

function haystack(voice) {
  return [voice.alias, voice.displayName, voice.accent, voice.language, voice.languageCode,
    voice.provider, ...(voice.tags || [])].join(" ").toLowerCase();
}

function fillSelect(select, values) {
  for (const value of [...new Set(values.filter(Boolean))].sort()) {
    select.append(el("option", { value, text: value }));
  }
}

export function createVoicePanel(studio) {
  const list = $("voice-list");
  const search = $("voice-search");
  const language = $("voice-language");
  const gender = $("voice-gender");
  const count = $("voice-count");
  const player = $("voice-sample-player");
  let rows = [];
  let playing = null;

  function choose(voice, { silent = false } = {}) {
    studio.voice = voice;
    sessionStorage.setItem(CHOSEN, voice.alias);
    for (const row of rows) {
      const chosen = row.voice === voice;
      row.item.classList.toggle("is-chosen", chosen);
      row.radio.checked = chosen;
    }
    if (!silent) studio.emit("voice-changed", voice);
  }

  function play(row) {
    if (playing === row && !player.paused) {
      player.pause();
      return;
    }
    player.src = row.voice.audioSample;
    player.play().catch((error) => {
      // AbortError: another sample was asked for before this one started; nothing is wrong.
      if (error.name !== "AbortError") count.textContent = `The sample could not play: ${error.message}`;
    });
    playing = row;
  }

  function syncButtons() {
    for (const row of rows) {
      const active = playing === row && !player.paused;
      row.button.textContent = active ? "Stop" : "Sample";
      row.button.setAttribute("aria-pressed", active ? "true" : "false");
    }
  }
  for (const event of ["play", "pause", "ended"]) player.addEventListener(event, syncButtons);

  function applyFilters() {
    const words = search.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
    let shown = 0;
    for (const row of rows) {
      const visible =
        (!language.value || row.voice.language === language.value) &&
        (!gender.value || row.voice.gender === gender.value) &&
        words.every((word) => row.text.includes(word));
      row.item.hidden = !visible;
      if (visible) shown += 1;
    }
    count.textContent = `${shown} of ${rows.length} voices`;
  }

  function render(voices) {
    clear(list);
    rows = voices.map((voice) => {
      const radio = el("input", { type: "radio", name: "voice", value: voice.alias, id: `voice-${voice.alias}` });
      radio.addEventListener("change", () => choose(voice));
      const button = el("button", {
        type: "button",
        class: "quiet",
        text: "Sample",
        "aria-label": `Play a sample of ${voice.displayName || voice.alias}`,
        "aria-pressed": "false",
      });
      const row = { voice, radio, button, text: haystack(voice) };
      button.addEventListener("click", () => play(row));
      row.item = el(
        "li",
        { dataset: { alias: voice.alias } },
        el(
          "label",
          { for: radio.id },
          radio,
          el("span", { class: "voice-name", text: voice.displayName || voice.alias }),
          el("span", { class: "voice-meta", text: `${voice.alias} · ${describe(voice)}` }),
        ),
        button,
      );
      list.append(row.item);
      return row;
    });
  }

  async function load() {
    count.textContent = "Loading voices…";
    try {
      const { data } = await api.get("/speech/voice", { query: { pageLimit: 1000 } });
      // Voices with a name of their own first (isaac, sara…), then the engines' own variants.
      const engineVariant = (voice) => (voice.alias.includes("-") ? 1 : 0);
      const voices = (data.voices || []).sort((a, b) => engineVariant(a) - engineVariant(b));
      fillSelect(language, voices.map((v) => v.language));
      fillSelect(gender, voices.map((v) => v.gender));
      render(voices);
      const remembered = sessionStorage.getItem(CHOSEN);
      const initial =
        voices.find((v) => v.alias === remembered) ||
        PREFERRED.map((alias) => voices.find((v) => v.alias === alias)).find(Boolean) ||
        voices[0];
      if (initial) {
        language.value = initial.language || "";
        choose(initial);
      }
      applyFilters();
      const chosen = rows.find((row) => row.voice === studio.voice);
      if (chosen) list.scrollTop = chosen.item.offsetTop; // the list is positioned: offsets are its own
    } catch (error) {
      count.textContent = `Voices could not be loaded: ${errorLines(error).join(" ")}`;
    }
  }

  for (const control of [search, language, gender]) control.addEventListener("input", applyFilters);
  return { load, choose };
}
