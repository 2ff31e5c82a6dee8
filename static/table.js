// scimfacts: sorting for the small tables that hold all their rows (the long lists are
// list.js's). No framework, no network. Without JavaScript every table is complete and
// readable; this only adds controls.
//
// A table opts in with data-sortable; its header cells become buttons, and a cell may give
// its sort key in data-sort (numbers sort as numbers, empty keys last). The first table's sort
// lives in the page's URL (?sort=3&dir=desc), so that a view can be shared.
(() => {
  "use strict";

  const params = () => new URLSearchParams(window.location.search);
  // Writes `changes` into the URL's query (an empty value removes the key), without a reload.
  const remember = (changes) => {
    const query = params();
    for (const [key, value] of Object.entries(changes)) {
      if (value === "" || value === null) query.delete(key); else query.set(key, value);
    }
    const text = query.toString();
    window.history.replaceState(null, "", text ? `?${text}` : window.location.pathname);
  };

  const keyOf = (row, column) => {
    const cell = row.cells[column];
    if (!cell) return "";
    return cell.dataset.sort !== undefined ? cell.dataset.sort : cell.textContent.trim().toLowerCase();
  };

  const compare = (a, b) => {
    if (a === "" && b === "") return 0;
    if (a === "") return 1;
    if (b === "") return -1;
    const x = Number(a);
    const y = Number(b);
    if (!Number.isNaN(x) && !Number.isNaN(y)) return x - y;
    return a.localeCompare(b);
  };

  const sortRows = (table, column, ascending) => {
    const headers = Array.from(table.tHead.rows[0].cells);
    headers.forEach((h) => h.removeAttribute("aria-sort"));
    headers[column].setAttribute("aria-sort", ascending ? "ascending" : "descending");
    const body = table.tBodies[0];
    const rows = Array.from(body.rows);
    rows.sort((r1, r2) => {
      const a = keyOf(r1, column);
      const b = keyOf(r2, column);
      // Empty keys stay last whichever the direction.
      if (a === "" || b === "") return compare(a, b);
      return ascending ? compare(a, b) : compare(b, a);
    });
    body.append(...rows);
  };

  const makeSortable = (table, ownsUrl) => {
    const headers = Array.from(table.tHead.rows[0].cells);
    headers.forEach((th, column) => {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "sort";
      button.append(...th.childNodes);
      th.append(button);
      button.addEventListener("click", () => {
        const ascending = th.getAttribute("aria-sort") !== "ascending";
        sortRows(table, column, ascending);
        if (ownsUrl) remember({ sort: String(column + 1), dir: ascending ? "" : "desc" });
      });
    });
    const column = Number(params().get("sort")) - 1;
    if (ownsUrl && Number.isInteger(column) && column >= 0 && column < headers.length) {
      sortRows(table, column, params().get("dir") !== "desc");
    }
  };

  // Only a page's first table keeps its sort in the URL.
  document.querySelectorAll("table[data-sortable]").forEach((table, i) => makeSortable(table, i === 0));
})();
