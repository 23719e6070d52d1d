/* Filter the claim list by verdict, claimant and topic. Without JavaScript the verdict,
   claimant and topic pages do the same job, so the controls stay hidden. The choice is kept
   in the address (?verdict=...&claimant=...&tag=...) so a filtered list can be shared. */
(function () {
  "use strict";
  var form = document.getElementById("filters");
  if (!form || !window.URLSearchParams) { return; }
  var selects = {
    verdict: document.getElementById("filter-verdict"),
    claimant: document.getElementById("filter-claimant"),
    tag: document.getElementById("filter-tag")
  };
  var keys = Object.keys(selects);
  var status = document.getElementById("filter-status");
  var cards = Array.prototype.slice.call(document.querySelectorAll(".claim-list .claim-card"));

  function matches(card) {
    var tags = " " + (card.getAttribute("data-tags") || "") + " ";
    var claimants = " " + (card.getAttribute("data-claimant") || "") + " ";
    return (!selects.verdict.value || card.getAttribute("data-verdict") === selects.verdict.value) &&
      (!selects.claimant.value || claimants.indexOf(" " + selects.claimant.value + " ") >= 0) &&
      (!selects.tag.value || tags.indexOf(" " + selects.tag.value + " ") >= 0);
  }

  function remember() {
    var params = new URLSearchParams(window.location.search);
    keys.forEach(function (key) {
      if (selects[key].value) { params.set(key, selects[key].value); } else { params.delete(key); }
    });
    var query = params.toString();
    try {
      window.history.replaceState(null, "", window.location.pathname + (query ? "?" + query : "") + window.location.hash);
    } catch (ignored) { /* file:// pages may refuse; the filter still works */ }
  }

  function apply(announce) {
    var shown = 0;
    cards.forEach(function (card) {
      var ok = matches(card);
      card.hidden = !ok;
      if (ok) { shown += 1; }
    });
    var filtered = keys.some(function (key) { return selects[key].value; });
    if (!filtered) {
      status.textContent = announce ? "Showing all " + cards.length + " claims." : "";
    } else {
      status.textContent = shown === 0 ? "No claim matches these filters." :
        "Showing " + shown + " of " + cards.length + " claims.";
    }
  }

  function choose(select, value) {
    for (var i = 0; i < select.options.length; i += 1) {
      if (select.options[i].value === value) { select.value = value; return; }
    }
  }

  var initial = new URLSearchParams(window.location.search);
  keys.forEach(function (key) {
    if (initial.get(key)) { choose(selects[key], initial.get(key)); }
    selects[key].addEventListener("change", function () { apply(true); remember(); });
  });
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  form.addEventListener("reset", function () {
    window.setTimeout(function () { apply(true); remember(); }, 0);
  });
  form.hidden = false;
  apply(false);
}());
