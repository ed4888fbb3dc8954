// Small enhancements for every page; the site works without them.
"use strict";
(function () {
  // A citation must carry the address the reader is at when the site was built
  // without an absolute base URL (opened from a folder, or served anywhere).
  var here = location.href.split("#")[0];
  var shown = document.querySelector("[data-cite-url]");
  if (shown && !/^https?:/.test(shown.textContent)) {
    var relative = shown.textContent;
    shown.textContent = here;
    var bib = document.getElementById("citation-bibtex");
    if (bib) bib.textContent = bib.textContent.replace("{" + relative + "}", "{" + here + "}");
  }

  // A world map wider than its frame (on a phone) starts centred on Indonesia, which
  // the projection puts in the middle.
  var frames = document.querySelectorAll(".map-wide");
  for (var i = 0; i < frames.length; i++) {
    var f = frames[i];
    if (f.scrollWidth > f.clientWidth) f.scrollLeft = (f.scrollWidth - f.clientWidth) / 2;
  }
})();
