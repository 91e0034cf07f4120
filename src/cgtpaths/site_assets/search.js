// Search the site from an index built with it (data/search.js): no server, nothing sent anywhere.
// Every word typed must start a word of a page's title, other names or summary; title words count most.
"use strict";

(function () {
  var INDEX = window.CGTPATHS_SEARCH;
  var WORD = /[a-z0-9]+/g;

  function words(text) {
    return (text.toLowerCase().match(WORD) || []);
  }

  function prefixed(haystack, word) {
    for (var i = 0; i < haystack.length; i++) {
      if (haystack[i].indexOf(word) === 0) return true;
    }
    return false;
  }

  function search(query) {
    var wanted = words(query);
    if (!wanted.length) return [];
    var hits = [];
    INDEX.forEach(function (entry) {
      var title = words(entry.title), names = words(entry.names), text = words(entry.text);
      var score = 0;
      for (var i = 0; i < wanted.length; i++) {
        if (prefixed(title, wanted[i])) score += 3;
        else if (prefixed(names, wanted[i])) score += 2;
        else if (prefixed(text, wanted[i])) score += 1;
        else return;
      }
      hits.push({ entry: entry, score: score });
    });
    hits.sort(function (a, b) {
      return b.score - a.score || (a.entry.title < b.entry.title ? -1 : a.entry.title > b.entry.title ? 1 : 0);
    });
    return hits.slice(0, 50);
  }

  function show(query) {
    var list = document.getElementById("search-results");
    var status = document.getElementById("search-status");
    list.textContent = "";
    if (!words(query).length) {
      status.textContent = "Type a word, for example aseptic, apprenticeship or Scotland.";
      return;
    }
    var hits = search(query);
    hits.forEach(function (hit) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.setAttribute("href", hit.entry.href);
      link.textContent = hit.entry.title;  // text only: data never becomes markup
      item.appendChild(link);
      item.appendChild(document.createTextNode(" (" + hit.entry.kind + ")"));
      list.appendChild(item);
    });
    status.textContent = hits.length ? hits.length + " found for \u201c" + query + "\u201d." : "Nothing found for \u201c" + query + "\u201d.";
  }

  var query = new URLSearchParams(window.location.search).get("q") || "";
  var box = document.getElementById("q");
  box.value = query;
  show(query);
  document.getElementById("search").addEventListener("submit", function (event) {
    event.preventDefault();
    var params = new URLSearchParams();
    if (box.value) params.set("q", box.value);
    history.replaceState(null, "", params.toString() ? "?" + params.toString() : window.location.pathname);
    show(box.value);
  });
})();
