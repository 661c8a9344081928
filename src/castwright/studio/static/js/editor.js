// The script editor: a real <textarea> (keyboard, screen readers, undo all native) over a
// highlighted copy of its text, built from text nodes. The server's parser reports errors
// as "... at offset N ..." (N counts characters, as Python does); they are marked in place
// and listed under the editor with a button that puts the caret there.

import { clear, el } from "./dom.js";

const TOKEN = /<\/?[A-Za-z][\w:.-]*(?:\s(?:[^<>"']|"[^"]*"|'[^']*')*)?\/?>|\{\{[^{}]*\}\}|<<[^<>]*>>/g;
const ATTRIBUTE = /([\w:.-]+)(\s*=\s*)("[^"]*"|'[^']*'|[^\s"'>/]+)/g;
const OFFSET = /\bat offset (\d+)/;

function tagClass(tag) {
  const name = (tag.match(/^<\/?([\w:.-]+)/) || [])[1]?.toLowerCase() || "";
  if (name === "as:section" || name === "as:sub") return "tok-section";
  if (name === "as:placeholder") return "tok-placeholder";
  return "tok-tag";
}

/** Code point offsets (the server's) to UTF-16 indexes (the textarea's). */
export function indexOfCodePoint(text, offset) {
  let index = 0;
  for (let seen = 0; seen < offset && index < text.length; seen += 1) {
    index += text.codePointAt(index) > 0xffff ? 2 : 1;
  }
  return index;
}

function lineAndColumn(text, index) {
  const before = text.slice(0, index);
  const line = before.split("\n").length;
  return { line, column: index - before.lastIndexOf("\n") };
}

/** Where an error sits: from its offset to the end of the tag starting there. */
function errorRange(text, message) {
  const match = OFFSET.exec(message);
  if (!match) return null;
  const start = indexOfCodePoint(text, Number(match[1]));
  const close = text.indexOf(">", start);
  const end = close === -1 ? Math.min(text.length, start + 1) : close + 1;
  return { start, end: Math.max(end, start + 1) };
}

export class ScriptEditor {
  constructor({ input, backdrop, errorList, onChange }) {
    this.input = input;
    this.backdrop = backdrop;
    this.errorList = errorList;
    this.onChange = onChange;
    this.errors = [];
    input.addEventListener("input", () => {
      this.errors = []; // offsets no longer match the text; the next check brings new ones
      this.paint();
      this.onChange(this.text);
    });
    input.addEventListener("scroll", () => this.syncScroll());
    // Re-measure when the panel changes width (the window, or the layout's breakpoint).
    new ResizeObserver(() => this.syncScroll()).observe(input.parentElement);
  }

  get text() {
    return this.input.value;
  }

  set text(value) {
    this.input.value = value;
    this.errors = [];
    this.paint();
  }

  /** Server errors (strings); those with an offset are marked in the text. */
  setErrors(messages) {
    this.errors = messages.map((message) => ({ message, range: errorRange(this.text, message) }));
    this.paint();
  }

  insert(snippet) {
    const { selectionStart: start, selectionEnd: end } = this.input;
    this.input.focus();
    this.input.setRangeText(snippet, start, end, "end");
    this.input.dispatchEvent(new Event("input"));
  }

  paint() {
    const text = this.text;
    const marks = this.errors.map((e) => e.range).filter(Boolean);
    const fragment = document.createDocumentFragment();
    let cursor = 0;
    let insidePlaceholder = false;
    const emit = (from, to, className) => {
      if (to > from) fragment.append(...this.pieces(text, from, to, className, marks));
    };
    for (const match of text.matchAll(TOKEN)) {
      emit(cursor, match.index, insidePlaceholder ? "tok-placeholder-text" : "");
      const tag = match[0];
      const kind = tagClass(tag);
      if (kind === "tok-placeholder") insidePlaceholder = !tag.startsWith("</") && !tag.endsWith("/>");
      this.emitTag(fragment, text, match.index, tag, kind, marks);
      cursor = match.index + tag.length;
    }
    emit(cursor, text.length, insidePlaceholder ? "tok-placeholder-text" : "");
    // A trailing newline needs a character after it to take up its line in the <pre>.
    fragment.append(document.createTextNode("\n "));
    clear(this.backdrop).append(fragment);
    this.input.setAttribute("aria-invalid", this.errors.length ? "true" : "false");
    this.listErrors();
    this.syncScroll();
  }

  emitTag(fragment, text, start, tag, kind, marks) {
    if (tag.startsWith("{{") || tag.startsWith("<<")) {
      fragment.append(...this.pieces(text, start, start + tag.length, "tok-placeholder", marks));
      return;
    }
    let cursor = 0;
    for (const attr of tag.matchAll(ATTRIBUTE)) {
      const at = attr.index;
      fragment.append(...this.pieces(text, start + cursor, start + at, kind, marks));
      const nameEnd = at + attr[1].length;
      const valueStart = nameEnd + attr[2].length;
      fragment.append(...this.pieces(text, start + at, start + nameEnd, "tok-attr", marks));
      fragment.append(...this.pieces(text, start + nameEnd, start + valueStart, kind, marks));
      fragment.append(
        ...this.pieces(text, start + valueStart, start + at + attr[0].length, "tok-value", marks),
      );
      cursor = at + attr[0].length;
    }
    fragment.append(...this.pieces(text, start + cursor, start + tag.length, kind, marks));
  }

  /** Spans for text[from, to), split where an error mark begins or ends. */
  pieces(text, from, to, className, marks) {
    const cuts = new Set([from, to]);
    for (const { start, end } of marks) {
      if (start > from && start < to) cuts.add(start);
      if (end > from && end < to) cuts.add(end);
    }
    const points = [...cuts].sort((a, b) => a - b);
    const nodes = [];
    for (let i = 0; i < points.length - 1; i += 1) {
      const [a, b] = [points[i], points[i + 1]];
      const inError = marks.some(({ start, end }) => a >= start && b <= end);
      const classes = [className, inError ? "tok-error" : ""].filter(Boolean).join(" ");
      const piece = text.slice(a, b);
      nodes.push(classes ? el("span", { class: classes, text: piece }) : document.createTextNode(piece));
    }
    return nodes;
  }

  listErrors() {
    clear(this.errorList);
    if (!this.errors.length) return;
    const items = this.errors.map(({ message, range }) => {
      const where = range ? lineAndColumn(this.text, range.start) : null;
      return el(
        "li",
        {},
        el("span", { text: where ? `Line ${where.line}, column ${where.column}: ${message}` : message }),
        range
          ? el("button", {
              type: "button",
              class: "quiet",
              text: "Show",
              "aria-label": `Show the error on line ${where.line}`,
              on: { click: () => this.select(range) },
            })
          : null,
      );
    });
    this.errorList.append(el("ul", { "aria-label": "Script errors" }, items));
  }

  select({ start, end }) {
    this.input.focus();
    this.input.setSelectionRange(start, end);
  }

  /** The textarea grows with its text instead of scrolling: a scrollbar would narrow it and
   * its lines would no longer wrap where the highlighted copy's do. */
  syncScroll() {
    this.input.style.height = "auto";
    this.input.style.height = `${this.input.scrollHeight + 2}px`;
    this.backdrop.scrollTop = this.input.scrollTop;
  }
}

/** Placeholder ids and defaults in document order, as the highlighting reads them. */
export function placeholdersIn(text) {
  const found = new Map();
  const markup = /<as:placeholder\s+[^>]*?id\s*=\s*("([^"]*)"|'([^']*)')[^>]*?(\/>|>([\s\S]*?)<\/as:placeholder\s*>)/gi;
  for (const match of text.matchAll(markup)) {
    const id = match[2] ?? match[3];
    if (id && !found.has(id)) found.set(id, (match[5] || "").trim());
  }
  for (const match of text.matchAll(/\{\{\s*([^|}]+?)\s*(?:\|([^}]*))?\}\}/g)) {
    if (!found.has(match[1])) found.set(match[1], (match[2] || "").trim());
  }
  return found;
}
