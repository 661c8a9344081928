// The Studio's only way to the server: the public AudioStack routes, with the API key from
// session storage (gone when the tab closes; never in localStorage, cookies or URLs).

const KEY_NAME = "castwright.apiKey";

export class ApiError extends Error {
  constructor(status, message, errors = []) {
    super(message || `HTTP ${status}`);
    this.name = "ApiError";
    this.status = status;
    this.errors = Array.isArray(errors) ? errors.map(String) : [];
  }

  get unauthorised() {
    return this.status === 401 || this.status === 403;
  }
}

export const credentials = {
  get key() {
    return sessionStorage.getItem(KEY_NAME) || "";
  },
  set(key) {
    sessionStorage.setItem(KEY_NAME, key);
  },
  clear() {
    sessionStorage.removeItem(KEY_NAME);
  },
};

function headers(extra = {}) {
  const result = { ...extra };
  if (credentials.key) result["x-api-key"] = credentials.key;
  return result;
}

function withQuery(path, query) {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== "") params.append(name, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

async function errorFrom(response) {
  let body = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  const message = body && typeof body.message === "string" ? body.message : response.statusText;
  const errors = body && Array.isArray(body.errors) ? body.errors : [];
  const error = new ApiError(response.status, message, errors);
  if (error.unauthorised) window.dispatchEvent(new CustomEvent("studio:unauthorised", { detail: error }));
  return error;
}

/**
 * One JSON request. Answers {status, body, data}: `data` is the envelope's payload on the
 * enveloped routes and the body itself on the bare /files and /folders routes.
 */
export async function call(method, path, { body, query, signal } = {}) {
  const init = { method, headers: headers(), signal };
  if (body !== undefined) {
    init.headers["content-type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(withQuery(path, query), init);
  } catch (error) {
    if (error.name === "AbortError") throw error;
    throw new ApiError(0, "The server cannot be reached", [String(error.message || error)]);
  }
  if (!response.ok) throw await errorFrom(response);
  const parsed = response.status === 204 ? {} : await response.json();
  const enveloped = parsed && typeof parsed === "object" && "meta" in parsed && "data" in parsed;
  return { status: response.status, body: parsed, data: enveloped ? parsed.data : parsed };
}

export const get = (path, options) => call("GET", path, options);
export const post = (path, body, options = {}) => call("POST", path, { ...options, body });
export const put = (path, body, options = {}) => call("PUT", path, { ...options, body });
export const del = (path, options) => call("DELETE", path, options);

/** A POST answered with audio (the TTS preview): the bytes as a Blob. */
export async function postForAudio(path, body) {
  const response = await fetch(path, {
    method: "POST",
    headers: headers({ "content-type": "application/json", accept: "audio/wav" }),
    body: JSON.stringify(body),
  });
  if (!response.ok) throw await errorFrom(response);
  return response.blob();
}

/**
 * PUT a file's bytes to a signed upload URL with progress (fetch cannot report upload
 * progress; XMLHttpRequest can). No API key: the URL itself is the permission.
 */
export function uploadBytes(url, file, contentType, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("PUT", sameServer(url));
    xhr.setRequestHeader("content-type", contentType || "application/octet-stream");
    xhr.upload.addEventListener("progress", (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    });
    xhr.addEventListener("load", () => {
      if (xhr.status >= 200 && xhr.status < 300) resolve();
      else {
        let message = `Upload refused (HTTP ${xhr.status})`;
        let errors = [];
        try {
          const body = JSON.parse(xhr.responseText);
          message = body.message || message;
          errors = body.errors || [];
        } catch {
          // not JSON: keep the status line
        }
        reject(new ApiError(xhr.status, message, errors));
      }
    });
    xhr.addEventListener("error", () => reject(new ApiError(0, "The upload was interrupted")));
    xhr.addEventListener("abort", () => reject(new ApiError(0, "The upload was cancelled")));
    xhr.send(file);
  });
}

/**
 * Upload links are made with the server's configured public URL; a page reached under
 * another name for the same server (localhost against 127.0.0.1) sends the bytes to its own
 * origin, where the same route answers, instead of a cross-origin request the browser blocks.
 */
function sameServer(url) {
  const target = new URL(url, location.href);
  if (target.origin === location.origin) return target.href;
  if (target.pathname.startsWith("/uploads/")) return `${location.origin}${target.pathname}${target.search}`;
  return target.href;
}
