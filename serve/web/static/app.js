// The page of nlp serve: sends the text to /v1/pipeline, reads the NDJSON answer
// as a stream and draws each sentence as it arrives (words coloured by part of
// speech, a sentiment bar), then translates the sentences when the server has a
// translator. No framework and no external resource: the Content-Security-Policy
// forbids them, and the page must work offline.
"use strict";

// The 17 universal parts of speech, in the order of the legend, with their names.
// Their colours are in style.css (.upos-NOUN ...): light backgrounds under dark
// text, so that every word keeps a contrast above 7:1.
const UPOS = [
  ["NOUN", "noun"], ["PROPN", "proper noun"], ["VERB", "verb"], ["AUX", "auxiliary"],
  ["ADJ", "adjective"], ["ADV", "adverb"], ["PRON", "pronoun"], ["DET", "determiner"],
  ["ADP", "adposition"], ["NUM", "numeral"], ["CCONJ", "coordinating conjunction"],
  ["SCONJ", "subordinating conjunction"], ["PART", "particle"], ["INTJ", "interjection"],
  ["PUNCT", "punctuation"], ["SYM", "symbol"], ["X", "other"],
];
const UPOS_NAMES = new Map(UPOS);

// Texts sent to /v1/translate in one request: a few, so that the first
// translations show while the rest are computed and no request nears the limits.
const TRANSLATE_BATCH = 8;

const $ = (id) => document.getElementById(id);
const form = $("form"), textArea = $("text"), results = $("results");
const statusBox = $("status"), errorBox = $("errors");

let info = null;        // the answer of /v1/info, once read
let running = null;     // the AbortController of the analysis in progress

// api resolves a route against the page's own URL, so that the page works
// under a path prefix behind a proxy as well as at the root.
function api(route) {
  return new URL(route, document.baseURI).toString();
}

function headers(extra) {
  const h = Object.assign({}, extra);
  const token = $("token").value.trim();
  if (token) h["Authorization"] = "Bearer " + token;
  return h;
}

// ApiError carries the message of the server's error object
// ({"error": {"status", "message", "request_id"}}).
class ApiError extends Error {
  constructor(status, message, requestId) {
    super(message);
    this.status = status;
    this.requestId = requestId;
  }
}

// apiError reads the error of a failed response: the JSON error object when
// there is one, else the status line and the start of the body.
async function apiError(resp) {
  const body = await resp.text().catch(() => "");
  try {
    const e = JSON.parse(body).error;
    if (e && e.message) return new ApiError(resp.status, e.message, e.request_id || resp.headers.get("X-Request-Id"));
  } catch (_) { /* not JSON: fall through */ }
  const text = body.trim().slice(0, 200) || resp.statusText;
  return new ApiError(resp.status, text, resp.headers.get("X-Request-Id"));
}

function showError(err, what) {
  const p = document.createElement("p");
  let msg = what + ": " + (err && err.message ? err.message : String(err));
  if (err instanceof ApiError) {
    msg = what + " failed (HTTP " + err.status + "): " + err.message;
    if (err.requestId) msg += " [request " + err.requestId + "]";
    if (err.status === 401) $("auth").open = true;
  } else if (err instanceof TypeError) {
    msg = what + ": cannot reach the server (" + err.message + ")";
  }
  p.textContent = msg;
  errorBox.append(p);
}

function setStatus(text) {
  statusBox.textContent = text;
}

// ---- models ---------------------------------------------------------------

async function loadInfo() {
  try {
    const resp = await fetch(api("v1/info"), { headers: headers() });
    if (!resp.ok) throw await apiError(resp);
    info = await resp.json();
  } catch (err) {
    $("models").textContent = "Models: unknown.";
    showError(err, "Reading /v1/info");
    return;
  }
  const m = info.models || {};
  const parts = [];
  if (m.tagger) parts.push("tagger" + (m.tagger.language ? " (" + m.tagger.language + ")" : ""));
  if (m.classifier) parts.push("sentiment" + (m.classifier.labels ? " (" + m.classifier.labels.join(", ") + ")" : ""));
  if (m.translator) parts.push("translator" + languagePair(m.translator));
  if (m.vectors) parts.push("word vectors");
  $("models").textContent = "Models: " + (parts.join(" · ") || "none") + (info.version ? " — nlp " + info.version : "");
  $("translate-option").hidden = !m.translator;
  if (info.limits && info.limits.max_body) textArea.dataset.maxBody = info.limits.max_body;
}

