// Panel 5: mix and master. A sound template and a mastering preset over the rendered speech
// (POST /production/mix, polled), then the mix's waveform and loudness over time against the
// preset's target, from GET /files/{fileId}/analysis.

import * as api from "./api.js";
import { $, clear, debounce, el, errorLines, seconds } from "./dom.js";
import { JobView, runJob } from "./jobs.js";
import { attachPlots, drawLoudness, drawWaveform } from "./plots.js";

const MEDIA_TAG = /<as:media\b[^>]*>/gi;
const ATTR = (name) => new RegExp(`\\b${name}\\s*=\\s*("([^"]*)"|'([^']*)')`, "i");

function mediaTags(text) {
  const tags = new Map();
  for (const [tag] of text.matchAll(MEDIA_TAG)) {
    const id = ATTR("id").exec(tag);
    const name = ATTR("name").exec(tag);
    const key = (id && (id[2] ?? id[3])) || (name && (name[2] ?? name[3]));
    if (key) tags.set(key, (name && (name[2] ?? name[3])) || key);
  }
  return tags;
}

export function createMixPanel(studio, scriptPanel, speechPanel) {
  const template = $("mix-template");
  const preset = $("mix-preset");
  const presetHelp = $("mix-preset-help");
  const view = new JobView($("mix-job"));
  const result = $("mix-result");
  const player = $("mix-player");
  const waveform = $("waveform");
  const loudness = $("loudness");
  const summary = $("loudness-summary");
  const warnings = $("mix-warnings");
  const mediaBox = $("media-mapping");
  const mediaFields = $("media-fields");
  let presets = [];
  let analysis = null;
  let target = null;
  let libraryFiles = null;

  const redraw = attachPlots(
    player,
    [
      (position) => analysis && drawWaveform(waveform, analysis, position),
      (position) => {
        if (analysis) loudness.setAttribute("aria-label", drawLoudness(loudness, analysis, target, position));
      },
    ],
    waveform,
  );

  function describePreset() {
    const chosen = presets.find((p) => p.name === preset.value);
    presetHelp.textContent = chosen ? chosen.description : "";
  }

  async function load() {
    try {
      const [{ data: templates }, { data: mastering }] = await Promise.all([
        api.get("/production/sound/template"),
        api.get("/production/mix/presets"),
      ]);
      for (const t of templates.templates || []) {
        template.append(el("option", { value: t.name, text: t.description ? `${t.name}: ${t.description}` : t.name }));
      }
      presets = mastering.presets || [];
      clear(preset);
      for (const p of presets) preset.append(el("option", { value: p.name, text: p.name }));
      if (presets.some((p) => p.name === "balanced")) preset.value = "balanced";
      describePreset();
    } catch (error) {
      view.start("Loading templates");
      view.fail("Templates and presets could not be loaded", error);
    }
  }

  async function showMedia(text) {
    const tags = mediaTags(text);
    mediaBox.hidden = tags.size === 0;
    if (!tags.size) {
      clear(mediaFields);
      return;
    }
    if (libraryFiles === null) {
      try {
        const { data } = await api.get("/content/file/search", { query: { pageLimit: 200 } });
        libraryFiles = (data.items || []).filter((f) => f.status !== "failed");
      } catch {
        libraryFiles = [];
      }
    }
    const chosen = new Map([...mediaFields.querySelectorAll("select")].map((s) => [s.dataset.media, s.value]));
    clear(mediaFields);
    for (const [id, name] of tags) {
      const select = el("select", { id: `media-${id}`, dataset: { media: id } }, el("option", { value: "", text: "Skip it" }));
      for (const file of libraryFiles) {
        select.append(el("option", { value: file.fileId, text: `${file.filePath} (${file.fileType})` }));
      }
      select.value = chosen.get(id) || "";
      mediaFields.append(el("div", { class: "field" }, el("label", { for: select.id, text: `Media “${name}”` }), select));
    }
  }

  function mixRequest(speech) {
    const mediaFiles = {};
    for (const select of mediaFields.querySelectorAll("select")) {
      if (select.value) mediaFiles[select.dataset.media] = select.value;
    }
    return {
      speechId: speech.speechId,
      soundTemplate: template.value || undefined,
      masteringPreset: preset.value || undefined,
      mediaFiles,
      // Media left unmapped is skipped with a warning rather than refused.
      strictValidation: false,
    };
  }

  async function showResult(production) {
    const mix = (production.files || []).find((f) => f.kind === "mix") || production.files[0];
    result.hidden = false;
    player.src = mix.url;
    clear(warnings);
    for (const warning of production.warnings || []) warnings.append(el("li", { text: warning }));
    const chosen = presets.find((p) => p.name === production.masteringPreset);
    target = chosen && Number.isFinite(chosen.loudnessTarget) ? chosen.loudnessTarget : null;
    summary.textContent = "Measuring the mix…";
    try {
      const { data } = await api.get(`/files/${mix.fileId}/analysis`);
      analysis = data;
      redraw();
      summary.replaceChildren(...summaryParts(data.loudness, target, data.duration));
    } catch (error) {
      summary.textContent = `The mix could not be measured: ${errorLines(error).join(" ")}`;
    }
  }

  async function render() {
    let speech;
    try {
      speech = await speechPanel.current();
    } catch {
      view.start("Mixing");
      view.fail("Mix not started", new Error("The speech could not be rendered: see the speech panel."));
      return;
    }
    result.hidden = true;
    analysis = null;
    const body = mixRequest(speech);
    const production = await runJob(
      view,
      "Mixing",
      () => api.post("/production/mix", body),
      (data) => `/production/mix/${data.productionId}`,
    );
    studio.production = production;
    const length = (production.files || [])[0];
    view.finish(`Mixed with ${production.soundTemplate || "no music"}, mastered ${production.masteringPreset}${length ? `, ${seconds(length.duration)}` : ""}.`);
    studio.emit("mix-rendered", production);
    await showResult(production);
  }

  preset.addEventListener("change", describePreset);
  $("render-mix").addEventListener("click", () => render().catch(() => {}));
  studio.on("script-changed", debounce(showMedia, 400));
  studio.on("library-changed", () => {
    libraryFiles = null;
  });
  showMedia(scriptPanel.text);
  return { load };
}

function summaryParts(measured, target, duration) {
  const integrated = measured.integrated;
  const parts = [`Integrated ${integrated === null ? "silent" : `${integrated.toFixed(1)} LUFS`}`];
  const nodes = [];
  if (target !== null && integrated !== null) {
    const off = integrated - target;
    const onTarget = Math.abs(off) <= 1;
    const verdict = document.createElement("span");
    verdict.className = onTarget ? "on-target" : "off-target";
    verdict.textContent = onTarget ? `on target (${target} LUFS)` : `${off > 0 ? "+" : ""}${off.toFixed(1)} LU from the ${target} LUFS target`;
    nodes.push(`${parts[0]}, `, verdict);
  } else {
    nodes.push(parts[0]);
  }
  const peak = measured.truePeak === null ? "–" : `${measured.truePeak.toFixed(1)} dBTP`;
  nodes.push(` · true peak ${peak} · range ${measured.range.toFixed(1)} LU · ${seconds(duration)}`);
  return nodes;
}
