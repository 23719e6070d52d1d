/* factsite preview client, loaded only by `build.py serve`.
   Loads livereload.js (reloads the page after each build, swaps stylesheets in place), reports
   the build this page shows so a tab that missed a reload catches up, and shows build errors
   over the page until the next good save. */
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script || !window.WebSocket) {
    return;
  }
  var here = script.src;
  var meta = document.querySelector('meta[name="factsite-build"]');
  var build = meta ? meta.getAttribute("content") : "";
  var STATUS = "_factsite/status.json";
  var overlay = null;
  var shown = "";
  var dismissed = "";

  function url(name) {
    return new URL(name, here).href;
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    node.className = className;
    if (text) {
      node.textContent = text;
    }
    return node;
  }

  function remove() {
    if (overlay) {
      overlay.remove();
      overlay = null;
    }
    shown = "";
  }

  function dismiss() {
    dismissed = shown;
    remove();
  }

  function render(problems) {
    var box = element("section", "factsite-overlay");
    box.setAttribute("role", "alert");
    box.setAttribute("aria-labelledby", "factsite-overlay-title");
    box.tabIndex = -1;
    var title = element("h2", "factsite-overlay__title", "The preview could not be rebuilt");
    title.id = "factsite-overlay-title";
    box.appendChild(title);
    var count = problems.length === 1 ? "1 error" : problems.length + " errors";
    box.appendChild(element("p", "factsite-overlay__lead", count + ". The page shows the last good build; " +
      "save a fix and this message goes away by itself."));
    var list = element("ol", "factsite-overlay__list");
    problems.forEach(function (problem) {
      var item = element("li", "factsite-overlay__item");
      var where = element("p", "factsite-overlay__where");
      where.appendChild(element("code", "factsite-overlay__path", problem.where));
      item.appendChild(where);
      item.appendChild(element("p", "factsite-overlay__message", problem.message));
      if (problem.excerpt) {
        item.appendChild(element("pre", "factsite-overlay__source", problem.excerpt));
      }
      if (problem.hint) {
        item.appendChild(element("p", "factsite-overlay__hint", problem.hint));
      }
      list.appendChild(item);
    });
    box.appendChild(list);
    var close = element("button", "factsite-overlay__close", "Dismiss");
    close.type = "button";
    close.addEventListener("click", dismiss);
    box.appendChild(close);
    box.addEventListener("keydown", function (event) {
      if (event.key === "Escape") {
        dismiss();
      }
    });
    return box;
  }

  function show(problems) {
    var key = JSON.stringify(problems);
    if (!problems.length) {
      remove();
      dismissed = "";
      return;
    }
    if (key === shown || key === dismissed) {
      return;
    }
    remove();
    overlay = render(problems);
    shown = key;
    document.body.appendChild(overlay);
    overlay.focus();
  }

  function refresh() {
    fetch(url("status.json"), { cache: "no-store" })
      .then(function (response) { return response.json(); })
      .then(function (status) { show(status.problems || []); })
      .catch(function () { /* the server is restarting; the socket reconnects and asks again */ });
  }

  /* A livereload.js plugin: `analyze` goes to the server in the socket's info message, and a
     reload of the status path is ours to handle (everything else reloads as usual). */
  function FactsitePreview() {}
  FactsitePreview.identifier = "factsite";
  FactsitePreview.version = "1";
  FactsitePreview.prototype.analyze = function () {
    return { build: build };
  };
  FactsitePreview.prototype.reload = function (path) {
    if (path !== STATUS) {
      return false;
    }
    refresh();
    return true;
  };
  window.LiveReloadPluginFactsite = FactsitePreview;

  var style = document.createElement("link");
  style.rel = "stylesheet";
  style.href = url("overlay.css");
  document.head.appendChild(style);

  var port = location.port || (location.protocol === "https:" ? "443" : "80");
  var loader = document.createElement("script");
  loader.src = url("livereload.js") + "?host=" + location.hostname + "&port=" + port +
    "&mindelay=250&maxdelay=4000";
  document.head.appendChild(loader);
}());
