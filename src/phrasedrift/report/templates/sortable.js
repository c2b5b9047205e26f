/* Sort any table.sortable by clicking (or pressing Enter on) a column header.
   Cells sort by their data-sort attribute when present, else by their text; headers with
   data-type="number" sort numerically. Empty values sort last in both directions. */
(function () {
  "use strict";
  var collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });

  function key(cell) {
    var value = cell.getAttribute("data-sort");
    return value === null ? cell.textContent.trim() : value;
  }

  function compare(type, a, b) {
    if (a === "" || b === "") { return a === b ? 0 : (a === "" ? 1 : -1); }
    if (type === "number") { return parseFloat(a) - parseFloat(b); }
    return collator.compare(a, b);
  }

  function sortBy(table, th) {
    var headers = th.parentNode.children;
    var index = Array.prototype.indexOf.call(headers, th);
    var type = th.getAttribute("data-type") || "text";
    var direction = th.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending";
    var sign = direction === "ascending" ? 1 : -1;
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows).map(function (row, position) {
      return { row: row, key: key(row.cells[index]), position: position };
    });
    rows.sort(function (a, b) {
      if (a.key === "" || b.key === "") { return compare(type, a.key, b.key) || a.position - b.position; }
      return sign * compare(type, a.key, b.key) || a.position - b.position;
    });
    rows.forEach(function (item) { body.appendChild(item.row); });
    Array.prototype.forEach.call(headers, function (header) { header.setAttribute("aria-sort", "none"); });
    th.setAttribute("aria-sort", direction);
  }

  Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), function (table) {
    if (!table.tHead || !table.tBodies.length) { return; }
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
      th.tabIndex = 0;
      th.title = "Sort by " + th.textContent.trim();
      th.addEventListener("click", function () { sortBy(table, th); });
      th.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") { event.preventDefault(); sortBy(table, th); }
      });
    });
  });
})();
