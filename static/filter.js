/* Filter the claim list by verdict, claimant and topic. Without JavaScript the verdict,
   claimant and topic pages do the same job, so the controls stay hidden. */
(function () {
  "use strict";
  var box = document.getElementById("filters");
  if (!box) { return; }
  var selects = {
    verdict: document.getElementById("filter-verdict"),
    claimant: document.getElementById("filter-claimant"),
    tags: document.getElementById("filter-tag")
  };
  var status = document.getElementById("filter-status");
  var cards = Array.prototype.slice.call(document.querySelectorAll(".claim-card"));
  function apply() {
    var shown = 0;
    cards.forEach(function (card) {
      var ok = (!selects.verdict.value || card.dataset.verdict === selects.verdict.value) &&
        (!selects.claimant.value || card.dataset.claimant === selects.claimant.value) &&
        (!selects.tags.value || (" " + card.dataset.tags + " ").indexOf(" " + selects.tags.value + " ") >= 0);
      card.hidden = !ok;
      if (ok) { shown += 1; }
    });
    status.textContent = "Showing " + shown + " of " + cards.length + " claims.";
  }
  Object.keys(selects).forEach(function (key) { selects[key].addEventListener("change", apply); });
  box.hidden = false;
}());
