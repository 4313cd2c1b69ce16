/* npt-coder workbench: highlights, coding stripes, selection and the calls to the JSON API.
   Offsets are Unicode code points into the transcript's text, as everywhere in npt-coder (JavaScript strings
   count UTF-16 units, so every conversion goes through cpLen). No library, nothing loaded from elsewhere. */
(function () {
  "use strict";

  const csrfMeta = document.querySelector('meta[name="csrf-token"]');
  const csrf = csrfMeta ? csrfMeta.content : "";

  async function api(method, url, body) {
    const response = await fetch(url, {
      method: method, credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRF-Token": csrf, "Accept": "application/json"},
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    let data = null;
    try { data = await response.json(); } catch (e) { data = null; }
    if (!response.ok) { throw new Error((data && data.detail) || ("HTTP " + response.status)); }
    return data;
  }

  function cpLen(s) { let n = 0; for (const _ of s) { n += 1; } return n; }
  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined) { e.textContent = text; }
    return e;
  }
  function rgba(hex, a) {
    const n = parseInt(hex.slice(1), 16);
    return "rgba(" + (n >> 16) + "," + ((n >> 8) & 255) + "," + (n & 255) + "," + a + ")";
  }
  function say(node, text, bad) {
    if (!node) { return; }
    node.textContent = text;
    node.classList.toggle("bad", !!bad);
  }

  /* ---- buttons every page may have ---------------------------------------------------------------------- */
  document.querySelectorAll("[data-open-comparison]").forEach(function (b) {
    b.addEventListener("click", async function () {
      b.disabled = true;
      try {
        await api("POST", "/api/comparisons/" + encodeURIComponent(b.dataset.openComparison));
        window.location.href = b.dataset.then;
      } catch (err) { b.disabled = false; window.alert(err.message); }
    });
  });
  document.querySelectorAll("[data-save-memo]").forEach(function (b) {
    b.addEventListener("click", async function () {
      const area = document.getElementById(b.dataset.saveMemo);
      const status = b.parentElement.querySelector(".status");
      try {
        await api("PUT", "/api/memos", {target: area.dataset.memoTarget, target_id: area.dataset.memoId,
          text: area.value});
        say(status, "memo saved");
      } catch (err) { say(status, err.message, true); }
    });
  });
  const chartData = document.getElementById("chart-data");
  if (chartData && window.Plotly) {
    const fig = JSON.parse(chartData.textContent);
    window.Plotly.newPlot("agreement-chart", fig.data, fig.layout, {displaylogo: false, responsive: true});
  }

  const dataNode = document.getElementById("page-data");
  if (!dataNode) { return; }
  const data = JSON.parse(dataNode.textContent);
  const codes = data.codebook.codes;
  const colour = function (codeId) { return (codes[codeId] || {}).colour || "#777777"; };

  /* ---- the transcript text, cut into runs at every coding boundary ---------------------------------------- */
  const doc = document.getElementById("doc");
  const textCol = document.getElementById("text-col");
  let runs = [];  // {start, end, node} in text order

  function buildText() {
    textCol.textContent = "";
    if (data.front && data.front.trim()) {
      const front = el("div", "front");
      front.appendChild(el("div", "speaker", "Header"));
      front.appendChild(el("div", "tx-plain", data.front.trim()));
      textCol.appendChild(front);
    }
    data.turns.forEach(function (t) {
      const turn = el("div", "turn " + (t.speaker_role || ""));
      turn.dataset.seg = t.segment_id;
      turn.id = t.segment_id;
      turn.tabIndex = 0;
      turn.appendChild(el("div", "speaker", t.speaker || ""));
      const tx = el("div", "tx");
      tx.dataset.s = t.start;
      tx.dataset.e = t.end;
      turn.appendChild(tx);
      textCol.appendChild(turn);
    });
  }

  function paint(codings, chosenId, extraCuts) {
    runs = [];
    const byTurn = data.turns.map(function () { return []; });
    codings.forEach(function (c) {
      data.turns.forEach(function (t, i) { if (c.start < t.end && c.end > t.start) { byTurn[i].push(c); } });
    });
    const txs = textCol.querySelectorAll(".tx");
    data.turns.forEach(function (t, i) {
      const tx = txs[i];
      tx.textContent = "";
      const chars = Array.from(t.text);
      const cuts = new Set([0, chars.length]);
      byTurn[i].forEach(function (c) {
        cuts.add(Math.max(0, c.start - t.start));
        cuts.add(Math.min(chars.length, c.end - t.start));
      });
      (extraCuts || []).forEach(function (k) { if (k > t.start && k < t.end) { cuts.add(k - t.start); } });
      const points = Array.from(cuts).sort(function (a, b) { return a - b; });
      for (let k = 0; k + 1 < points.length; k += 1) {
        const a = points[k], b = points[k + 1];
        if (b <= a) { continue; }
        const span = el("span", "run", chars.slice(a, b).join(""));
        const start = t.start + a, end = t.start + b;
        span.dataset.o = start;
        const over = byTurn[i].filter(function (c) { return c.start < end && c.end > start; });
        if (over.length) {
          over.sort(function (x, y) { return (y.end - y.start) - (x.end - x.start); });
          const top = over[over.length - 1];
          span.style.backgroundColor = rgba(colour(top.code_id), Math.min(0.18 + 0.1 * over.length, 0.5));
          span.classList.add("coded");
          if (over.length > 1) { span.classList.add("multi"); }
          if (chosenId !== undefined && over.some(function (c) { return c.coding_id === chosenId; })) {
            span.classList.add("chosen");
          }
          span.title = over.map(function (c) { return c.code_id + " (" + c.coder + ")"; }).join(", ");
        }
        tx.appendChild(span);
        runs.push({start: start, end: end, node: span});
      }
    });
  }

  function runAt(offset) {  // the run holding a code point offset (binary search)
    let lo = 0, hi = runs.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (runs[mid].end <= offset) { lo = mid + 1; } else if (runs[mid].start > offset) { hi = mid - 1; } else { return runs[mid]; }
    }
    return null;
  }

  function offsetOf(node, offset) {
    if (node.nodeType === Node.TEXT_NODE) {
      const run = node.parentElement.closest(".run");
      if (!run) { return null; }
      return Number(run.dataset.o) + cpLen(node.data.slice(0, offset));
    }
    const tx = node.closest ? node.closest(".tx") : null;
    if (node.classList && node.classList.contains("run")) {
      return Number(node.dataset.o) + (offset > 0 ? cpLen(node.textContent) : 0);
    }
    if (tx) {
      const kids = tx.querySelectorAll(".run");
      if (offset < kids.length) { return Number(kids[offset].dataset.o); }
      return Number(tx.dataset.e);
    }
    const turn = node.closest ? node.closest(".turn") : null;
    if (turn) {
      const t = turn.querySelector(".tx");
      return offset === 0 ? Number(t.dataset.s) : Number(t.dataset.e);
    }
    return null;
  }

  function selectedSpan() {
    const sel = window.getSelection();
    if (!sel.rangeCount || sel.isCollapsed) { return null; }
    const r = sel.getRangeAt(0);
    if (!textCol.contains(r.commonAncestorContainer)) { return null; }
    const start = offsetOf(r.startContainer, r.startOffset);
    const end = offsetOf(r.endContainer, r.endOffset);
    if (start === null || end === null || end <= start) { return null; }
    return {start: start, end: end};
  }

  function textOf(start, end) {
    let out = "";
    data.turns.forEach(function (t) {
      if (start < t.end && end > t.start) {
        const chars = Array.from(t.text);
        out += (out ? " … " : "") + chars.slice(Math.max(0, start - t.start), Math.min(chars.length, end - t.start)).join("");
      }
    });
    return out;
  }

  function box(start, end) {  // top and height of a span, in the document box's coordinates
    const first = runAt(start), last = runAt(end - 1);
    if (!first || !last) { return null; }
    const base = doc.getBoundingClientRect().top;
    const a = first.node.getClientRects(), b = last.node.getClientRects();
    if (!a.length || !b.length) { return null; }
    const top = a[0].top - base;
    return {top: top, height: Math.max(30, b[b.length - 1].bottom - base - top)};
  }

  function drawStripes(container, codings, onPick, chosenId) {
    container.textContent = "";
    const placed = codings.map(function (c) { return {c: c, b: box(c.start, c.end)}; })
      .filter(function (p) { return p.b; }).sort(function (x, y) { return x.b.top - y.b.top; });
    const lanes = [];
    placed.forEach(function (p) {
      let lane = lanes.findIndex(function (bottom) { return bottom < p.b.top - 3; });
      if (lane < 0) { lane = lanes.length; lanes.push(0); }
      lanes[lane] = p.b.top + p.b.height;
      const s = el("button", "stripe");
      s.type = "button";
      s.style.top = p.b.top + "px";
      s.style.height = p.b.height + "px";
      s.style.left = (lane * 27) + "px";
      s.style.backgroundColor = colour(p.c.code_id);
      s.style.color = (codes[p.c.code_id] || {}).ink || "#FFFFFF";
      s.dataset.coding = p.c.coding_id;
      s.dataset.code = p.c.code_id;
      if (p.c.coding_id === chosenId) { s.classList.add("chosen"); }
      const name = (codes[p.c.code_id] || {}).name || "";
      s.title = p.c.code_id + " " + name + " · " + p.c.coder + (p.c.memo ? " · memo: " + p.c.memo : "");
      s.setAttribute("aria-label", s.title);
      s.appendChild(el("span", "label", p.c.code_id));
      if (p.c.memo) { s.classList.add("has-memo"); }
      s.addEventListener("click", function () { onPick(p.c); });
      container.appendChild(s);
    });
    container.style.width = Math.max(1, lanes.length) * 27 + 6 + "px";
  }

  buildText();
  if (document.body.classList.contains("coding")) { codingPage(); } else { comparePage(); }

  /* ---- coding a transcript ---------------------------------------------------------------------------- */
  function codingPage() {
    let codings = data.codings.slice();
    let pending = null, chosen = null, lastBatch = null;
    const stripes = document.getElementById("stripes");
    const selBox = document.getElementById("selection");
    const tree = document.getElementById("code-tree");
    const info = document.getElementById("code-info");
    const search = document.getElementById("code-search");

    function redraw() {
      paint(codings, chosen ? chosen.coding_id : undefined);
      drawStripes(stripes, codings, choose, chosen ? chosen.coding_id : undefined);
    }
    function showPending() {
      if (!pending) { say(selBox, "Select text to code it."); return; }
      const t = textOf(pending.start, pending.end);
      say(selBox, "Selected " + (pending.end - pending.start) + " characters: “" + (t.length > 140 ? t.slice(0, 140) + "…" : t) +
        "”. Pick codes to apply (each click adds one).");
    }

    /* codebook tree */
    function codeButton(id, inductive) {
      const c = codes[id];
      const b = el("button", "code" + (inductive ? " inductive" : ""));
      b.type = "button";
      b.dataset.code = id;
      b.style.borderLeftColor = c.colour;
      b.appendChild(el("span", "id", (inductive ? "↳ " : "") + id));
      b.appendChild(el("span", "name", c.name));
      b.addEventListener("click", function () { apply(id); });
      b.addEventListener("mouseenter", function () { describe(id); });
      b.addEventListener("focus", function () { describe(id); });
      return b;
    }
    function describe(id) {
      const c = codes[id];
      info.textContent = "";
      info.appendChild(el("h3", "", c.code_id + " " + c.name));
      info.appendChild(el("p", "where", c.kind === "inductive" ? "Inductive, maps to " + c.maps_to.join(", ") : c.construct));
      info.appendChild(el("p", "", c.definition));
      if (c.questions.length) {
        const ul = el("ul");
        c.questions.forEach(function (q) { ul.appendChild(el("li", "", q)); });
        info.appendChild(ul);
      }
    }
    data.codebook.domains.forEach(function (d) {
      const group = el("div", "domain");
      const head = el("h2", "", d.name);
      head.style.borderBottomColor = d.colour;
      group.appendChild(head);
      d.inductive.forEach(function (id) { group.appendChild(codeButton(id, true)); });
      d.constructs.forEach(function (con) {
        if (!con.single) { group.appendChild(el("div", "construct", con.id + " " + con.name)); }
        con.inductive.forEach(function (id) { group.appendChild(codeButton(id, true)); });
        con.codes.forEach(function (code) {
          group.appendChild(codeButton(code.code_id, false));
          code.inductive.forEach(function (id) { group.appendChild(codeButton(id, true)); });
        });
      });
      tree.appendChild(group);
    });
    data.codebook.unmapped.forEach(function (id) { tree.appendChild(codeButton(id, true)); });

    let active = -1;
    function visibleCodes() { return Array.from(tree.querySelectorAll("button.code")).filter(function (b) { return !b.hidden; }); }
    function mark(i) {
      const list = visibleCodes();
      list.forEach(function (b) { b.classList.remove("active"); });
      active = list.length ? (i + list.length) % list.length : -1;
      if (active >= 0) { list[active].classList.add("active"); list[active].scrollIntoView({block: "nearest"}); describe(list[active].dataset.code); }
    }
    search.addEventListener("input", function () {
      const q = search.value.trim().toLowerCase();
      tree.querySelectorAll("button.code").forEach(function (b) {
        const c = codes[b.dataset.code];
        b.hidden = !!q && (c.code_id + " " + c.name + " " + c.definition).toLowerCase().indexOf(q) < 0;
      });
      // the best match first: the code's id, then the start of its id, then its name, then its definition
      const list = visibleCodes();
      const rank = function (b) {
        const c = codes[b.dataset.code], id = c.code_id.toLowerCase();
        return id === q ? 0 : id.startsWith(q) ? 1 : c.name.toLowerCase().indexOf(q) >= 0 ? 2 : 3;
      };
      let best = 0;
      list.forEach(function (b, i) { if (rank(b) < rank(list[best])) { best = i; } });
      mark(best);
    });
    search.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown") { e.preventDefault(); mark(active + 1); }
      else if (e.key === "ArrowUp") { e.preventDefault(); mark(active - 1); }
      else if (e.key === "Enter") {
        e.preventDefault();
        const list = visibleCodes();
        if (active >= 0 && list[active]) { apply(list[active].dataset.code); }
        search.select();  // typing the next code replaces this one
      } else if (e.key === "Escape") { search.blur(); focusTurn(0); }
    });

    async function apply(codeId) {
      if (!data.can_code) { say(selBox, "Viewers cannot code.", true); return; }
      if (!data.me) { say(selBox, "Pick the name you code as (top right) first.", true); return; }
      if (!pending) { say(selBox, "Select text first, then pick a code.", true); return; }
      try {
        const c = await api("POST", "/api/codings", {transcript_id: data.transcript_id, code_id: codeId,
          start: pending.start, end: pending.end});
        codings.push(c);
        lastBatch = c.batch_id;
        redraw();
        showUndo("Coded " + codeId + ".");
        showPending();
      } catch (err) { say(selBox, err.message, true); }
    }

    /* one coding: change its code or memo, remove it */
    const panel = document.getElementById("chosen");
    const pick = document.getElementById("chosen-code");
    Object.keys(codes).forEach(function (id) {
      const o = el("option", "", id + " " + codes[id].name);
      o.value = id;
      pick.appendChild(o);
    });
    function choose(c) {
      chosen = c;
      panel.hidden = false;
      document.getElementById("chosen-title").textContent = c.code_id + " by " + c.coder;
      document.getElementById("chosen-text").textContent = "“" + textOf(c.start, c.end) + "”";
      pick.value = c.code_id;
      document.getElementById("chosen-memo").value = c.memo || "";
      const mine = c.coder === data.me || data.is_lead;
      ["chosen-save", "chosen-remove"].forEach(function (id) { document.getElementById(id).disabled = !mine; });
      redraw();
    }
    document.getElementById("chosen-close").addEventListener("click", function () { chosen = null; panel.hidden = true; redraw(); });
    document.getElementById("chosen-save").addEventListener("click", async function () {
      const change = {};
      if (pick.value !== chosen.code_id) { change.code_id = pick.value; }
      const memo = document.getElementById("chosen-memo").value.trim();
      if (memo !== (chosen.memo || "")) { change.memo = memo; }
      if (!Object.keys(change).length) { return; }
      try {
        const c = await api("PATCH", "/api/codings/" + chosen.coding_id, change);
        codings = codings.filter(function (x) { return x.coding_id !== chosen.coding_id; });
        codings.push(c);
        lastBatch = c.batch_id;
        showUndo("Changed the coding.");
        choose(c);
      } catch (err) { say(selBox, err.message, true); }
    });
    document.getElementById("chosen-remove").addEventListener("click", async function () {
      try {
        const r = await api("DELETE", "/api/codings/" + chosen.coding_id);
        codings = codings.filter(function (x) { return x.coding_id !== chosen.coding_id; });
        lastBatch = r.batch_id;
        showUndo("Removed " + chosen.code_id + ".");
        chosen = null;
        panel.hidden = true;
        redraw();
      } catch (err) { say(selBox, err.message, true); }
    });
    function showUndo(text) {
      document.getElementById("undo").hidden = false;
      document.getElementById("undo-text").textContent = text;
    }
    document.getElementById("undo-button").addEventListener("click", async function () {
      if (lastBatch === null) { return; }
      try {
        await api("POST", "/api/batches/" + lastBatch + "/undo");
        const fresh = await api("GET", "/api/transcripts/" + encodeURIComponent(data.transcript_id));
        codings = fresh.codings;
        lastBatch = null;
        document.getElementById("undo").hidden = true;
        chosen = null;
        panel.hidden = true;
        redraw();
        if (hooks.undone) { hooks.undone(); }
      } catch (err) { say(selBox, err.message, true); }
    });

    /* what static/suggestions.js needs: the API call, and the page's codings kept as accepting and rejecting change them */
    const hooks = window.nptCoding = {
      api: api, say: say, undone: null,
      scrollTo: function (start) { const r = runAt(start); if (r) { r.node.scrollIntoView({block: "center"}); } },
      changed: function (batch, text, added, removedId) {
        codings = codings.filter(function (x) { return x.coding_id !== removedId && (!added || x.coding_id !== added.coding_id); });
        if (added) { codings.push(added); }
        lastBatch = batch;
        showUndo(text);
        redraw();
      },
    };

    /* memos on the transcript and on a code */
    const memoT = document.getElementById("memo-transcript");
    memoT.value = data.memos["transcript:" + data.transcript_id] || "";
    const memoPick = document.getElementById("memo-code-pick");
    const memoCode = document.getElementById("memo-code");
    Object.keys(codes).forEach(function (id) { const o = el("option", "", id); o.value = id; memoPick.appendChild(o); });
    function loadCodeMemo() { memoCode.dataset.memoId = memoPick.value; memoCode.value = data.memos["code:" + memoPick.value] || ""; }
    memoPick.addEventListener("change", loadCodeMemo);
    loadCodeMemo();

    /* selecting with the mouse or the keyboard */
    function readSelection() {
      const span = selectedSpan();
      if (span) { pending = span; showPending(); }
    }
    textCol.addEventListener("mouseup", function (e) {
      const span = selectedSpan();
      if (span) { pending = span; showPending(); return; }
      const run = e.target.closest ? e.target.closest(".run.coded") : null;
      if (run) {  // a click on coded text (no selection) picks the shortest coding there
        const at = Number(run.dataset.o);
        const here = codings.filter(function (c) { return c.start <= at && c.end > at; })
          .sort(function (x, y) { return (x.end - x.start) - (y.end - y.start); });
        if (here.length) { choose(here[0]); }
      }
    });
    function turns() { return Array.from(textCol.querySelectorAll(".turn")); }
    function focusTurn(i) { const list = turns(); if (list.length) { list[Math.max(0, Math.min(i, list.length - 1))].focus(); } }
    textCol.addEventListener("keydown", function (e) {
      const turn = e.target.closest ? e.target.closest(".turn") : null;
      const list = turns();
      const i = turn ? list.indexOf(turn) : -1;
      const sel = window.getSelection();
      if ((e.key === "j" || e.key === "k") && !e.ctrlKey && !e.metaKey && !e.altKey) {
        e.preventDefault();
        focusTurn(i + (e.key === "j" ? 1 : -1));
      } else if (e.key === "Enter" && turn) {
        e.preventDefault();
        const tx = turn.querySelector(".tx");
        const r = document.createRange();
        r.selectNodeContents(tx);
        sel.removeAllRanges();
        sel.addRange(r);
        readSelection();
      } else if (e.shiftKey && (e.key === "ArrowLeft" || e.key === "ArrowRight") && sel.rangeCount && !sel.isCollapsed) {
        e.preventDefault();
        const dir = e.key === "ArrowRight" ? "forward" : "backward";
        const r = sel.getRangeAt(0);
        if (e.ctrlKey) { sel.setBaseAndExtent(r.endContainer, r.endOffset, r.startContainer, r.startOffset); }
        else { sel.setBaseAndExtent(r.startContainer, r.startOffset, r.endContainer, r.endOffset); }
        sel.modify("extend", dir, "word");
        readSelection();
      }
    });
    document.addEventListener("keydown", function (e) {
      const typing = /^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement.tagName);
      if (e.key === "/" && !typing) { e.preventDefault(); search.focus(); search.select(); }
    });
    window.addEventListener("resize", redraw);
    redraw();
  }

  /* ---- comparing two coders and settling ----------------------------------------------------------------- */
  function comparePage() {
    const [a, b] = data.coders;
    const all = data.codings;
    const of = function (who) { return all.filter(function (c) { return c.coder === who; }); };
    const list = document.getElementById("dis-list");
    function redraw() {
      const edges = [];
      data.disagreements.forEach(function (d) { edges.push(d.start, d.end); });
      paint(of(a).concat(of(b)), undefined, edges);
      drawStripes(document.getElementById("stripes-a"), of(a), show);
      drawStripes(document.getElementById("stripes-b"), of(b), show);
      drawStripes(document.getElementById("stripes-c"), of(data.consensus), show);
      doc.querySelectorAll(".band").forEach(function (n) { n.remove(); });
      data.disagreements.forEach(function (d) {
        const bx = box(d.start, d.end);
        if (!bx) { return; }
        const band = el("div", "band" + (d.settled ? " settled" : ""));
        band.style.top = bx.top + "px";
        band.style.height = bx.height + "px";
        band.style.left = textCol.offsetLeft - 6 + "px";
        band.title = d.segment_id + ": " + (d.settled ? "settled" : "to settle");
        band.addEventListener("click", function () { focusItem(d.segment_id); });
        doc.appendChild(band);
      });
    }
    const infoBox = document.getElementById("stripe-info");
    function show(c) {
      const t = textOf(c.start, c.end);
      infoBox.textContent = "";
      infoBox.appendChild(el("h2", "", c.code_id + " " + ((codes[c.code_id] || {}).name || "") + " · " + c.coder));
      infoBox.appendChild(el("p", "quote", "“" + (t.length > 300 ? t.slice(0, 300) + "…" : t) + "”"));
      if (c.memo) { infoBox.appendChild(el("p", "", "Memo: " + c.memo)); }
    }
    function focusItem(seg) {
      const item = document.getElementById("dis-" + seg);
      if (!item) { return; }
      list.querySelectorAll(".dis").forEach(function (n) { n.classList.remove("current"); });
      item.classList.add("current");
      item.scrollIntoView({block: "nearest"});
    }
    list.querySelectorAll(".dis").forEach(function (item) {
      item.querySelector(".goto").addEventListener("click", function () {
        const r = runAt(Number(item.dataset.start));
        if (r) { r.node.scrollIntoView({block: "center"}); }
        focusItem(item.dataset.seg);
      });
      const settle = item.querySelector("button.settle");
      if (!settle) { return; }
      settle.addEventListener("click", async function () {
        /* one decision per code whose choice is new (code_id "" for the whole segment), each with its own key */
        const status = item.querySelector(".status");
        const other = item.querySelector("input.other").value.split(/[,;\s]+/).filter(Boolean);
        const note = item.querySelector("input.note").value, sent = [];
        item.querySelectorAll("fieldset.decide").forEach(function (f) {
          const picked = f.querySelector("input[type=radio]:checked");
          if (!picked || picked.value === f.dataset.done) { return; }
          sent.push({segment_id: item.dataset.seg, code_id: f.dataset.code, decision: picked.value,
            key: f.dataset.key, other_codes: other, note: note});
        });
        if (!sent.length) { say(status, "choose whose call stands on a code in dispute", true); return; }
        settle.disabled = true;
        try {
          await api("POST", "/api/settle", {transcript_id: data.transcript_id, coders: [a, b], unit: data.unit,
            decisions: sent});
          window.location.hash = "dis-" + item.dataset.seg;
          window.location.reload();
        } catch (err) { settle.disabled = false; say(status, err.message, true); }
      });
    });
    document.getElementById("pick-go").addEventListener("click", function () {
      const pa = document.getElementById("pick-a").value, pb = document.getElementById("pick-b").value;
      const unit = document.getElementById("pick-unit").value;
      window.location.href = "?coders=" + encodeURIComponent(pa + "," + pb) + "&unit=" + encodeURIComponent(unit);
    });
    window.addEventListener("resize", redraw);
    redraw();
    if (window.location.hash) { focusItem(window.location.hash.slice(5)); }
  }
})();
