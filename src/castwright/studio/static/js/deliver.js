// Panel 6: deliver. Encodes the mix in any encoder preset (POST /delivery/encoder, polled),
// optionally to a loudness preset, and offers each encode as a download link.

import * as api from "./api.js";
import { $, clear, el, errorLines, seconds } from "./dom.js";
import { JobView, runJob } from "./jobs.js";

export function createDeliverPanel(studio) {
  const preset = $("encode-preset");
  const loudness = $("encode-loudness");
  const button = $("encode");
  const hint = $("encode-hint");
  const downloads = $("downloads");
  const view = new JobView($("encode-job"));

  async function load() {
    try {
      const { data } = await api.get("/delivery/encoder/presets");
      for (const p of data.presets || []) {
        preset.append(el("option", { value: p.name, text: `${p.name}: ${p.description}` }));
      }
      for (const l of data.loudnessPresets || []) {
        loudness.append(el("option", { value: l.name, text: `${l.name} (${l.loudnessTarget} LUFS)` }));
      }
      if ((data.presets || []).some((p) => p.name === "mp3")) preset.value = "mp3";
    } catch (error) {
      hint.textContent = `Encoder presets could not be loaded: ${errorLines(error).join(" ")}`;
    }
  }

  function offer(encoding, production) {
    const base = (production.scriptName || "mix").replace(/[^\w.-]+/g, "_") || "mix";
    const name = `${base}.${encoding.format}`;
    const link = el("a", { href: encoding.url, download: name, text: `Download ${name}` });
    const loud = encoding.loudness && Number.isFinite(encoding.loudness.integrated)
      ? `, ${encoding.loudness.integrated.toFixed(1)} LUFS`
      : "";
    downloads.prepend(
      el(
        "li",
        { dataset: { format: encoding.format } },
        link,
        el("span", { class: "hint", text: ` ${encoding.preset} · ${seconds(encoding.duration)}${loud}` }),
      ),
    );
    link.focus();
  }

  async function encode() {
    const production = studio.production;
    if (!production) return;
    const body = {
      productionId: production.productionId,
      preset: preset.value,
      loudnessPreset: loudness.value || undefined,
    };
    const encoding = await runJob(
      view,
      "Encoding",
      () => api.post("/delivery/encoder", body),
      (data) => `/delivery/encoder/${data.encoderId}`,
    );
    view.finish(`Encoded as ${encoding.preset}.`);
    offer(encoding, production);
  }

  studio.on("mix-rendered", () => {
    button.disabled = false;
    hint.textContent = "Choose a format and encode the mix.";
    clear(downloads);
  });
  button.addEventListener("click", () => encode().catch(() => {}));
  return { load };
}
