// scimfacts: the stack calculator. The vendors and seats live in the URL
// (?v=slack:120,github:40,zoom&users=50: a slug, optionally its seats, else the default), the
// figures come from api/pricing.js through figures.js, which computes them as the generator
// does. Totals add published prices one currency at a time; vendors that need a quote or have
// no published price are listed apart, never counted as zero.
(() => {
  "use strict";
  const data = window.scimfactsData;
  const figures = window.scimfactsFigures;
  const form = document.getElementById("stack-form");
  if (!data || !figures || !form) return;
  const vendors = new Map(data.vendors.map((v) => [v.slug, v]));
  const root = document.getElementById("stack");
  const body = document.querySelector("#stack-table tbody");
  const totals = document.getElementById("stack-totals");
  const status = form.querySelector("[data-stack-status]");
  const add = form.elements.add;
  const defaultSeats = form.elements.users;
  const vendorUrl = (slug) => `../vendors/${slug}/`;
  const FEATURES = [["scim", "SCIM"], ["sso", "SSO"]];

  // The stack: [{slug, seats}] with seats null for "the default".
  let stack = [];
  let notFound = [];
  const readUrl = () => {
    const query = new URLSearchParams(window.location.search);
    const users = figures.usersFromUrl();
    if (users !== null) defaultSeats.value = String(users);
    stack = [];
    notFound = [];
    for (const item of (query.get("v") || "").split(",")) {
      const [raw, seatText] = item.trim().split(":");
      const slug = (raw || "").toLowerCase();
      if (!slug) continue;
      if (!vendors.has(slug)) { notFound.push(raw); continue; }
      if (stack.some((s) => s.slug === slug)) continue;
      stack.push({ slug, seats: seatText === undefined ? null : figures.parseUsers(seatText) });
    }
  };
  const query = () => {
    const parts = [];
    if (stack.length > 0) parts.push(`v=${stack.map((s) => (s.seats ? `${s.slug}:${s.seats}` : s.slug)).join(",")}`);
    const users = figures.parseUsers(defaultSeats.value);
    if (users !== null && users !== data.team_sizes[0]) parts.push(`users=${users}`);
    return parts.length ? `?${parts.join("&")}` : "";
  };
  const writeUrl = () => window.history.replaceState(null, "", query() || window.location.pathname);

  const seatsOf = (item) => {
    if (item.seats) return item.seats;
    return figures.parseUsers(defaultSeats.value) ?? data.team_sizes[0];
  };
  const figuresOf = (item) => {
    const vendor = vendors.get(item.slug);
    const seats = seatsOf(item);
    const out = { vendor, seats };
    for (const [feature] of FEATURES) out[feature] = figures.featureAt(vendor, feature, seats, data.currencies);
    return out;
  };

  const el = (tag, text, className) => {
    const node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    if (className) node.className = className;
    return node;
  };
  const quiet = (at, text) => el("span", text, at.status === "unavailable" ? "muted" : "unknown");
  const planCell = (at, label) =>
    at.status === "unavailable" ? quiet(at, `No ${label}`) : at.plan === null ? quiet(at, "Unknown") : document.createTextNode(at.plan);
  const cashCell = (at, what) => {
    const value = what === "annual" ? at.annual : at.extra;
    const text = what === "annual" ? at.annual_text : at.extra_text;
    if (value === null) return quiet(at, text);
    const span = el("span", text);
    if (what === "extra") span.append(" ", el("span", `(${at.percent_text})`, "muted pct"));
    return span;
  };

  const renderRow = (item, index, row) => {
    const tr = el("tr");
    tr.dataset.slug = item.slug;
    const name = el("th");
    name.scope = "row";
    const link = el("a", row.vendor.name);
    link.href = vendorUrl(item.slug);
    name.append(link);
    const seatsCell = el("td");
    const seats = el("input");
    Object.assign(seats, { type: "number", min: "1", step: "1", value: String(row.seats), inputMode: "numeric" });
    seats.className = "seats";
    seats.setAttribute("aria-label", `Seats for ${row.vendor.name}`);
    seats.addEventListener("change", () => {
      const value = figures.parseUsers(seats.value);
      stack[index].seats = value;
      // The table is made again: the reader stays in this vendor's seats.
      render(value === null ? `${row.vendor.name}: seats must be a whole number from 1 to 10,000,000, so it counts the default seats.` : "");
      const again = body.querySelector(`tr[data-slug="${item.slug}"] input.seats`);
      if (again) again.focus();
    });
    seatsCell.append(seats);
    tr.append(name, seatsCell);
    for (const [feature, label] of FEATURES) {
      const at = row[feature];
      const cells = [["plan", planCell(at, label)], ["annual", cashCell(at, "annual")], ["extra", cashCell(at, "extra")]];
      for (const [what, content] of cells) {
        const td = el("td", undefined, what === "plan" ? "" : "num");
        td.dataset.at = `${feature} ${what}`;
        td.append(content);
        tr.append(td);
      }
    }
    const removeCell = el("td");
    const remove = el("button", "Remove");
    remove.type = "button";
    remove.setAttribute("aria-label", `Remove ${row.vendor.name}`);
    remove.addEventListener("click", () => {
      stack.splice(index, 1);
      render();
      add.focus();
    });
    removeCell.append(remove);
    tr.append(removeCell);
    return tr;
  };

  // Per currency: the sums of what is priced, and the vendors left out of each sum.
  const sumUp = (rows) => {
    const byCurrency = new Map();
    const apart = { custom: {}, unknown: {}, taxUnknown: {}, unavailable: {} };
    for (const [feature] of FEATURES) for (const key of Object.keys(apart)) apart[key][feature] = [];
    for (const row of rows) {
      const currency = row.vendor.currency;
      if (!byCurrency.has(currency)) byCurrency.set(currency, { vendors: new Set() });
      const sums = byCurrency.get(currency);
      for (const [feature] of FEATURES) {
        const at = row[feature];
        const name = row.vendor.name;
        if (at.status === "unavailable") { apart.unavailable[feature].push(name); continue; }
        if (at.status === "custom") { apart.custom[feature].push(name); continue; }
        if (at.annual === null) { apart.unknown[feature].push(name); continue; }
        sums.vendors.add(name);
        const add = (key, value, approximate) => {
          const sum = sums[key] || { amount: 0, approximate: false, count: 0 };
          sum.amount += value;
          sum.approximate = sum.approximate || approximate;
          sum.count += 1;
          sums[key] = sum;
        };
        add(`${feature}_annual`, at.annual, at.approximate);
        if (at.extra === null) apart.taxUnknown[feature].push(name);
        else add(`${feature}_extra`, at.extra, at.extra_approximate);
      }
    }
    return { byCurrency, apart };
  };

  const renderTotals = (rows) => {
    const { byCurrency, apart } = sumUp(rows);
    totals.textContent = "";
    for (const [currency, sums] of byCurrency) {
      const money = (sum) => (sum ? figures.money(sum.amount, currency, sum.approximate, data.currencies) : "Nothing priced");
      const counted = (sum) => (sum ? ` (${sum.count} vendor${sum.count === 1 ? "" : "s"})` : "");
      if (byCurrency.size > 1) totals.append(el("h3", `In ${currency}`));
      const dl = el("dl", undefined, "result totals");
      dl.dataset.currency = currency;
      for (const [key, label] of [
        ["scim_annual", "Plans with SCIM, per year"], ["scim_extra", "Your SCIM tax, per year"],
        ["sso_annual", "Plans with SSO, per year"], ["sso_extra", "Your SSO tax, per year"],
      ]) {
        const div = el("div");
        const dd = el("dd", money(sums[key]));
        dd.dataset.total = key;
        div.append(el("dt", label + counted(sums[key])), dd);
        dl.append(div);
      }
      totals.append(dl);
      const tax = sums.scim_extra;
      if (tax) totals.append(el("p", `Your SCIM tax: ${money(tax)} a year.`, "headline-sentence"));
    }
    const notes = el("ul", undefined, "apart");
    const note = (names, text) => { if (names.length > 0) notes.append(el("li", `${text}: ${names.join(", ")}`)); };
    for (const [feature, label] of FEATURES) {
      note(apart.custom[feature], `${label} needs a quote (custom pricing), not counted`);
      note(apart.unknown[feature], `${label} has no published price, not counted`);
      note(apart.taxUnknown[feature], `${label} tax unknown (a cheaper plan has no published price), not in the ${label} tax`);
      note(apart.unavailable[feature], `No ${label}`);
    }
    if (notes.childElementCount > 0) totals.append(notes);
  };

  const csvCell = (value) => {
    const text = value === null || value === undefined ? "" : String(value);
    const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
    return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  const toCsv = (rows) => {
    const head = ["slug", "name", "seats", "currency"];
    for (const [feature] of FEATURES) head.push(`${feature}_status`, `${feature}_plan`, `${feature}_per_year`, `${feature}_extra_per_year`, `${feature}_estimate`);
    const lines = [head];
    for (const row of rows) {
      const line = [row.vendor.slug, row.vendor.name, row.seats, row.vendor.currency];
      for (const [feature] of FEATURES) {
        const at = row[feature];
        const fixed = (v) => (v === null ? "" : v.toFixed(2));
        line.push(at.status, at.plan, fixed(at.annual), fixed(at.extra), at.approximate || at.extra_approximate ? "yes" : "no");
      }
      lines.push(line);
    }
    const { byCurrency } = sumUp(rows);
    for (const [currency, sums] of byCurrency) {
      const line = ["", `Total (${currency})`, "", currency];
      for (const [feature] of FEATURES) {
        const fixed = (sum) => (sum ? sum.amount.toFixed(2) : "");
        const approx = (sums[`${feature}_annual`] || {}).approximate || (sums[`${feature}_extra`] || {}).approximate;
        line.push("", "", fixed(sums[`${feature}_annual`]), fixed(sums[`${feature}_extra`]), approx ? "yes" : "no");
      }
      lines.push(line);
    }
    return lines.map((line) => line.map(csvCell).join(",")).join("\r\n") + "\r\n";
  };

  let rows = [];
  const render = (note = "") => {
    rows = stack.map(figuresOf);
    body.textContent = "";
    rows.forEach((row, i) => body.append(renderRow(stack[i], i, row)));
    root.hidden = stack.length === 0;
    renderTotals(rows);
    const missing = notFound.length ? ` Not found: ${notFound.join(", ")}.` : "";
    status.textContent = stack.length === 0
      ? `Add the vendors you use to see what SSO and SCIM cost across them.${missing}`
      : `${stack.length} vendor${stack.length === 1 ? "" : "s"} in your stack.${missing}`;
    if (note) status.textContent = `${note} ${status.textContent}`;
    writeUrl();
    document.getElementById("stack-link").href = query() || window.location.pathname;
  };

  figures.addVendorForm(form, add, document.getElementById("stack-vendors"), data.vendors, status, (vendor) => {
    notFound = [];
    if (stack.some((s) => s.slug === vendor.slug)) {
      render(`${vendor.name} is already in your stack.`);
      return true;
    }
    stack.push({ slug: vendor.slug, seats: null });
    render(`Added ${vendor.name}.`);
    return true;
  });
  defaultSeats.addEventListener("input", () => {
    const users = figures.parseUsers(defaultSeats.value);
    figures.markUsers(defaultSeats, users !== null);
    if (users !== null) render();
  });
  for (const button of form.querySelectorAll("button[data-users]")) {
    button.addEventListener("click", () => { defaultSeats.value = button.dataset.users; render(); });
  }
  document.getElementById("stack-csv").addEventListener("click", () => {
    // A byte-order mark, so that spreadsheets read "€" and non-Latin names as UTF-8.
    const blob = new Blob(["\ufeff", toCsv(rows)], { type: "text/csv;charset=utf-8" });
    const link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = "scim-stack.csv";
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 1000);
  });

  window.scimfactsStack = { toCsv: () => toCsv(rows) };
  form.hidden = false;
  readUrl();
  render();
})();
