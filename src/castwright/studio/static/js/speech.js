// Panel 4: speech. Saves the script if it changed, renders it with the chosen voice, speed
// and placeholder values (POST /speech/tts, polled), and lists each section with a player.

import * as api from "./api.js";
import { $, clear, debounce, el, seconds } from "./dom.js";
import { placeholdersIn } from "./editor.js";
import { JobView, runJob } from "./jobs.js";

export function createSpeechPanel(studio, scriptPanel) {
  const speedInput = $("speech-speed");
  const audienceBox = $("audience");
  const audienceFields = $("audience-fields");
  const list = $("speech-sections");
  const view = new JobView($("speech-job"));
  const values = new Map(); // placeholder id -> what the person typed, kept across edits

  studio.speed = () => {
    const speed = Number(speedInput.value);
    return Number.isFinite(speed) && speed >= 0.5 && speed <= 3 ? speed : 1;
  };
  speedInput.addEventListener("input", () => studio.emit("speed-changed", studio.speed()));

  function showPlaceholders(text) {
    const found = placeholdersIn(text);
    clear(audienceFields);
    audienceBox.hidden = found.size === 0;
    for (const [id, fallback] of found) {
      const input = el("input", {
        id: `audience-${id}`,
        type: "text",
        value: values.get(id) ?? "",
        placeholder: fallback || "required: no default",
        dataset: { placeholder: id },
      });
      input.addEventListener("input", () => values.set(id, input.value));
      audienceFields.append(el("div", { class: "field" }, el("label", { for: input.id, text: id }), input));
    }
  }

  function audience() {
    const result = {};
    for (const input of audienceFields.querySelectorAll("input")) {
      if (input.value.trim()) result[input.dataset.placeholder] = input.value.trim();
    }
    return result;
  }

  function requestFor(script) {
    return {
      scriptId: script.id,
      version: script.version,
      voice: studio.voice ? studio.voice.alias : undefined,
      speed: studio.speed(),
      audience: audience(),
      sync: false, // answer at once and let the page show the progress
    };
  }

  function showSections(speech) {
    clear(list);
    for (const section of speech.sections || []) {
      const label = section.sectionName + (section.parentSectionName ? ` (in ${section.parentSectionName})` : "");
      const combo = Object.entries(section.audience || {}).map(([k, v]) => `${k}=${v}`).join(", ");
      list.append(
        el(
          "li",
          { dataset: { section: section.sectionName } },
          el(
            "div",
            { class: "section-head" },
            el("strong", { text: label }),
            el("span", {
              class: "meta",
              text: [seconds(section.duration), section.voice, combo].filter(Boolean).join(" · "),
            }),
          ),
          el("audio", { controls: true, preload: "none", src: section.url, "aria-label": `Section ${label}` }),
        ),
      );
    }
  }

  async function render() {
    clear(list);
    let script;
    try {
      script = await scriptPanel.save();
    } catch (error) {
      view.start("Rendering speech");
      view.fail("Render failed", error.status === 422 ? new Error("The script has errors: see the script panel.") : error);
      throw error;
    }
    const body = requestFor(script);
    const speech = await runJob(
      view,
      "Rendering speech",
      () => api.post("/speech/tts", body),
      (data) => `/speech/tts/${data.speechId}`,
    );
    studio.speech = { ...speech, request: JSON.stringify(body) };
    const count = speech.sections.length;
    view.finish(`Rendered ${count} ${count === 1 ? "section" : "sections"}, ${seconds(speech.duration)} in all.`);
    showSections(speech);
    studio.emit("speech-rendered", studio.speech);
    return studio.speech;
  }

  /** The rendered speech if it matches the script and settings now; otherwise render it. */
  async function current() {
    const speech = studio.speech;
    if (speech && !scriptPanel.dirty && speech.request === JSON.stringify(requestFor(studio.script))) {
      return speech;
    }
    return render();
  }

  $("render-speech").addEventListener("click", () => render().catch(() => {}));
  studio.on("script-changed", debounce(showPlaceholders, 300));
  showPlaceholders(scriptPanel.text);
  return { render, current };
}
