// The library view: browse folders (GET /folders), search every file by name
// (GET /content/file/search), upload by drag and drop or the file picker with progress
// (POST /files, then the bytes PUT to the signed URL), play and measure, delete.

import * as api from "./api.js";
import { $, bytes, clear, dateTime, el, errorLines, seconds, setStatus } from "./dom.js";
import { attachPlots, drawWaveform } from "./plots.js";

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Both file shapes (SDK 4.0 and legacy search results) as one. */
function normalise(file) {
  const legacy = typeof file.fileType === "string";
  const status = file.status === "uploaded" || file.status === "ready" ? "ready" : file.status;
  return {
    id: file.fileId,
    name: legacy ? file.filePath : file.fileName,
    kind: legacy ? file.fileType : (file.fileType && file.fileType.name) || "",
    size: file.size,
    duration: legacy ? file.fileMetadata && file.fileMetadata.data && file.fileMetadata.data.length : file.duration,
    status,
    url: file.url,
    created: legacy ? file.dateCreated : file.createdAt,
    failReason: file.failReason,
  };
}

export function createLibrary(studio) {
  const rows = $("library-rows");
  const crumbs = $("library-crumbs");
  const status = $("library-status");
  const uploads = $("uploads");
  const dropzone = $("dropzone");
  const picker = $("upload-input");
  const query = $("library-query");
  const detail = $("file-detail");
  const player = $("file-player");
  const canvas = $("file-waveform");
  let folder = null;
  let analysis = null;

  const redraw = attachPlots(player, [(position) => analysis && drawWaveform(canvas, analysis, position)], canvas);

  function showCrumbs(chain) {
    clear(crumbs);
    chain.forEach((item, index) => {
      const last = index === chain.length - 1;
      const label = index === 0 ? "Library" : item.folderName;
      crumbs.append(
        el(
          "li",
          {},
          last
            ? el("span", { "aria-current": "location", text: label })
            : el("button", { type: "button", text: label, on: { click: () => open(item.folderId) } }),
        ),
      );
    });
  }

  function folderRow(child) {
    return el(
      "tr",
      { dataset: { folder: child.folderName } },
      el("td", {}, el("button", { type: "button", class: "folder-name", text: `${child.folderName}/`, on: { click: () => open(child.folderId) } })),
      el("td", { text: "folder" }),
      el("td", { text: "" }),
      el("td", { text: "" }),
      el("td", { text: dateTime(child.createdAt) }),
      el("td", {}),
    );
  }

  function fileRow(file) {
    const ready = file.status === "ready";
    const actions = el("td", { class: "actions" });
    if (ready && ["audio", "video"].includes(file.kind)) {
      actions.append(el("button", { type: "button", text: "Play", "aria-label": `Play ${file.name}`, on: { click: () => show(file) } }));
    }
    if (ready && file.url) actions.append(el("a", { href: file.url, text: "Download", "aria-label": `Download ${file.name}` }));
    actions.append(
      el("button", { type: "button", class: "danger", text: "Delete", "aria-label": `Delete ${file.name}`, on: { click: () => remove(file) } }),
    );
    const state = file.status === "failed"
      ? el("span", { class: "failed", text: `failed: ${file.failReason || "unknown reason"}` })
      : file.status === "ready" ? file.kind : file.status;
    return el(
      "tr",
      { dataset: { file: file.name } },
      el("td", { text: file.name }),
      el("td", {}, state),
      el("td", { text: file.duration ? seconds(file.duration) : "–" }),
      el("td", { text: bytes(file.size) }),
      el("td", { text: dateTime(file.created) }),
      actions,
    );
  }

  async function open(folderId = null) {
    setStatus(status, "Loading…");
    try {
      const { data } = await api.get(folderId ? `/folders/${folderId}` : "/folders");
      const listing = data.data;
      folder = listing.currentPathChain[listing.currentPathChain.length - 1];
      showCrumbs(listing.currentPathChain);
      clear(rows).append(...listing.folders.map(folderRow), ...listing.files.map((f) => fileRow(normalise(f))));
      const count = listing.folders.length + listing.files.length;
      const plural = (n, word) => `${n} ${word}${n === 1 ? "" : "s"}`;
      setStatus(status, count ? `${plural(listing.files.length, "file")}, ${plural(listing.folders.length, "folder")}` : "This folder is empty.");
    } catch (error) {
      setStatus(status, `The library could not be loaded: ${errorLines(error).join(" ")}`, "error");
    }
  }

  async function search(term) {
    if (!term) return open(folder && folder.folderId);
    setStatus(status, "Searching…");
    try {
      const { data } = await api.get("/content/file/search", { query: { name: term, pageLimit: 200 } });
      const found = (data.items || []).map(normalise);
      clear(rows).append(...found.map(fileRow));
      setStatus(status, `${found.length} ${found.length === 1 ? "file matches" : "files match"} “${term}”.`);
    } catch (error) {
      setStatus(status, `Search failed: ${errorLines(error).join(" ")}`, "error");
    }
  }

  async function show(file) {
    detail.hidden = false;
    $("file-detail-title").textContent = file.name;
    player.src = file.url;
    analysis = null;
    redraw();
    $("file-summary").textContent = "Measuring…";
    try {
      const { data } = await api.get(`/files/${file.id}/analysis`);
      analysis = data;
      redraw();
      const l = data.loudness;
      $("file-summary").textContent = `${seconds(data.duration)} · ${data.sampleRate} Hz · ${data.channels} ch · ` +
        `${l.integrated === null ? "silent" : `${l.integrated.toFixed(1)} LUFS`} · true peak ${l.truePeak === null ? "–" : `${l.truePeak.toFixed(1)} dBTP`}`;
    } catch (error) {
      $("file-summary").textContent = `Not measured: ${errorLines(error).join(" ")}`;
    }
  }

  async function remove(file) {
    if (!window.confirm(`Delete ${file.name}? This cannot be undone.`)) return;
    try {
      await api.del(`/files/${file.id}`);
      studio.emit("library-changed");
      await refresh();
      setStatus(status, `Deleted ${file.name}.`, "ok");
    } catch (error) {
      setStatus(status, `Not deleted: ${errorLines(error).join(" ")}`, "error");
    }
  }

  function refresh() {
    return query.value.trim() ? search(query.value.trim()) : open(folder && folder.folderId);
  }

  async function upload(file) {
    const bar = el("progress", { max: 100, value: 0, "aria-label": `Uploading ${file.name}` });
    const state = el("span", { class: "upload-state", text: "Starting…" });
    uploads.prepend(el("li", { dataset: { upload: file.name } }, el("span", { text: file.name }), bar, state));
    const say = (text, kind = "") => {
      state.textContent = text;
      state.className = `upload-state${kind ? ` is-${kind}` : ""}`;
    };
    try {
      const { data } = await api.post("/files", { file_name: file.name, folder_id: folder && folder.folderId });
      await api.uploadBytes(data.uploadUrl, file, data.mimeType, (fraction) => {
        bar.value = Math.round(fraction * 100);
        say(`Uploading ${Math.round(fraction * 100)}%`);
      });
      bar.value = 100;
      say("Checking the file…");
      for (let wait = 300; ; wait = Math.min(wait * 1.5, 2000)) {
        const { data: current } = await api.get(`/files/${data.fileId}`);
        if (current.status === "uploaded") {
          say(`Ready${current.duration ? ` · ${seconds(current.duration)}` : ""}`, "ok");
          break;
        }
        if (current.status === "failed") {
          say(`Failed: ${current.failReason || "the file could not be read"}`, "error");
          break;
        }
        await sleep(wait);
      }
    } catch (error) {
      say(`Failed: ${errorLines(error).join(" ")}`, "error");
    }
    studio.emit("library-changed");
    await refresh();
  }

  function uploadAll(files) {
    return Promise.all([...files].map(upload));
  }

  picker.addEventListener("change", () => {
    uploadAll(picker.files).finally(() => {
      picker.value = "";
    });
  });
  for (const type of ["dragenter", "dragover"]) {
    dropzone.addEventListener(type, (event) => {
      event.preventDefault();
      dropzone.classList.add("is-over");
    });
  }
  for (const type of ["dragleave", "drop"]) dropzone.addEventListener(type, () => dropzone.classList.remove("is-over"));
  dropzone.addEventListener("drop", (event) => {
    event.preventDefault();
    if (event.dataTransfer && event.dataTransfer.files.length) uploadAll(event.dataTransfer.files);
  });
  $("library-search").addEventListener("submit", (event) => {
    event.preventDefault();
    search(query.value.trim());
  });

  return { open, refresh };
}