// languagePair names the direction of a translator from whatever fields its
// description has ("source"/"target" or "source_language"/"target_language").
function languagePair(t) {
  const src = t.source || t.source_language || t.src, tgt = t.target || t.target_language || t.tgt;
  return typeof src === "string" && typeof tgt === "string" ? " (" + src + " → " + tgt + ")" : "";
}

// ---- legend ---------------------------------------------------------------

function drawLegend() {
  const ul = $("legend");
  for (const [tag, name] of UPOS) {
    const li = document.createElement("li");
    const chip = document.createElement("span");
    chip.className = "tok upos-" + tag;
    chip.textContent = tag;
    li.append(chip, " " + name);
    ul.append(li);
  }
}

// ---- tokens ---------------------------------------------------------------

// gaps returns, for the tokens of a sentence, the text between each token and
// the next one (the spaces as typed), when the tokens carry character offsets
// (start, end: code points into chars, end exclusive) and every token's form is
// the text at its offsets; otherwise null, and the words are separated by
// single spaces.
function gaps(tokens, chars) {
  if (!chars || tokens.length === 0) return null;
  for (const t of tokens) {
    if (!Number.isInteger(t.start) || !Number.isInteger(t.end) || t.start < 0 || t.end > chars.length ||
        t.start > t.end || chars.slice(t.start, t.end).join("") !== t.form) return null;
  }
  const out = [];
  for (let i = 0; i < tokens.length; i++) {
    const next = tokens[i + 1];
    out.push(next ? chars.slice(tokens[i].end, next.start).join("") : "");
  }
  return out;
}

function tokenElement(t) {
  const span = document.createElement("span");
  const upos = t.upos || "", xpos = t.xpos || "";
  span.className = "tok" + (upos ? " upos-" + upos.replace(/[^A-Za-z]/g, "") : "");
  span.dataset.form = t.form;
  span.dataset.upos = upos;
  span.dataset.xpos = xpos;
  span.tabIndex = -1;
  const tip = (upos || "untagged") + (xpos ? " · " + xpos : "") + (UPOS_NAMES.has(upos) ? " (" + UPOS_NAMES.get(upos) + ")" : "");
  span.title = tip;
  span.dataset.tip = tip;
  const form = document.createElement("span");
  form.className = "form";
  form.textContent = t.form;
  const tag = document.createElement("span");
  tag.className = "tag";
  // Read after the word by screen readers, shown under it with "Show tags".
  tag.textContent = (upos || "_") + (xpos ? " " + xpos : "");
  span.append(form, tag);
  return span;
}

function drawTokens(tokens, docChars, sentChars, n) {
  const div = document.createElement("div");
  div.className = "tokens";
  div.setAttribute("role", "group");
  div.setAttribute("aria-label", "Words of sentence " + n + " with their tags");
  // Offsets into the document (the line) or, failing that, into the sentence.
  const between = gaps(tokens, docChars) || gaps(tokens, sentChars);
  tokens.forEach((t, i) => {
    const el = tokenElement(t);
    if (i === 0) el.tabIndex = 0;
    div.append(el);
    const gap = between ? between[i] : (i + 1 < tokens.length ? " " : "");
    if (gap) div.append(document.createTextNode(gap));
  });
  return div;
}

// Arrow keys, Home and End move between the words of a sentence: a sentence is
// one stop of the Tab key (a roving tabindex), not one per word.
results.addEventListener("keydown", (ev) => {
  const tok = ev.target.closest && ev.target.closest(".tok");
  if (!tok) return;
  const all = Array.from(tok.parentElement.querySelectorAll(".tok"));
  let i = all.indexOf(tok);
  switch (ev.key) {
    case "ArrowRight": case "ArrowDown": i = Math.min(i + 1, all.length - 1); break;
    case "ArrowLeft": case "ArrowUp": i = Math.max(i - 1, 0); break;
    case "Home": i = 0; break;
    case "End": i = all.length - 1; break;
    default: return;
  }
  ev.preventDefault();
  tok.tabIndex = -1;
  all[i].tabIndex = 0;
  all[i].focus();
});

