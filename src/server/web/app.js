// Ampel web page. Talks only to the daemon that served it (same origin,
// loopback); loads nothing else and stores nothing in the browser.
//
// Flow: POST /v1/redact gives the verdict, the spans (code point offsets),
// the redacted text and a sealed restore handle. The page keeps the span
// list in memory; un-marking or adding spans redacts again here, with the
// daemon's rule ([LABEL_N], same label + same surface -> same N, numbered
// per label in order of first appearance). "Personalisieren" always restores
// on the daemon (POST /v1/restore, the same tolerant logic as gRPC Restore):
// with the sealed handle while the spans are unchanged, otherwise with the
// page's own placeholder mapping, which goes to nowhere but the local daemon.
'use strict';

(() => {
  const LABELS = {
    PERSON: { name: 'Name', plural: 'Namen', tag: 'Name' },
    ORGANIZATION: { name: 'Organisation', plural: 'Organisationen', tag: 'Organisation' },
    LOCATION: { name: 'Ort', plural: 'Orte', tag: 'Ort' },
    ADDRESS: { name: 'Adresse', plural: 'Adressen', tag: 'Adresse' },
    EMAIL: { name: 'E-Mail-Adresse', plural: 'E-Mail-Adressen', tag: 'E-Mail' },
    PHONE: { name: 'Telefonnummer', plural: 'Telefonnummern', tag: 'Telefon' },
    URL: { name: 'Web-Adresse', plural: 'Web-Adressen', tag: 'URL' },
    IP_ADDRESS: { name: 'IP-Adresse', plural: 'IP-Adressen', tag: 'IP' },
    IBAN: { name: 'Bankverbindung', plural: 'Bankverbindungen', tag: 'IBAN' },
    CREDIT_CARD: { name: 'Kartennummer', plural: 'Kartennummern', tag: 'Karte' },
    ID_NUMBER: { name: 'Kunden-/Vorgangsnummer', plural: 'Kunden-/Vorgangsnummern', tag: 'Nummer' },
    DATE: { name: 'Datum', plural: 'Daten', tag: 'Datum' },
    HEALTH: { name: 'Gesundheitsangabe', plural: 'Gesundheitsangaben', tag: 'Gesundheit' },
    SPECIAL_CATEGORY: { name: 'Besondere Kategorie (Art. 9)', plural: 'Angaben besonderer Kategorien (Art. 9)', tag: 'Art. 9' },
  };
  const LABEL_ORDER = Object.keys(LABELS);

  const VERDICTS = {
    GREEN: {
      word: 'GRÜN',
      title: 'Unbedenklich',
      sub: 'Keine personenbezogenen Daten gefunden. Der Text darf so in ein KI-Tool.',
    },
    YELLOW: {
      word: 'GELB',
      title: 'Nur geschwärzt verwenden',
      sub: 'Der Text enthält personenbezogene Daten. Geben Sie nur die geschwärzte Fassung aus Schritt 3 in das KI-Tool ein.',
    },
    RED: {
      word: 'ROT',
      title: 'Nicht in ein Verbraucher-KI-Tool',
      sub: 'Besonders schützenswerte Daten oder ein ganzer Datenbestand. Auch geschwärzt gehört dieser Text nicht in ChatGPT & Co. – was Sie stattdessen tun können, steht unten.',
    },
  };

  const EXAMPLE = 'Hier ist das Support-Ticket von Frau Weber (weber@example.com), Kundennr. 4711: "Meine Bestellung #98765 vom 15.01. ist nicht angekommen. Ich bin schwanger und brauche die Babyausstattung dringend."';

  // Same shapes the daemon's restore accepts: [PERSON_1], [person 1], \[EMAIL_1\] …
  const PLACEHOLDER = /\\?\[\s*([a-z]+(?:[ _-][a-z]+)*)[ _-]?(\d{1,6})\s*\\?\]/gi;
  const WORD_CHAR = /[\p{L}\p{N}]/u;

  const $ = (id) => document.getElementById(id);
  const el = {};
  [
    'status', 'status-text', 'auth', 'auth-form', 'token', 'input', 'check', 'example', 'clear',
    'counter', 'error', 'stale', 'verdict', 'verdict-word', 'verdict-title', 'verdict-sub',
    'reasons-box', 'reasons', 'edited-note', 'red-advice', 'advice-art9', 'advice-bulk', 'review',
    'label-select', 'mark', 'term', 'mark-term', 'reset-marks', 'selection-info', 'marked', 'legend',
    'out-grid', 'redacted', 'redacted-warning', 'copy-redacted', 'copied-redacted', 'answer',
    'personalize', 'restore-info', 'personalized', 'copy-personalized', 'copied-personalized',
    'version',
  ].forEach((id) => { el[id] = $(id); });

  const state = {
    token: null,
    info: null,
    busy: false,
    text: '',
    cps: [], // the analysed text as code points
    u16ToCp: [], // UTF-16 index -> code point index
    cpToU16: [], // code point index -> UTF-16 index
    spans: [], // {start, end, label, on, manual} in code points, sorted
    original: [], // the daemon's spans, for "Änderungen verwerfen"
    ampel: null,
    reasons: [],
    serverRedacted: '',
    handle: null,
    mapping: [],
    edited: false,
    selection: null, // {start, end} in code points inside #marked
  };

  // ------------------------------------------------------------ helpers

  class ApiError extends Error {
    constructor(status, code, message) {
      super(message);
      this.status = status;
      this.code = code;
    }
  }

  async function api(path, body) {
    const headers = {};
    if (state.token) headers.Authorization = `Bearer ${state.token}`;
    const init = { headers, cache: 'no-store', credentials: 'omit' };
    if (body !== undefined) {
      init.method = 'POST';
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    let resp;
    try {
      resp = await fetch(path, init);
    } catch (_) {
      throw new ApiError(0, 'network', 'Der lokale Ampel-Dienst antwortet nicht. Läuft „ampel serve“ noch?');
    }
    let data = null;
    try {
      data = await resp.json();
    } catch (_) {
      data = null;
    }
    if (!resp.ok) {
      throw new ApiError(resp.status, (data && data.code) || `http_${resp.status}`,
        (data && data.error) || resp.statusText);
    }
    return data;
  }

  function germanError(err) {
    const limit = state.info && state.info.max_text_bytes;
    switch (err.code) {
      case 'network':
        return err.message;
      case 'text_too_large':
      case 'payload_too_large':
        return `Der Text ist zu lang${limit ? ` (höchstens ${limit.toLocaleString('de-DE')} Bytes)` : ''}. Bitte in kleineren Teilen prüfen.`;
      case 'queue_full':
        return 'Der Dienst ist gerade ausgelastet. Bitte in einem Moment noch einmal versuchen.';
      case 'unavailable':
        return 'Der Dienst fährt gerade herunter oder startet neu. Bitte gleich noch einmal versuchen.';
      case 'unauthenticated':
        return 'Zugangstoken fehlt oder ist falsch.';
      case 'expired_handle':
        return 'Die Sitzung ist abgelaufen. Bitte den Text erneut prüfen.';
      default:
        return `Fehler vom Dienst: ${err.message}`;
    }
  }

  function showError(msg) {
    el.error.textContent = msg;
    el.error.hidden = !msg;
  }

  function setBusy(busy) {
    state.busy = busy;
    el.check.disabled = busy;
    el.check.classList.toggle('busy', busy);
    el.personalize.disabled = busy;
  }

  // Grow a text box with its content (up to a limit), so the whole
  // redacted text or answer is visible at a glance.
  function autoGrow(textarea) {
    const max = textarea === el.input ? 460 : 380;
    textarea.style.height = 'auto';
    textarea.style.height = `${Math.min(textarea.scrollHeight + 2, max)}px`;
  }

  function slice(start, end) {
    return state.cps.slice(start, end).join('');
  }

  function index(text) {
    state.text = text;
    state.cps = Array.from(text);
    state.u16ToCp = new Array(text.length + 1);
    state.cpToU16 = new Array(state.cps.length + 1);
    let u = 0;
    state.cps.forEach((c, i) => {
      state.cpToU16[i] = u;
      for (let k = 0; k < c.length; k += 1) state.u16ToCp[u + k] = i;
      u += c.length;
    });
    state.cpToU16[state.cps.length] = u;
    state.u16ToCp[u] = state.cps.length;
  }

  function sortSpans() {
    state.spans.sort((a, b) => a.start - b.start || b.end - a.end);
  }

  function joinGerman(items) {
    if (items.length <= 1) return items.join('');
    return `${items.slice(0, -1).join(', ')} und ${items[items.length - 1]}`;
  }

  function quoted(s) {
    return `„${s}“`;
  }

  function countPlaceholders(s) {
    const m = s.match(PLACEHOLDER);
    return m ? m.length : 0;
  }

  // ---------------------------------------------------- reasons in German

  function surfacesOf(label) {
    const seen = new Set();
    state.original.forEach((s) => {
      if (s.label === label) seen.add(slice(s.start, s.end));
    });
    return Array.from(seen);
  }

  function germanReasons(reasons) {
    const out = [];
    reasons.forEach((r) => {
      const nums = (r.message.match(/\d+/g) || []).map(Number);
      switch (r.code) {
        case 'art9_about_person': {
          const health = r.message.startsWith('HEALTH');
          const terms = surfacesOf(health ? 'HEALTH' : 'SPECIAL_CATEGORY').map(quoted);
          out.push({
            level: 'red',
            text: health
              ? 'Gesundheitsdaten einer Person (Art. 9 DSGVO)'
              : 'Besonders geschützte Daten einer Person – Religion, Weltanschauung, Gewerkschaft, politische Meinung, sexuelle Orientierung, Herkunft oder biometrische Daten (Art. 9 DSGVO)',
            detail: terms.length ? `Gefunden: ${terms.join(', ')}` : '',
          });
          break;
        }
        case 'thread':
          out.push({
            level: 'red',
            text: 'Ganzer E-Mail-Verlauf mit mehreren Personen',
            detail: nums.length >= 2 ? `${nums[0]} Kopfzeilen, ${nums[1]} Personen oder Adressen` : '',
          });
          break;
        case 'bulk_rows':
          out.push({
            level: 'red',
            text: 'Tabelle oder Export mit personenbezogenen Daten',
            detail: nums.length ? `${nums[0]} Zeilen mit Kennungen` : '',
          });
          break;
        case 'many_persons':
          out.push({
            level: 'red',
            text: 'Daten vieler Personen – wie ein CRM-Export oder eine Kundenliste',
            detail: nums.length >= 2 ? `${nums[0]} Personen, ${nums[1]} identifizierende Angaben` : '',
          });
          break;
        case 'identifying': {
          const parts = [];
          for (const m of r.message.matchAll(/(\d+) ([A-Z_]+)/g)) {
            const n = Number(m[1]);
            const l = LABELS[m[2]];
            if (!l) continue;
            parts.push(n === 1 ? l.name : `${n} ${l.plural}`);
          }
          out.push({
            level: 'yellow',
            text: 'Angaben, die eine Person erkennbar machen',
            detail: parts.length ? joinGerman(parts) : '',
          });
          break;
        }
        default:
          out.push({ level: 'yellow', text: r.message, detail: '' });
      }
    });
    return out;
  }

  // ------------------------------------------------------------- render

  function renderVerdict() {
    const v = VERDICTS[state.ampel];
    el.verdict.dataset.ampel = state.ampel;
    el['verdict-word'].textContent = v.word;
    el['verdict-title'].textContent = v.title;
    el['verdict-sub'].textContent = v.sub;
    el.reasons.replaceChildren();
    const reasons = germanReasons(state.reasons);
    reasons.forEach((r) => {
      const li = document.createElement('li');
      li.className = `reason reason-${r.level}`;
      const strong = document.createElement('span');
      strong.className = 'reason-text';
      strong.textContent = r.text;
      li.append(strong);
      if (r.detail) {
        const d = document.createElement('span');
        d.className = 'reason-detail';
        d.textContent = r.detail;
        li.append(d);
      }
      el.reasons.append(li);
    });
    el['reasons-box'].hidden = reasons.length === 0;
    const red = state.ampel === 'RED';
    el['red-advice'].hidden = !red;
    if (red) {
      const art9 = state.reasons.some((r) => r.code === 'art9_about_person');
      const bulk = state.reasons.some((r) => ['thread', 'bulk_rows', 'many_persons'].includes(r.code));
      el['advice-art9'].hidden = !art9;
      el['advice-bulk'].hidden = !bulk || art9;
    }
    el['redacted-warning'].hidden = !red;
  }

  function renderMarked() {
    const box = el.marked;
    box.replaceChildren();
    let pos = 0;
    state.spans.forEach((s, i) => {
      if (s.start > pos) box.append(document.createTextNode(slice(pos, s.start)));
      const m = document.createElement('mark');
      const l = LABELS[s.label] || { name: s.label, tag: s.label };
      const surface = slice(s.start, s.end);
      m.className = `ent l-${s.label}${s.on ? '' : ' off'}${s.manual ? ' manual' : ''}`;
      m.dataset.i = String(i);
      m.dataset.tag = l.tag;
      m.tabIndex = 0;
      m.setAttribute('role', 'button');
      m.setAttribute('aria-pressed', s.on ? 'true' : 'false');
      m.setAttribute('aria-label', `${surface}: ${l.name}${s.manual ? ', von Hand' : ''}, ${s.on ? 'wird geschwärzt' : 'wird nicht geschwärzt'}`);
      m.title = `${l.name}${s.manual ? ' (von Hand markiert)' : ''} – ${s.on ? 'klicken, um die Markierung aufzuheben' : 'klicken, um wieder zu markieren'}`;
      m.textContent = surface;
      box.append(m);
      pos = s.end;
    });
    if (pos < state.cps.length) box.append(document.createTextNode(slice(pos, state.cps.length)));
  }

  function renderLegend() {
    const counts = new Map();
    state.spans.filter((s) => s.on).forEach((s) => counts.set(s.label, (counts.get(s.label) || 0) + 1));
    el.legend.replaceChildren();
    LABEL_ORDER.filter((l) => counts.has(l)).forEach((l) => {
      const li = document.createElement('li');
      const sw = document.createElement('span');
      sw.className = `swatch l-${l}`;
      sw.setAttribute('aria-hidden', 'true');
      li.append(sw, document.createTextNode(`${LABELS[l].tag} `));
      const n = document.createElement('span');
      n.className = 'muted';
      n.textContent = `× ${counts.get(l)}`;
      li.append(n);
      el.legend.append(li);
    });
    if (counts.size === 0) {
      const li = document.createElement('li');
      li.className = 'muted';
      li.textContent = 'Nichts markiert.';
      el.legend.append(li);
    }
  }

  // Placeholders from the span list, exactly like the daemon's redact().
  function redactHere() {
    const next = new Map();
    const numbers = new Map();
    const mapping = [];
    let out = '';
    let pos = 0;
    state.spans.filter((s) => s.on).forEach((s) => {
      if (s.start < pos) return; // overlapping: skip, like the daemon
      out += slice(pos, s.start);
      const surface = slice(s.start, s.end);
      const key = `${s.label}\u0000${surface}`;
      let n = numbers.get(key);
      if (n === undefined) {
        n = (next.get(s.label) || 0) + 1;
        next.set(s.label, n);
        numbers.set(key, n);
        mapping.push({ placeholder: `[${s.label}_${n}]`, label: s.label, original: surface });
      }
      out += `[${s.label}_${n}]`;
      pos = s.end;
    });
    out += slice(pos, state.cps.length);
    return { text: out, mapping };
  }

  function spansKey(spans) {
    return spans.filter((s) => s.on).map((s) => `${s.start}:${s.end}:${s.label}`).join('|');
  }

  function update() {
    renderMarked();
    renderLegend();
    const r = redactHere();
    state.mapping = r.mapping;
    state.edited = spansKey(state.spans) !== spansKey(state.original);
    el.redacted.value = state.edited ? r.text : state.serverRedacted;
    autoGrow(el.redacted);
    el['edited-note'].hidden = !state.edited;
    el['reset-marks'].disabled = !state.edited;
    el['restore-info'].textContent = '';
  }

  function updateCounter() {
    const n = Array.from(el.input.value).length;
    el.counter.textContent = n ? `${n.toLocaleString('de-DE')} Zeichen` : '';
  }

  // -------------------------------------------------------------- actions

  async function check() {
    if (state.busy) return;
    const text = el.input.value;
    showError('');
    if (!text.trim()) {
      showError('Bitte zuerst einen Text einfügen.');
      el.input.focus();
      return;
    }
    setBusy(true);
    try {
      const r = await api('/v1/redact', { text });
      index(text);
      state.ampel = r.ampel;
      state.reasons = r.reasons || [];
      state.serverRedacted = r.redacted;
      state.handle = r.restore_handle || null;
      state.spans = r.entities.map((e) => ({ start: e.start, end: e.end, label: e.label, on: true, manual: false }));
      sortSpans();
      state.original = state.spans.map((s) => ({ ...s }));
      state.selection = null;
      el.stale.hidden = true;
      document.body.classList.remove('is-stale');
      renderVerdict();
      update();
      el.review.hidden = false;
      el['out-grid'].hidden = false;
      el.personalized.value = '';
      autoGrow(el.personalized);
      updateSelectionInfo();
      el['verdict-word'].focus({ preventScroll: true });
    } catch (err) {
      if (err.code === 'unauthenticated') el.auth.hidden = false;
      showError(germanError(err));
    } finally {
      setBusy(false);
    }
  }

  async function personalize() {
    if (state.busy) return;
    const answer = el.answer.value;
    el['restore-info'].textContent = '';
    if (!answer.trim()) {
      el['restore-info'].textContent = 'Bitte zuerst die Antwort der KI einfügen.';
      el.answer.focus();
      return;
    }
    const byMapping = { text: answer, mapping: { version: 1, entries: state.mapping } };
    setBusy(true);
    try {
      let r;
      if (!state.edited && state.handle) {
        try {
          r = await api('/v1/restore', { text: answer, restore_handle: state.handle });
        } catch (err) {
          // An expired handle (daemon restarted, TTL over): the page still
          // holds the mapping, so restore with it instead.
          if (err.code !== 'expired_handle' && err.code !== 'invalid_handle') throw err;
          r = await api('/v1/restore', byMapping);
        }
      } else {
        r = await api('/v1/restore', byMapping);
      }
      el.personalized.value = r.restored;
      autoGrow(el.personalized);
      const before = countPlaceholders(answer);
      const left = countPlaceholders(r.restored);
      const done = before - left;
      if (before === 0) {
        el['restore-info'].textContent = 'Die Antwort enthält keine Platzhalter wie [PERSON_1].';
      } else if (left > 0) {
        el['restore-info'].textContent = `${done} von ${before} Platzhaltern ersetzt – ${left} unbekannt.`;
      } else {
        el['restore-info'].textContent = `${done} Platzhalter ersetzt.`;
      }
    } catch (err) {
      el['restore-info'].textContent = germanError(err);
    } finally {
      setBusy(false);
    }
  }

  function toggleSpan(i) {
    const s = state.spans[i];
    if (!s) return;
    const surface = slice(s.start, s.end);
    const on = !s.on;
    state.spans.forEach((t) => {
      if (slice(t.start, t.end) === surface) t.on = on;
    });
    update();
    const again = el.marked.querySelector(`mark[data-i="${i}"]`);
    if (again) again.focus();
  }

  function trimRange(start, end) {
    let a = start;
    let b = end;
    while (a < b && /\s/u.test(state.cps[a])) a += 1;
    while (b > a && /\s/u.test(state.cps[b - 1])) b -= 1;
    return [a, b];
  }

  function addSpan(start, end, label) {
    state.spans = state.spans.filter((s) => s.end <= start || s.start >= end);
    state.spans.push({ start, end, label, on: true, manual: true });
    sortSpans();
  }

  function isBoundary(cpIndex) {
    const c = state.cps[cpIndex];
    return c === undefined || !WORD_CHAR.test(c);
  }

  // Mark every further occurrence of `surface` that stands alone as a word
  // and is not yet marked.
  function markOccurrences(surface, label) {
    let added = 0;
    let from = 0;
    for (;;) {
      const u = state.text.indexOf(surface, from);
      if (u < 0) break;
      from = u + Math.max(surface.length, 1);
      const start = state.u16ToCp[u];
      const end = state.u16ToCp[u + surface.length];
      if (start === undefined || end === undefined) continue;
      if (!isBoundary(start - 1) || !isBoundary(end)) continue;
      const taken = state.spans.some((s) => s.on && s.start < end && s.end > start
        && !(s.start === start && s.end === end && s.label === label));
      const same = state.spans.some((s) => s.on && s.start === start && s.end === end && s.label === label);
      if (taken || same) continue;
      addSpan(start, end, label);
      added += 1;
    }
    return added;
  }

  function markSelection() {
    const sel = state.selection;
    if (!sel) return;
    const [start, end] = trimRange(sel.start, sel.end);
    if (start >= end) return;
    const label = el['label-select'].value;
    const surface = slice(start, end);
    addSpan(start, end, label);
    markOccurrences(surface, label);
    state.selection = null;
    const s = window.getSelection();
    if (s) s.removeAllRanges();
    update();
    updateSelectionInfo(`${quoted(surface)} als ${LABELS[label].name} markiert.`);
  }

  function markTerm() {
    const term = el.term.value.trim();
    if (!term) {
      el.term.focus();
      return;
    }
    const label = el['label-select'].value;
    const n = markOccurrences(term, label);
    update();
    if (n === 0) {
      const present = state.text.includes(term);
      updateSelectionInfo(present
        ? `${quoted(term)} ist schon markiert oder steht nur als Teil eines Wortes im Text.`
        : `${quoted(term)} kommt im Text nicht vor.`);
    } else {
      updateSelectionInfo(`${quoted(term)} ${n === 1 ? 'einmal' : `${n}-mal`} als ${LABELS[label].name} markiert.`);
      el.term.value = '';
    }
  }

  function resetMarks() {
    state.spans = state.original.map((s) => ({ ...s }));
    update();
    updateSelectionInfo('Alle Änderungen verworfen.');
  }

  function selectionOffsets() {
    const sel = window.getSelection();
    if (!sel || sel.rangeCount === 0) return undefined;
    const r = sel.getRangeAt(0);
    const box = el.marked;
    if (!box.contains(r.startContainer) || !box.contains(r.endContainer)) return undefined;
    if (r.collapsed) return null;
    const pre = document.createRange();
    pre.selectNodeContents(box);
    pre.setEnd(r.startContainer, r.startOffset);
    const a = pre.toString().length;
    const b = a + r.toString().length;
    const start = state.u16ToCp[a];
    const end = state.u16ToCp[b];
    if (start === undefined || end === undefined || start >= end) return null;
    return { start, end };
  }

  function updateSelectionInfo(msg) {
    const sel = state.selection;
    el.mark.disabled = !sel;
    if (msg) {
      el['selection-info'].textContent = msg;
    } else if (sel) {
      const [a, b] = trimRange(sel.start, sel.end);
      const s = slice(a, b);
      el['selection-info'].textContent = `Ausgewählt: ${quoted(s.length > 60 ? `${s.slice(0, 57)}…` : s)} – Kategorie wählen und „Auswahl markieren“.`;
    } else {
      el['selection-info'].textContent = '';
    }
  }

  async function copy(textarea, status) {
    const text = textarea.value;
    let ok = false;
    try {
      await navigator.clipboard.writeText(text);
      ok = true;
    } catch (_) {
      textarea.focus();
      textarea.select();
      try {
        ok = document.execCommand('copy');
      } catch (__) {
        ok = false;
      }
    }
    status.textContent = ok ? 'Kopiert ✓' : 'Bitte mit Strg+C kopieren (Text ist markiert).';
    if (!ok) {
      textarea.focus();
      textarea.select();
    }
    window.setTimeout(() => { status.textContent = ''; }, 2500);
  }

  async function loadInfo() {
    try {
      const info = await api('/v1/info');
      state.info = info;
      el.auth.hidden = true;
      const model = info.model
        ? `Modell ${info.model.name} (${info.model.device}) + Regeln`
        : 'Nur Regeln (kein Modell geladen)';
      el['status-text'].textContent = `Bereit · ${model}`;
      el.status.dataset.state = 'ok';
      el.version.textContent = `ampel ${info.version} · Richtlinie ${info.policy_version} · Platzhalter gültig ${Math.round(info.restore_ttl_seconds / 60)} min`;
    } catch (err) {
      el.status.dataset.state = 'error';
      if (err.code === 'unauthenticated') {
        el['status-text'].textContent = 'Anmeldung erforderlich';
        el.auth.hidden = false;
        el.token.focus();
      } else {
        el['status-text'].textContent = err.code === 'network' ? 'Dienst nicht erreichbar' : germanError(err);
      }
    }
  }

  // --------------------------------------------------------------- wiring

  function init() {
    LABEL_ORDER.forEach((l) => {
      const o = document.createElement('option');
      o.value = l;
      o.textContent = LABELS[l].name;
      el['label-select'].append(o);
    });
    el['label-select'].value = 'PERSON';

    el.check.addEventListener('click', check);
    el.example.addEventListener('click', () => {
      el.input.value = EXAMPLE;
      updateCounter();
      autoGrow(el.input);
      el.input.focus();
    });
    el.clear.addEventListener('click', () => {
      el.input.value = '';
      updateCounter();
      autoGrow(el.input);
      showError('');
      el.input.focus();
    });
    el.input.addEventListener('input', () => {
      updateCounter();
      autoGrow(el.input);
      const stale = state.ampel !== null && el.input.value !== state.text;
      el.stale.hidden = !stale;
      document.body.classList.toggle('is-stale', stale);
    });
    el.input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        check();
      }
    });
    el.answer.addEventListener('input', () => autoGrow(el.answer));
    el.answer.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        personalize();
      }
    });
    el.personalize.addEventListener('click', personalize);
    el['copy-redacted'].addEventListener('click', () => copy(el.redacted, el['copied-redacted']));
    el['copy-personalized'].addEventListener('click', () => copy(el.personalized, el['copied-personalized']));

    el.marked.addEventListener('click', (e) => {
      const m = e.target.closest('mark.ent');
      if (!m) return;
      const sel = window.getSelection();
      if (sel && !sel.isCollapsed && el.marked.contains(sel.anchorNode)) return; // a drag, not a click
      toggleSpan(Number(m.dataset.i));
    });
    el.marked.addEventListener('keydown', (e) => {
      const m = e.target.closest && e.target.closest('mark.ent');
      if (m && (e.key === 'Enter' || e.key === ' ')) {
        e.preventDefault();
        toggleSpan(Number(m.dataset.i));
      }
    });
    document.addEventListener('selectionchange', () => {
      const o = selectionOffsets();
      if (o === undefined) return; // selection elsewhere (e.g. the button): keep
      state.selection = o;
      updateSelectionInfo();
    });
    el.mark.addEventListener('click', markSelection);
    el['mark-term'].addEventListener('click', markTerm);
    el.term.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') {
        e.preventDefault();
        markTerm();
      }
    });
    el['reset-marks'].addEventListener('click', resetMarks);
    document.addEventListener('keydown', (e) => {
      if (e.altKey && !e.ctrlKey && !e.metaKey && (e.key === 'm' || e.key === 'M' || e.code === 'KeyM')) {
        if (state.selection) {
          e.preventDefault();
          markSelection();
        }
      }
    });
    el['auth-form'].addEventListener('submit', (e) => {
      e.preventDefault();
      state.token = el.token.value.trim() || null;
      el.token.value = '';
      loadInfo();
    });

    updateCounter();
    loadInfo();
  }

  init();
})();
