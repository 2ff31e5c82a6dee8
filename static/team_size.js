// scimfacts: the team-size control of the comparison tables. At the team size a reader picks
// (or `?users=N` in the URL), it rewrites each row's figures (the cells marked data-at) from
// api/pricing.js, through figures.js, which computes them as the generator does. Without
// JavaScript the table shows the same figures at the site's first team size. It also lets a
// reader tick rows to compare them or add them to a stack.
(() => {
  "use strict";
  const data = window.scimfactsData;
  const figures = window.scimfactsFigures;
  const tables = Array.from(document.querySelectorAll("table[data-team-size]"));
  const input = document.getElementById("team-size");
  if (!data || !figures || tables.length === 0) return;
  const vendors = new Map(data.vendors.map((v) => [v.slug, v]));

  // Writes a figure and its sort key.
  const writeCell = (cell, text, quiet, sortKey, suffix) => {
    figures.writeCell(cell, text, quiet, suffix);
    if (sortKey !== undefined) cell.dataset.sort = sortKey === null ? "" : String(sortKey);
  };

  const writeRow = (row, users) => {
    const vendor = vendors.get(row.dataset.slug);
    if (!vendor) return;
    for (const feature of ["scim", "sso"]) {
      const at = figures.featureAt(vendor, feature, users, data.currencies);
      const cell = (what) => row.querySelector(`[data-at="${feature} ${what}"]`);
      const plan = cell("plan");
      if (plan) writeCell(plan, at.plan_text, at.plan === null || at.status === "unavailable" ? at.quiet : null);
      const annual = cell("annual");
      if (annual) writeCell(annual, at.annual_text, at.annual === null ? at.quiet : null, at.annual);
      const extra = cell("extra");
      if (extra) writeCell(extra, at.extra_text, at.extra === null ? at.quiet : null, at.extra, at.percent_text);
    }
  };

  let current = null;
  const show = (users, fromUrl) => {
    if (users === null || users === current) return;
    current = users;
    for (const table of tables) {
      for (const row of table.tBodies[0].rows) writeRow(row, users);
      for (const label of document.querySelectorAll("[data-users-label]")) label.textContent = String(users);
      table.dispatchEvent(new CustomEvent("scimfacts:figures"));
    }
    if (!fromUrl && window.scimfactsRemember) {
      window.scimfactsRemember({ users: users === data.team_sizes[0] ? "" : String(users) });
    }
  };

  if (input) {
    const fromUrl = figures.usersFromUrl();
    if (fromUrl !== null) input.value = String(fromUrl);
    const typed = (fromUrl) => {
      const users = figures.parseUsers(input.value);
      figures.markUsers(input, users !== null);
      show(users, fromUrl);
    };
    input.addEventListener("input", () => typed(false));
    for (const button of document.querySelectorAll("button[data-users]")) {
      button.addEventListener("click", () => {
        input.value = button.dataset.users;
        typed(false);
      });
    }
    typed(true);
  }

  // Ticking rows: compare 2 to 4 of them, or add them all to a stack.
  const bar = document.querySelector("[data-pick-bar]");
  if (!bar) return;
  const picks = [];
  const count = bar.querySelector("[data-pick-count]");
  const compareLink = bar.querySelector("[data-pick-compare]");
  const stackLink = bar.querySelector("[data-pick-stack]");
  const base = (link) => link.getAttribute("href").split("?")[0];
  const compareBase = base(compareLink);
  const stackBase = base(stackLink);
  const update = () => {
    const slugs = picks.join(",");
    count.textContent = picks.length === 0
      ? "Tick up to 4 vendors to compare them, or any number to add them to your stack."
      : picks.length === 1
        ? "1 selected: tick one more to compare."
        : picks.length > 4
          ? `${picks.length} selected: Compare takes 2 to 4, your stack any number.`
          : `${picks.length} selected.`;
    bar.classList.toggle("active", picks.length > 0);
    compareLink.href = `${compareBase}?v=${slugs}`;
    compareLink.setAttribute("aria-disabled", String(picks.length < 2 || picks.length > 4));
    const seats = current && current !== data.team_sizes[0] ? `:${current}` : "";
    stackLink.href = `${stackBase}?v=${picks.map((s) => s + seats).join(",")}`;
    stackLink.setAttribute("aria-disabled", String(picks.length === 0));
  };
  // A box before each vendor's name (made here: without JavaScript there is nothing to tick).
  const template = document.createElement("input");
  template.type = "checkbox";
  template.className = "pick";
  for (const table of tables) {
    for (const row of table.tBodies[0].rows) {
      const link = row.cells[0].querySelector("a");
      if (!row.dataset.slug || !link) continue;
      const box = template.cloneNode();
      box.value = row.dataset.slug;
      box.setAttribute("aria-label", `Select ${link.textContent}`);
      row.cells[0].prepend(box);
    }
  }
  for (const box of document.querySelectorAll("input.pick")) {
    box.addEventListener("change", () => {
      const at = picks.indexOf(box.value);
      if (box.checked && at < 0) picks.push(box.value);
      if (!box.checked && at >= 0) picks.splice(at, 1);
      update();
    });
  }
  for (const link of [compareLink, stackLink]) {
    link.addEventListener("click", (event) => {
      if (link.getAttribute("aria-disabled") === "true") event.preventDefault();
    });
  }
  bar.hidden = false;
  update();
})();
