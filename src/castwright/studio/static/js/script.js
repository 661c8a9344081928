// Panel 1: the script. Saving creates the script (then a new version per change); while
// the person types, POST /speech/predict says how long it will run and, since it parses the
// markup, where it is wrong.

import * as api from "./api.js";
import { $, debounce, errorLines, seconds } from "./dom.js";
import { ScriptEditor } from "./editor.js";

const DRAFT = "castwright.scriptDraft";
const STARTER = [
  '<as:section name="intro" soundsegment="intro">Hello <as:placeholder id="name">friend',
  "</as:placeholder>, and welcome to the show.</as:section>",
  '\n<as:section name="main" soundsegment="main">Write your script here.',
  '<as:break time="300ms"/> Each section is rendered on its own.</as:section>\n',
].join("");

/** Errors the parser pins to the text (an offset, or the text fields themselves). */
function isTextError(line) {
  return /at offset \d+/.test(line) || /^(scriptText|text)\b/.test(line);
}

export function createScriptPanel(studio) {
  const predicted = $("predicted");
  const savedState = $("saved-state");
  const nameInput = $("script-name");
  const editor = new ScriptEditor({
    input: $("script-text"),
    backdrop: $("script-highlight"),
    errorList: $("script-errors"),
    onChange: (text) => {
      sessionStorage.setItem(DRAFT, text);
      showSaved();
      predictSoon();
      studio.emit("script-changed", text);
    },
  });
  editor.text = sessionStorage.getItem(DRAFT) ?? STARTER;
  studio.script = { id: null, version: null, text: null, name: null, sections: [] };

  function dirty() {
    const saved = studio.script;
    return !saved.id || saved.text !== editor.text || saved.name !== currentName();
  }

  function currentName() {
    return nameInput.value.trim() || "untitled";
  }

  function showSaved() {
    const saved = studio.script;
    if (!saved.id) savedState.textContent = "Not saved yet";
    else if (dirty()) savedState.textContent = `Changed since ${saved.version}`;
    else savedState.textContent = `Saved (${saved.version})`;
  }

  /** The script as the server has it, saving first when it changed. 422s mark the text. */
  async function save() {
    if (!dirty()) return studio.script;
    const text = editor.text;
    const name = currentName();
    const body = { scriptText: text, scriptName: name, projectName: "studio" };
    try {
      const { data } = studio.script.id
        ? await api.put("/content/script", { ...body, scriptId: studio.script.id })
        : await api.post("/content/script", body);
      studio.script = {
        id: data.scriptId,
        version: data.version,
        text,
        name,
        sections: data.sections || [],
      };
      editor.setErrors([]);
      showSaved();
      studio.emit("script-saved", studio.script);
      return studio.script;
    } catch (error) {
      if (error.status === 422) {
        const lines = error.errors.length ? error.errors : [error.message];
        editor.setErrors(lines);
        savedState.textContent = "Not saved: the script has errors";
      } else {
        savedState.textContent = `Not saved: ${errorLines(error).join(" ")}`;
      }
      throw error;
    }
  }

  // -- predicted length ------------------------------------------------------------------
  let predictable = true;
  let inFlight = null;

  async function predict() {
    const voice = studio.voice && studio.voice.alias;
    const text = editor.text;
    if (!predictable || !voice) return;
    if (!text.trim()) {
      predicted.textContent = "";
      return;
    }
    if (inFlight) inFlight.abort();
    const controller = new AbortController();
    inFlight = controller;
    predicted.textContent = "Predicting length…";
    try {
      const { data } = await api.post("/speech/predict", { text, voice }, { signal: controller.signal });
      if (controller.signal.aborted || text !== editor.text) return;
      const speed = studio.speed();
      predicted.replaceChildren("Predicted length ");
      const figure = document.createElement("strong");
      figure.textContent = seconds(data.length / speed);
      predicted.append(figure, ` with ${data.voice || voice}${speed !== 1 ? ` at ${speed}×` : ""}`);
      editor.setErrors([]);
    } catch (error) {
      if (error.name === "AbortError" || controller.signal.aborted) return;
      if ((error.status === 404 && /^No route/.test(error.message)) || error.status === 405) {
        // This server has no length prediction yet: say so once and stop asking.
        predictable = false;
        predicted.textContent = "Length prediction is not available on this server";
        return;
      }
      const lines = error.errors.length ? error.errors : [error.message];
      const textLines = lines.filter(isTextError);
      if (error.status === 422 && textLines.length) {
        editor.setErrors(textLines);
        predicted.textContent = "Length: fix the script first";
      } else {
        predicted.textContent = `Length unknown: ${errorLines(error).join(" ")}`;
      }
    } finally {
      if (inFlight === controller) inFlight = null;
    }
  }
  const predictSoon = debounce(predict, 450);

  // -- buttons ---------------------------------------------------------------------------
  $("save-script").addEventListener("click", () => save().catch(() => {}));
  nameInput.addEventListener("input", showSaved);
  $("insert-section").addEventListener("click", () => {
    const count = (editor.text.match(/<as:section\b/gi) || []).length + 1;
    editor.insert(`\n<as:section name="section${count}">New section.</as:section>\n`);
  });
  $("insert-placeholder").addEventListener("click", () =>
    editor.insert('<as:placeholder id="name">default</as:placeholder>'),
  );

  studio.on("voice-changed", predictSoon);
  studio.on("speed-changed", predictSoon);
  showSaved();
  return {
    save,
    get text() {
      return editor.text;
    },
    get dirty() {
      return dirty();
    },
    predict,
  };
}
