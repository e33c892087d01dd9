// Tables and charts wider than the screen scroll sideways inside their box. A box that scrolls is
// made reachable from the keyboard (and named after its table or section), so that people who do
// not use a mouse can scroll it too (WCAG 2.1.1). Boxes that fit are left out of the tab order.
(function () {
  "use strict";

  function nameOf(box) {
    var caption = box.querySelector("caption");
    if (caption && caption.textContent.trim()) { return caption.textContent.trim(); }
    var section = box.closest("section, figure");
    var heading = section && section.querySelector("h2, h3, figcaption");
    return heading ? heading.textContent.trim() : "";
  }

  function mark() {
    document.querySelectorAll(".table-wrap, .chart-wrap").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth + 1) {
        if (box.dataset.scrolls) { return; }
        box.dataset.scrolls = "true";
        box.tabIndex = 0;
        var name = nameOf(box);
        if (name) {
          box.setAttribute("role", "region");
          box.setAttribute("aria-label", name);
        }
      } else if (box.dataset.scrolls) {
        delete box.dataset.scrolls;
        ["tabindex", "role", "aria-label"].forEach(function (a) { box.removeAttribute(a); });
      }
    });
  }

  document.addEventListener("DOMContentLoaded", mark);
  window.addEventListener("resize", mark);
  document.addEventListener("htmx:afterSettle", mark);
})();
