// scimfacts: sorting and filtering for comparison tables. No framework, no network.
// Without JavaScript every table is complete and readable; this only adds controls.
//
// A table opts in with data-sortable; its header cells become buttons, and a cell may give
// its sort key in data-sort (numbers sort as numbers, empty keys last). A form with
// data-filter-for="<table id>" filters rows: input[name=q] matches the row's text, and
// selects match the row attribute data-<name> (space-separated values).
(() => {
  "use strict";

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

  const makeSortable = (table) => {
    const headers = Array.from(table.tHead.rows[0].cells);
    headers.forEach((th, column) => {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "sort";
      button.append(...th.childNodes);
      th.append(button);
      button.addEventListener("click", () => {
        const ascending = th.getAttribute("aria-sort") !== "ascending";
        headers.forEach((h) => h.removeAttribute("aria-sort"));
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
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
      });
    });
  };

  const makeFilter = (form) => {
    const table = document.getElementById(form.dataset.filterFor);
    if (!table) return;
    const status = form.querySelector("[data-filter-status]");
    const rows = Array.from(table.tBodies[0].rows);
    const apply = () => {
      const query = (form.elements.q ? form.elements.q.value : "").trim().toLowerCase();
      const selects = Array.from(form.querySelectorAll("select"));
      let shown = 0;
      for (const row of rows) {
        const textMatch = query === "" || row.textContent.toLowerCase().includes(query);
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
    form.addEventListener("input", apply);
    form.addEventListener("submit", (event) => event.preventDefault());
    form.hidden = false;
    apply();
  };

  document.querySelectorAll("table[data-sortable]").forEach(makeSortable);
  document.querySelectorAll("form[data-filter-for]").forEach(makeFilter);
})();
