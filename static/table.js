// scimfacts: sorting and filtering for comparison tables. No framework, no network.
// Without JavaScript every table is complete and readable; this only adds controls.
//
// A table opts in with data-sortable; its header cells become buttons, and a cell may give
// its sort key in data-sort (numbers sort as numbers, empty keys last). A form with
// data-filter-for="<table id>" filters rows: input[name=q] matches the row's text, and
// selects match the row attribute data-<name> (space-separated values). The sort and the
// filters live in the page's URL (?sort=3&dir=desc&q=...), so that a view can be shared.
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
  window.scimfactsRemember = remember;

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
    // When the figures change (a new team size), the current order is kept by its keys.
    table.addEventListener("scimfacts:figures", () => {
      const column = headers.findIndex((h) => h.hasAttribute("aria-sort"));
      if (column >= 0) sortRows(table, column, headers[column].getAttribute("aria-sort") === "ascending");
    });
    const column = Number(params().get("sort")) - 1;
    if (ownsUrl && Number.isInteger(column) && column >= 0 && column < headers.length) {
      sortRows(table, column, params().get("dir") !== "desc");
    }
  };

  const makeFilter = (form) => {
    const table = document.getElementById(form.dataset.filterFor);
    if (!table) return;
    const status = form.querySelector("[data-filter-status]");
    const rows = Array.from(table.tBodies[0].rows);
    const selects = Array.from(form.querySelectorAll("select"));
    const search = form.elements.q;
    const query = params();
    if (search && query.has("q")) search.value = query.get("q");
    for (const select of selects) {
      const wanted = query.get(select.name);
      if (wanted !== null && Array.from(select.options).some((o) => o.value === wanted)) select.value = wanted;
    }
    const apply = () => {
      const text = (search ? search.value : "").trim().toLowerCase();
      let shown = 0;
      for (const row of rows) {
        const textMatch = text === "" || row.textContent.toLowerCase().includes(text);
        const selectMatch = selects.every((select) => {
          if (select.value === "") return true;
          const values = (row.dataset[select.name] || "").split(" ");
          return values.includes(select.value);
        });
        row.hidden = !(textMatch && selectMatch);
        if (!row.hidden) shown += 1;
      }
      if (status) status.textContent = `Showing ${shown} of ${rows.length}`;
    };
    form.addEventListener("input", (event) => {
      if (event.target.name === "users") return;
      apply();
      const changes = {};
      if (search) changes.q = search.value.trim();
      for (const select of selects) changes[select.name] = select.value;
      remember(changes);
    });
    form.addEventListener("submit", (event) => event.preventDefault());
    form.hidden = false;
    apply();
  };

  // Only a page's first table keeps its sort in the URL.
  document.querySelectorAll("table[data-sortable]").forEach((table, i) => makeSortable(table, i === 0));
  document.querySelectorAll("form[data-filter-for]").forEach(makeFilter);
})();