// ---- sentiment ------------------------------------------------------------

function drawSentiment(s) {
  const div = document.createElement("div");
  div.className = "sentiment";
  const prob = Number(s.prob);
  const label = document.createElement("span");
  label.className = "sentiment-label";
  label.textContent = "Sentiment: " + s.label + " " + prob.toFixed(2);
  const bar = document.createElement("div");
  bar.className = "bar";
  bar.setAttribute("role", "meter");
  bar.setAttribute("aria-label", "Probability of " + s.label);
  bar.setAttribute("aria-valuemin", "0");
  bar.setAttribute("aria-valuemax", "1");
  bar.setAttribute("aria-valuenow", prob.toFixed(2));
  const fill = document.createElement("div");
  fill.className = "fill " + (/^neg/i.test(s.label) ? "negative" : /^pos/i.test(s.label) ? "positive" : "other");
  fill.style.width = Math.max(0, Math.min(1, prob)) * 100 + "%"; // CSSOM, allowed by the CSP
  bar.append(fill);
  div.append(label, bar);
  return div;
}

// ---- translation ----------------------------------------------------------

function heatColour(w) {
  // White to a dark blue: the weight is in the cell's text and title too.
  const a = Math.max(0, Math.min(1, w));
  const mix = (lo, hi) => Math.round(lo + (hi - lo) * a);
  return "rgb(" + mix(255, 13) + "," + mix(255, 71) + "," + mix(255, 161) + ")";
}

function drawAttention(tr) {
  const wrap = document.createElement("div");
  wrap.className = "heatmap";
  wrap.tabIndex = 0; // scrollable with the keyboard when wide
  const table = document.createElement("table");
  const cap = document.createElement("caption");
  cap.textContent = "Attention: source words across, target words down";
  table.append(cap);
  const head = table.createTHead().insertRow();
  const corner = document.createElement("td");
  head.append(corner);
  for (const w of tr.source) {
    const th = document.createElement("th");
    th.scope = "col";
    th.className = "src";
    th.textContent = w;
    head.append(th);
  }
  const body = table.createTBody();
  tr.target.forEach((w, r) => {
    const row = body.insertRow();
    const th = document.createElement("th");
    th.scope = "row";
    th.textContent = w;
    row.append(th);
    const weights = tr.attention[r] || [];
    tr.source.forEach((s, c) => {
      const td = row.insertCell();
      const v = Number(weights[c]) || 0;
      td.style.backgroundColor = heatColour(v);
      td.title = w + " ← " + s + ": " + v.toFixed(2);
      const sr = document.createElement("span");
      sr.className = "sr-only";
      sr.textContent = v.toFixed(2);
      td.append(sr);
    });
  });
  wrap.append(table);
  return wrap;
}

function drawTranslation(li, tr) {
  const div = li.querySelector(".translation");
  div.textContent = "";
  const p = document.createElement("p");
  const b = document.createElement("span");
  b.className = "muted";
  b.textContent = "Translation: ";
  const t = document.createElement("span");
  t.className = "translated";
  t.textContent = tr.text;
  p.append(b, t);
  div.append(p);
  if (Array.isArray(tr.attention) && tr.source && tr.target) {
    const d = document.createElement("details");
    d.open = Number(li.dataset.n) <= 3; // the first heatmaps open, the rest a click away
    const s = document.createElement("summary");
    s.textContent = "Attention";
    d.append(s, drawAttention(tr));
    div.append(d);
  }
}

async function translate(items, signal) {
  // Never more texts a request than the server takes (limits.max_translate).
  const most = (info && info.limits && info.limits.max_translate) || TRANSLATE_BATCH;
  const step = Math.max(1, Math.min(TRANSLATE_BATCH, most));
  for (let i = 0; i < items.length; i += step) {
    const part = items.slice(i, i + step);
    const resp = await fetch(api("v1/translate"), {
      method: "POST", signal,
      headers: headers({ "Content-Type": "application/json" }),
      body: JSON.stringify({ texts: part.map((x) => x.text), attention: true }),
    });
    if (!resp.ok) throw await apiError(resp);
    const got = await resp.json();
    (got.translations || []).forEach((tr, k) => { if (part[k]) drawTranslation(part[k].li, tr); });
  }
}

// ---- analysis -------------------------------------------------------------

