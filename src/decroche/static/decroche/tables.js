/* Wide tables (issue 18 point 11), for every page that uses the DSFR table markup:
 * - the scrolling container becomes a keyboard-reachable, named region (tabindex="0",
 *   role="region", aria-label from the table's caption), so a keyboard user can scroll it;
 * - a table marked data-decroche-per-day shows one day column at a time on narrow
 *   screens, with a select to choose the day (the first column, who or when, stays).
 * Templates written for this (templates/pages/) already carry the attributes; nothing
 * here changes what is shown on a wide screen. */
(function () {
  "use strict";

  function nameOf(table) {
    var caption = table.querySelector("caption");
    return caption ? caption.textContent.trim() : document.title;
  }

  function makeFocusable(container) {
    var table = container.querySelector("table");
    if (!table || container.hasAttribute("tabindex")) return;
    container.setAttribute("tabindex", "0");
    container.setAttribute("role", "region");
    container.setAttribute("aria-label", nameOf(table));
  }

  function perDay(table, index) {
    var narrow = window.matchMedia("(max-width: 47.99em)").matches;
    table.querySelectorAll("tr").forEach(function (row) {
      Array.prototype.forEach.call(row.children, function (cell, position) {
        var isDay = position > 0 && position <= table.decrocheDays;
        cell.classList.toggle("decroche-day-hidden", narrow && isDay && position !== index);
      });
    });
  }

  function addDaySelect(table, number) {
    var head = table.querySelector("thead tr");
    if (!head) return;
    var cells = Array.prototype.slice.call(head.children);
    var days = parseInt(table.dataset.decrochePerDay, 10) || cells.length - 1;
    table.decrocheDays = days;
    var group = document.createElement("div");
    group.className = "fr-select-group decroche-day-select";
    var id = "decroche-day-" + number;
    var label = document.createElement("label");
    label.className = "fr-label";
    label.htmlFor = id;
    label.textContent = table.dataset.decrocheDayLabel || "Jour";
    var select = document.createElement("select");
    select.className = "fr-select";
    select.id = id;
    cells.slice(1, days + 1).forEach(function (cell, offset) {
      var option = document.createElement("option");
      option.value = String(offset + 1);
      option.textContent = cell.textContent.trim();
      select.appendChild(option);
    });
    group.appendChild(label);
    group.appendChild(select);
    var block = table.closest(".fr-table") || table;
    block.parentNode.insertBefore(group, block);
    var show = function () { perDay(table, parseInt(select.value, 10)); };
    select.addEventListener("change", show);
    window.matchMedia("(max-width: 47.99em)").addEventListener("change", show);
    show();
  }

  function start() {
    document.querySelectorAll(".fr-table__container").forEach(makeFocusable);
    document.querySelectorAll("table[data-decroche-per-day]").forEach(addDaySelect);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
