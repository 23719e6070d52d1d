/* The search page: runs the reader's words and filters against the Pagefind index in pagefind/,
   on this site alone (nothing is sent anywhere else). Without JavaScript, or where the index cannot
   load (a page opened from a file), the page lists every claim instead, so nothing is lost. The
   words and filters are kept in the address (?q=...&verdict=...) so a search can be shared. */
(function () {
  "use strict";
  var form = document.getElementById("search");
  if (!form || !window.URLSearchParams || !window.DOMParser) { return; }
  var PAGE = 10;
  var input = document.getElementById("search-query");
  var filters = document.getElementById("search-filters");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var more = document.getElementById("search-more");
  var all = document.getElementById("search-all");
  var note = document.getElementById("search-note");
  var selects = {
    verdict: document.getElementById("search-verdict"),
    claimant: document.getElementById("search-claimant"),
    tag: document.getElementById("search-tag")
  };
  var order = document.getElementById("search-sort");
  var entries = {};
  Array.prototype.forEach.call(all.querySelectorAll(".search__entry"), function (entry) {
    var link = entry.querySelector(".search__claim a");
    if (link) { entries[new URL(link.getAttribute("href"), window.location.href).pathname] = entry; }
  });
  var pagefind = null;
  var results = [];
  var shown = 0;
  var run = 0;
  var timer = null;

  function chosenFilters() {
    var chosen = {};
    Object.keys(selects).forEach(function (key) {
      if (selects[key].value) { chosen[key] = selects[key].value; }
    });
    return chosen;
  }

  function remember(query) {
    var params = new URLSearchParams();
    if (query) { params.set("q", query); }
    Object.keys(selects).forEach(function (key) {
      if (selects[key].value) { params.set(key, selects[key].value); }
    });
    if (order.value) { params.set("sort", order.value); }
    var search = params.toString();
    try {
      window.history.replaceState(null, "", window.location.pathname + (search ? "?" + search : ""));
    } catch (ignored) { /* some pages may not rewrite their address; the search still runs */ }
  }

  function restore() {
    var params = new URLSearchParams(window.location.search);
    input.value = params.get("q") || "";
    Object.keys(selects).forEach(function (key) { choose(selects[key], params.get(key)); });
    choose(order, params.get("sort"));
  }

  function choose(select, value) {
    var known = Array.prototype.some.call(select.options, function (option) { return option.value === value; });
    select.value = known ? value : "";
  }

  /* Copy Pagefind's excerpt as text, keeping only its <mark> highlights: no markup of the page's
     own is ever parsed into this one. */
  function excerpt(html) {
    var target = document.createElement("p");
    target.className = "search-result__excerpt";
    var parsed = new DOMParser().parseFromString("<body>" + html, "text/html").body;
    Array.prototype.forEach.call(parsed.childNodes, function (node) {
      if (node.nodeName === "MARK") {
        var mark = document.createElement("mark");
        mark.textContent = node.textContent;
        target.appendChild(mark);
      } else {
        target.appendChild(document.createTextNode(node.textContent));
      }
    });
    return target;
  }

  function paragraph(className, text) {
    var p = document.createElement("p");
    p.className = className;
    p.textContent = text;
    return p;
  }

  function render(data) {
    var address = new URL(data.url, window.location.href);  /* Pagefind's URLs start at the site's root */
    var entry = entries[address.pathname];
    var meta = data.meta || {};
    var item = document.createElement("li");
    item.className = "search-result tone--" + (meta.style || "page");
    var verdict = document.createElement("p");
    verdict.className = "search-result__verdict";
    var badge = entry && entry.querySelector(".verdict");
    if (badge) {
      verdict.appendChild(badge.cloneNode(true));
    } else {
      var label = document.createElement("span");
      label.className = "verdict verdict--page";
      label.textContent = meta.verdict || "Page";
      verdict.appendChild(label);
    }
    item.appendChild(verdict);
    var heading = document.createElement("h2");
    heading.className = "search-result__title";
    var link = document.createElement("a");
    link.href = address.href;
    link.textContent = meta.title || address.pathname;
    heading.appendChild(link);
    item.appendChild(heading);
    if (meta.claimant) {
      item.appendChild(paragraph("search-result__meta", "Claim by " + meta.claimant +
        (meta.attributed ? ", attributed to " + meta.attributed : "")));
    }
    item.appendChild(excerpt(data.excerpt || ""));
    return item;
  }

  function describe(count, query) {
    var words = query ? " for “" + query + "”" : "";
    var narrowed = Object.keys(chosenFilters()).length ? " with the filters chosen" : "";
    if (!count) {
      return "Nothing found" + words + narrowed + ". Try other or fewer words" + (narrowed ? ", or fewer filters." : ".");
    }
    return count + (count === 1 ? " result" : " results") + words + narrowed + ".";
  }

  async function showMore(current) {
    var next = results.slice(shown, shown + PAGE);
    var data = await Promise.all(next.map(function (result) { return result.data(); }));
    if (current !== run) { return; }
    data.forEach(function (page) { list.appendChild(render(page)); });
    shown += next.length;
    more.hidden = shown >= results.length;
  }

  async function search() {
    var current = ++run;
    var query = input.value.trim();
    var chosen = chosenFilters();
    remember(query);
    if (!query && !Object.keys(chosen).length) {
      results = [];
      list.replaceChildren();
      list.hidden = more.hidden = true;
      all.hidden = false;
      status.textContent = "";
      return;
    }
    var options = { filters: chosen };
    if (order.value === "verdict") { options.sort = { verdict: "asc" }; }
    var found = await pagefind.search(query || null, options);
    if (current !== run || !found) { return; }
    results = found.results;
    shown = 0;
    list.replaceChildren();
    await showMore(current);
    if (current !== run) { return; }
    list.hidden = results.length === 0;
    all.hidden = true;
    status.textContent = describe(results.length, query);
  }

  function soon() {
    window.clearTimeout(timer);
    timer = window.setTimeout(search, 200);
  }

  async function start() {
    try {
      pagefind = await import(new URL(form.getAttribute("data-bundle"), window.location.href).href);
      await pagefind.init();
    } catch (error) {
      note.textContent = "Search could not start on this copy of the site (it works where the site is " +
        "served over the web). Every claim is listed below with its verdict, who made it and its topics.";
      return;
    }
    note.hidden = true;
    filters.hidden = false;
    restore();
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      window.clearTimeout(timer);
      search();
    });
    input.addEventListener("input", soon);
    Object.keys(selects).concat(["sort"]).forEach(function (key) {
      (selects[key] || order).addEventListener("change", search);
    });
    more.addEventListener("click", function () {
      var first = shown;
      showMore(run).then(function () {
        var link = list.children[first] && list.children[first].querySelector("a");
        if (link) { link.focus(); }
      });
    });
    search();
  }

  start();
}());