// readLines yields the JSON objects of an NDJSON response as they arrive.
async function* readLines(resp) {
  const reader = resp.body.pipeThrough(new TextDecoderStream()).getReader();
  let buf = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buf += value;
    let nl;
    while ((nl = buf.indexOf("\n")) >= 0) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      if (line.trim()) yield JSON.parse(line);
    }
  }
  if (buf.trim()) yield JSON.parse(buf);
}

function drawSentence(rec, docChars, n) {
  const li = document.createElement("li");
  li.className = "sentence";
  li.dataset.doc = rec.id !== undefined ? rec.id : rec.doc;
  li.dataset.sent = rec.sent;
  li.dataset.n = n;
  li.append(drawTokens(rec.tokens || [], docChars, Array.from(rec.text || ""), n));
  if (rec.sentiment) li.append(drawSentiment(rec.sentiment));
  const tr = document.createElement("div");
  tr.className = "translation";
  li.append(tr);
  return li;
}

async function analyse() {
  if (running) running.abort();
  const ctl = new AbortController();
  running = ctl;
  errorBox.textContent = "";
  results.textContent = "";
  // A document a non-blank line, sent as JSON lines with the line's number as
  // its id, so that every sentence finds the text its offsets point into.
  const docs = new Map();
  const lines = [];
  textArea.value.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === "") return;
    docs.set(String(i + 1), Array.from(line));
    lines.push(JSON.stringify({ id: String(i + 1), text: line }));
  });
  if (lines.length === 0) {
    showError(new Error("type some text first"), "Nothing to analyse");
    textArea.focus();
    return;
  }
  const body = lines.join("\n") + "\n";
  const maxBody = Number(textArea.dataset.maxBody);
  if (maxBody && new TextEncoder().encode(body).length > maxBody) {
    showError(new Error("the text is over the server's limit of " + maxBody + " bytes"), "Too long");
    return;
  }
  results.setAttribute("aria-busy", "true");
  setStatus("Analysing…");
  const started = performance.now();
  const toTranslate = [];
  let sentences = 0, tokens = 0;
  try {
    const resp = await fetch(api("v1/pipeline"), {
      method: "POST", signal: ctl.signal,
      headers: headers({ "Content-Type": "application/x-ndjson", "Accept": "application/x-ndjson" }),
      body,
    });
    if (!resp.ok) throw await apiError(resp);
    for await (const rec of readLines(resp)) {
      if (rec.error) throw new ApiError(rec.error.status || resp.status, rec.error.message || "error", rec.error.request_id);
      sentences++;
      tokens += (rec.tokens || []).length;
      const li = drawSentence(rec, docs.get(String(rec.id)), sentences);
      results.append(li);
      toTranslate.push({ li, text: rec.text });
    }
    results.removeAttribute("aria-busy");
    const secs = (performance.now() - started) / 1000;
    setStatus(sentences + (sentences === 1 ? " sentence, " : " sentences, ") + tokens + " tokens in " + secs.toFixed(2) + " s.");
  } catch (err) {
    if (running === ctl) results.removeAttribute("aria-busy");
    if (err.name === "AbortError") return;
    showError(err, "Analysis");
    setStatus("");
    if (running === ctl) running = null;
    return;
  }
  // The tags stay on the page whatever becomes of the translation.
  const done = statusBox.textContent;
  try {
    await infoReady;
    if (info && info.models && info.models.translator && $("dotranslate").checked && toTranslate.length) {
      setStatus(done + " Translating…");
      await translate(toTranslate, ctl.signal);
      setStatus(done + " Translated.");
    }
  } catch (err) {
    if (err.name === "AbortError") return;
    setStatus(done);
    showError(err, "Translation");
  } finally {
    if (running === ctl) running = null;
  }
}

form.addEventListener("submit", (ev) => {
  ev.preventDefault();
  analyse();
});

// Ctrl+Enter (Cmd+Enter on a Mac) in the text submits, as in most editors.
textArea.addEventListener("keydown", (ev) => {
  if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey)) {
    ev.preventDefault();
    form.requestSubmit();
  }
});

$("showtags").addEventListener("change", (ev) => {
  results.classList.toggle("hide-tags", !ev.target.checked);
});

drawLegend();
const infoReady = loadInfo();
