// Waveform and loudness plots on <canvas>, from GET /files/{fileId}/analysis. Colours come from
// the stylesheet's custom properties, so the plots follow the page's palette.

const FLOOR_LUFS = -50;
const CEILING_LUFS = -5;

function palette() {
  const style = getComputedStyle(document.documentElement);
  const read = (name) => style.getPropertyValue(name).trim();
  return {
    wave: read("--plot-wave"),
    waveSoft: read("--plot-wave-soft"),
    grid: read("--plot-grid"),
    text: read("--plot-text"),
    line: read("--plot-line"),
    soft: read("--plot-soft"),
    target: read("--plot-target"),
    head: read("--plot-head"),
  };
}

/** A context in CSS pixels at the screen's density; the canvas keeps its CSS size. */
function surface(canvas) {
  const ratio = window.devicePixelRatio || 1;
  const width = Math.max(1, Math.round(canvas.clientWidth));
  const height = Math.max(1, Math.round(canvas.clientHeight));
  if (canvas.width !== width * ratio || canvas.height !== height * ratio) {
    canvas.width = width * ratio;
    canvas.height = height * ratio;
  }
  const context = canvas.getContext("2d");
  context.setTransform(ratio, 0, 0, ratio, 0, 0);
  context.clearRect(0, 0, width, height);
  context.font = "11px system-ui, sans-serif";
  return { context, width, height };
}

function timeLabel(value) {
  return value < 60 ? `${value.toFixed(value < 10 ? 1 : 0)} s` : `${Math.floor(value / 60)}:${String(Math.round(value % 60)).padStart(2, "0")}`;
}

function playhead(context, colours, x, height) {
  context.strokeStyle = colours.head;
  context.lineWidth = 1.5;
  context.beginPath();
  context.moveTo(x, 0);
  context.lineTo(x, height);
  context.stroke();
}

/** Peaks as a filled envelope: each pixel column spans the min and max of its peak columns. */
export function drawWaveform(canvas, analysis, position = null) {
  const colours = palette();
  const { context, width, height } = surface(canvas);
  const { min, max } = analysis.peaks;
  const mid = height / 2;
  context.fillStyle = colours.grid;
  context.fillRect(0, mid - 0.5, width, 1);
  const columns = min.length;
  if (columns) {
    context.fillStyle = colours.wave;
    for (let x = 0; x < width; x += 1) {
      const first = Math.floor((x * columns) / width);
      const last = Math.max(first + 1, Math.floor(((x + 1) * columns) / width));
      let low = 1;
      let high = -1;
      for (let i = first; i < last && i < columns; i += 1) {
        low = Math.min(low, min[i]);
        high = Math.max(high, max[i]);
      }
      const top = mid - high * (mid - 2);
      const bottom = mid - low * (mid - 2);
      context.fillRect(x, top, 1, Math.max(1, bottom - top));
    }
  }
  context.fillStyle = colours.text;
  context.fillText("0", 3, height - 4);
  const end = timeLabel(analysis.duration);
  context.fillText(end, width - context.measureText(end).width - 3, height - 4);
  if (position !== null && analysis.duration > 0) {
    playhead(context, colours, (position / analysis.duration) * width, height);
  }
}

function series(analysis) {
  const loudness = analysis.loudness;
  const shortTerm = loudness.shortTerm;
  const usable = shortTerm.values.some((v) => v !== null);
  return { main: usable ? shortTerm : loudness.momentary, faint: usable ? loudness.momentary : null };
}

function drawCurve(context, curve, toX, toY, colour, width) {
  context.strokeStyle = colour;
  context.lineWidth = width;
  context.beginPath();
  let drawing = false;
  curve.values.forEach((value, index) => {
    if (value === null) {
      drawing = false;
      return;
    }
    const x = toX(index * curve.hopSeconds + curve.windowSeconds / 2);
    const y = toY(value);
    if (drawing) context.lineTo(x, y);
    else context.moveTo(x, y);
    drawing = true;
  });
  context.stroke();
}

/**
 * Short-term loudness (3 s windows; momentary 400 ms behind it, fainter) against the target.
 * Answers a sentence describing the plot, for its accessible label.
 */
export function drawLoudness(canvas, analysis, target, position = null) {
  const colours = palette();
  const { context, width, height } = surface(canvas);
  const left = 34;
  const plotWidth = width - left - 4;
  const duration = Math.max(analysis.duration, 0.001);
  const toX = (t) => left + (Math.min(t, duration) / duration) * plotWidth;
  const toY = (lufs) => {
    const clamped = Math.min(CEILING_LUFS, Math.max(FLOOR_LUFS, lufs));
    return 4 + ((CEILING_LUFS - clamped) / (CEILING_LUFS - FLOOR_LUFS)) * (height - 18);
  };
  context.lineWidth = 1;
  for (let lufs = -10; lufs >= FLOOR_LUFS; lufs -= 10) {
    const y = toY(lufs);
    context.fillStyle = colours.grid;
    context.fillRect(left, y, plotWidth, 1);
    context.fillStyle = colours.text;
    context.fillText(String(lufs), 2, y + 4);
  }
  context.fillText(timeLabel(duration), width - 40, height - 3);

  const { main, faint } = series(analysis);
  if (faint) drawCurve(context, faint, toX, toY, colours.soft, 1);
  drawCurve(context, main, toX, toY, colours.line, 2);

  if (Number.isFinite(target)) {
    const y = toY(target);
    context.strokeStyle = colours.target;
    context.setLineDash([6, 4]);
    context.lineWidth = 1.5;
    context.beginPath();
    context.moveTo(left, y);
    context.lineTo(left + plotWidth, y);
    context.stroke();
    context.setLineDash([]);
    context.fillStyle = colours.target;
    context.fillText(`target ${target} LUFS`, left + 6, y - 4);
  }
  if (position !== null) playhead(context, colours, toX(position), height - 14);

  const values = main.values.filter((v) => v !== null);
  const kind = main === analysis.loudness.shortTerm ? "Short-term" : "Momentary";
  const span = values.length
    ? `${kind} loudness from ${Math.min(...values).toFixed(1)} to ${Math.max(...values).toFixed(1)} LUFS`
    : `${kind} loudness: silent`;
  return Number.isFinite(target) ? `${span}; the target is ${target} LUFS.` : `${span}.`;
}

/** Redraw on resize, and follow `player`'s position with a playhead; click to seek. */
export function attachPlots(player, draws, seekCanvas) {
  let frame = 0;
  const redraw = () => {
    cancelAnimationFrame(frame);
    frame = requestAnimationFrame(() => {
      const position = player.currentTime > 0 ? player.currentTime : null;
      for (const draw of draws) draw(position);
    });
  };
  player.addEventListener("timeupdate", redraw);
  player.addEventListener("seeked", redraw);
  new ResizeObserver(redraw).observe(seekCanvas);
  seekCanvas.addEventListener("click", (event) => {
    const box = seekCanvas.getBoundingClientRect();
    if (Number.isFinite(player.duration) && player.duration > 0) {
      player.currentTime = ((event.clientX - box.left) / box.width) * player.duration;
    }
  });
  return redraw;
}
