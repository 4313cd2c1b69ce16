/* npt-coder workbench: reviewing suggested codes on a transcript's page, one click to accept, one to reject.
   Uses what workbench.js hands over in window.nptCoding (the API call, and keeping the page's codings). */
(function () {
  "use strict";
  const list = document.querySelector(".suggestion-list");
  const page = window.nptCoding;
  if (!list || !page) { return; }
  const items = Array.from(list.querySelectorAll(".suggestion"));
  const left = document.getElementById("suggest-open");

  function show(item, state, text) {  // state: "open", "accepted" or "rejected"
    item.classList.toggle("accepted", state === "accepted");
    item.classList.toggle("rejected", state === "rejected");
    item.querySelectorAll("[data-accept], [data-reject]").forEach(function (b) { b.hidden = state !== "open"; b.disabled = false; });
    page.say(item.querySelector(".status"), text === undefined ? (state === "open" ? "" : state) : text);
    left.textContent = items.filter(function (n) { return !n.classList.contains("accepted") && !n.classList.contains("rejected"); }).length;
  }

  items.forEach(function (item) {
    const id = Number(item.dataset.suggestion);
    item.querySelector(".goto").addEventListener("click", function () { page.scrollTo(Number(item.dataset.start)); });
    item.querySelector("[data-accept]").addEventListener("click", async function (e) {
      e.target.disabled = true;
      try {
        const c = await page.api("POST", "/api/suggestions/" + id + "/accept", {});
        page.changed(c.batch_id, "Accepted " + c.code_id + ".", c, null);
        show(item, "accepted");
      } catch (err) { e.target.disabled = false; page.say(item.querySelector(".status"), err.message, true); }
    });
    item.querySelector("[data-reject]").addEventListener("click", async function (e) {
      e.target.disabled = true;
      try {
        const r = await page.api("POST", "/api/suggestions/" + id + "/reject", {});
        page.changed(r.batch_id, "Rejected " + item.dataset.code + ".", null, id);
        show(item, "rejected");
      } catch (err) { e.target.disabled = false; page.say(item.querySelector(".status"), err.message, true); }
    });
  });

  /* after an undo, ask again which suggestions are open, accepted or gone */
  page.undone = async function () {
    try {
      const fresh = await page.api("GET", "/api/transcripts/" + encodeURIComponent(list.dataset.transcript) + "/suggestions");
      const now = {};
      fresh.suggestions.forEach(function (s) { now[s.coding_id] = s; });
      items.forEach(function (item) {
        const s = now[Number(item.dataset.suggestion)];
        show(item, !s ? "rejected" : s.accepted ? "accepted" : "open");
      });
    } catch (err) { page.say(left, err.message, true); }
  };
})();
