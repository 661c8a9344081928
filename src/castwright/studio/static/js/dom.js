// Building the page from data. Text always goes in as text (textContent, text nodes), never
// as markup, so a server string can never become HTML however it is spelt.

/**
 * el("button", {class: "quiet", type: "button", on: {click}}, "Play")
 * Keys: class, text, dataset, on (event handlers), hidden, and any attribute. Children are
 * nodes or strings (strings become text nodes).
 */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key === "dataset") Object.assign(node.dataset, value);
    else if (key === "on") {
      for (const [event, handler] of Object.entries(value)) node.addEventListener(event, handler);
    } else if (key === "hidden") node.hidden = true;
    else if (key.startsWith("on") || key === "style" || key === "innerHTML") {
      throw new Error(`el(): ${key} is not allowed; use the "on" map or a class`);
    } else node.setAttribute(key, value === true ? "" : String(value));
  }
  append(node, children);
  return node;
}

export function append(node, children) {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export function clear(node) {
  node.replaceChildren();
  return node;
}

export const $ = (id) => document.getElementById(id);

export function setStatus(node, text, kind = "") {
  node.textContent = text;
  node.classList.toggle("is-error", kind === "error");
  node.classList.toggle("is-ok", kind === "ok");
}

export function seconds(value) {
  if (value === null || value === undefined || !Number.isFinite(Number(value))) return "–";
  const total = Number(value);
  if (total < 60) return `${total.toFixed(1)} s`;
  const minutes = Math.floor(total / 60);
  return `${minutes}:${(total - minutes * 60).toFixed(1).padStart(4, "0")}`;
}

export function bytes(value) {
  if (!Number.isFinite(value)) return "–";
  if (value < 1024) return `${value} B`;
  const units = ["KB", "MB", "GB", "TB"];
  let size = value / 1024;
  let unit = 0;
  while (size >= 1024 && unit < units.length - 1) {
    size /= 1024;
    unit += 1;
  }
  return `${size.toFixed(size < 10 ? 1 : 0)} ${units[unit]}`;
}

export function dateTime(iso) {
  if (!iso) return "–";
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? "–" : date.toLocaleString();
}

export function debounce(fn, wait) {
  let timer = 0;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), wait);
  };
}

/** An error as the person reading the page should see it: the message and each problem. */
export function errorLines(error) {
  if (error && Array.isArray(error.errors) && error.errors.length) {
    const lines = error.errors.filter((line) => line && line !== error.message);
    return [error.message, ...lines];
  }
  return [error && error.message ? error.message : String(error)];
}
