// Long work on the server (speech, mixes, encodes): create, then poll while it answers 202,
// showing what it is doing and for how long; a failure shows the server's reason.

import { get } from "./api.js";
import { clear, el, errorLines } from "./dom.js";

const STATES = {
  queued: "waiting for a worker",
  in_progress: "working",
  running: "working",
  pending: "waiting",
};

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export class JobView {
  constructor(container) {
    this.container = container;
    this.timer = 0;
  }

  start(label) {
    this.label = label;
    this.started = performance.now();
    this.state = "starting";
    this.progress = el("progress", { "aria-label": label });
    this.text = el("span", { class: "job-text" });
    clear(this.container).append(
      el("div", { class: "job-line", role: "status" }, this.progress, this.text),
    );
    this.container.setAttribute("aria-busy", "true");
    clearInterval(this.timer);
    this.timer = setInterval(() => this.render(), 500);
    this.render();
  }

  update(state, progress) {
    this.state = state || this.state;
    if (Number.isFinite(progress)) {
      this.progress.max = 100;
      this.progress.value = progress;
    }
    this.render();
  }

  render() {
    const elapsed = ((performance.now() - this.started) / 1000).toFixed(0);
    const state = STATES[this.state] || this.state;
    this.text.textContent = `${this.label}: ${state} · ${elapsed} s`;
  }

  finish(text) {
    this.stop();
    const took = ((performance.now() - this.started) / 1000).toFixed(1);
    clear(this.container).append(
      el("p", { class: "job-text", role: "status" }, text || `${this.label}: done in ${took} s`),
    );
  }

  fail(title, error) {
    this.stop();
    const [message, ...reasons] = errorLines(error);
    // "Mix failed" under "Mixing failed" says nothing new: the reasons below it do.
    const restated = /\bfailed$/i.test(message) && reasons.length > 0;
    const box = el(
      "div",
      { class: "job-error", role: "alert" },
      el("strong", { text: title }),
      restated ? null : el("span", { text: message }),
      reasons.length ? el("ul", {}, reasons.map((reason) => el("li", { text: reason }))) : null,
    );
    clear(this.container).append(box);
  }

  stop() {
    clearInterval(this.timer);
    this.container.removeAttribute("aria-busy");
  }
}

/** GET `path` until it stops answering 202; the finished object, or the failure thrown. */
export async function waitFor(path, view) {
  let delay = 250;
  for (;;) {
    const { status, data } = await get(path);
    if (status !== 202) return data;
    view.update(data && data.status, data && data.progress);
    await sleep(delay);
    delay = Math.min(delay * 1.5, 1500);
  }
}

/**
 * Run one job: `create()` answers the POST's {status, data}; a 202 is polled at
 * `pollPath(data)`. Resolves with the finished object; rejects after showing the failure.
 */
export async function runJob(view, label, create, pollPath) {
  view.start(label);
  try {
    const created = await create();
    let data = created.data;
    if (created.status === 202) {
      view.update(data && data.status, data && data.progress);
      data = await waitFor(pollPath(data), view);
    }
    view.finish();
    return data;
  } catch (error) {
    view.fail(`${label} failed`, error);
    throw error;
  }
}
