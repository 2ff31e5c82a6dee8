// scimfacts: two to four vendors side by side (?v=slack,zoom,github). Each vendor's facts and
// figures are read from its api/vendors/<slug>.json, exactly as the generator computed them:
// nothing is recomputed here. The names to add come from api/pricing.js.
(() => {
  "use strict";
  const data = window.scimfactsData;
  const figures = window.scimfactsFigures;
  const form = document.getElementById("compare-form");
  const root = document.getElementById("compare");
  if (!data || !figures || !form || !root) return;
  const MAX = 4;
  const names = new Map(data.vendors.map((v) => [v.slug, v.name]));
  const idps = Array.from(document.querySelectorAll("#compare-idps li")).map((li) => ({ id: li.dataset.id, name: li.textContent }));
  const sizes = root.dataset.teamSizes.split(",").map(Number);
  const status = form.querySelector("[data-compare-status]");
  const add = form.elements.add;
  const cache = new Map();

  let slugs = [];
  let notFound = [];
  let leftOut = [];
  const readUrl = () => {
    const wanted = (new URLSearchParams(window.location.search).get("v") || "").split(",").map((s) => s.trim()).filter(Boolean);
    slugs = [];
    notFound = [];
    for (const raw of wanted) {
      const slug = raw.toLowerCase();
      if (!names.has(slug)) notFound.push(raw);
      else if (slugs.includes(slug)) continue;
      else if (slugs.length < MAX) slugs.push(slug);
      else leftOut.push(names.get(slug));
    }
  };
  const writeUrl = () => {
    const query = slugs.length ? `?v=${slugs.join(",")}` : "";
    window.history.replaceState(null, "", query || window.location.pathname);
  };

  const load = (slug) => {
    if (!cache.has(slug)) {
      cache.set(slug, fetch(`../api/vendors/${slug}.json`).then((r) => {
        if (!r.ok) throw new Error(`${r.status}`);
        return r.json();
      }));
    }
    return cache.get(slug);
  };

  const el = (tag, text, className) => {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    if (className) node.className = className;
    return node;
  };
  const unknown = (text = "Unknown") => el("span", text, "unknown");
  const yesNo = (value) => (value === true ? el("span", "✓ Yes", "fact yes") : value === false ? el("span", "✗ No", "fact no") : unknown());
  const text = (value) => (value === null || value === undefined || value === "" ? unknown() : document.createTextNode(value));
  const listOf = (values) => (values && values.length ? document.createTextNode(values.join(", ")) : unknown());
  const MODES = { full: "Full SCIM", jit: "JIT only", none: "No provisioning" };

  // What a cost table (figures.scim_cost or sso_cost) says at `users`.
  const costAt = (cost, users, none) => {
    if (cost.status === "unavailable") return el("span", none, "muted");
    if (cost.status === "custom") return unknown(`Custom pricing${cost.tier ? ` (${cost.tier})` : ""}`);
    const row = cost.rows.find((r) => r.users === users);
    if (!row) return unknown(cost.tier ? `Unknown (${cost.tier})` : "Unknown");
    const span = el("span", row.annual_text);
    span.append(" ", el("span", `(${row.tier})`, "muted"));
    return span;
  };
  const premiumAt = (premium, users, none) => {
    if (premium.status === "unavailable") return el("span", none, "muted");
    if (premium.status === "custom") return unknown("Custom pricing");
    if (premium.status === "included") return document.createTextNode("None: included");
    const row = premium.rows.find((r) => r.users === users);
    if (!row) return unknown();
    const span = el("span", row.extra_text);
    span.append(" ", el("span", `(${row.percent_text})`, "muted"));
    return span;
  };
  const plans = (record, figures) => {
    if (!record.tiers.length && !(record.addons || []).length) return unknown();
    const ul = el("ul", undefined, "plain");
    record.tiers.forEach((tier, i) => {
      const marks = [tier.sso ? "SSO" : null, tier.scim ? "SCIM" : null].filter(Boolean).join(", ");
      ul.append(el("li", `${tier.name}: ${figures.tier_prices[i].text}${marks ? ` (${marks})` : ""}`));
    });
    (record.addons || []).forEach((addon, i) => {
      ul.append(el("li", `${addon.name} (add-on): ${figures.addon_prices[i].text}`));
    });
    return ul;
  };

  // Each section: a title and rows of [label, (vendor) => node].
  const sections = () => {
    const facts = [
      ["Category", (v) => text(v.record.category)],
      ["SSO available", (v) => yesNo(v.record.sso.available)],
      ["SSO protocols", (v) => listOf(v.record.sso.protocols)],
      ["SCIM available", (v) => yesNo(v.record.scim.available)],
      ["SSO required for SCIM", (v) => (v.record.sso.required_for_scim === true ? document.createTextNode("Yes") : v.record.sso.required_for_scim === false ? document.createTextNode("No") : unknown())],
      ["SCIM version", (v) => text(v.record.scim.version)],
      ["Verified", (v) => text(v.verified)],
    ];
    const pricing = [
      ["SCIM plan", (v) => (v.record.scim.available === false ? el("span", "No SCIM", "muted") : text(v.figures.scim_tier))],
      ["SCIM plan price", (v) => text(v.figures.scim_price.text)],
      ["Plans", (v) => plans(v.record, v.figures)],
    ];
    const costs = [];
    for (const users of sizes) {
      costs.push([`SCIM per year, ${users} users`, (v) => costAt(v.figures.scim_cost, users, "No SCIM")]);
      costs.push([`SCIM extra per year, ${users} users`, (v) => premiumAt(v.figures.scim_premium, users, "No SCIM")]);
    }
    for (const users of sizes) {
      costs.push([`SSO per year, ${users} users`, (v) => costAt(v.figures.sso_cost, users, "No SSO")]);
      costs.push([`SSO extra per year, ${users} users`, (v) => premiumAt(v.figures.sso_premium, users, "No SSO")]);
    }
    const providers = idps.map((idp) => [idp.name, (v) => {
      const support = (v.record.idps || {})[idp.id];
      if (!support) return unknown();
      const sso = support.sso === true ? "SSO" : support.sso === false ? "No SSO" : "SSO unknown";
      return document.createTextNode(`${sso} · ${MODES[support.scim] || "provisioning unknown"}`);
    }]);
    return [["Facts", facts], ["Plans", pricing], ["Costs per year", costs], ["Identity providers", providers]];
  };

  const table = (title, rows, vendors, index) => {
    const section = el("section");
    const id = `compare-${index}`;
    section.setAttribute("aria-labelledby", `${id}-h`);
    const heading = el("h2", title);
    heading.id = `${id}-h`;
    const wrap = el("div", undefined, "table-wrap sticky-first");
    wrap.tabIndex = 0;
    wrap.setAttribute("role", "region");
    wrap.setAttribute("aria-labelledby", `${id}-h`);
    const t = el("table", undefined, "compare");
    const head = el("tr");
    head.append(el("td"));
    vendors.forEach((v) => {
      const th = el("th");
      th.scope = "col";
      const a = el("a", v.record.name);
      a.href = `../vendors/${v.slug}/`;
      th.append(a);
      if (index === 0) {
        const remove = el("button", "Remove", "small");
        remove.type = "button";
        remove.setAttribute("aria-label", `Remove ${v.record.name}`);
        remove.addEventListener("click", () => { slugs = slugs.filter((s) => s !== v.slug); render(); });
        th.append(" ", remove);
      }
      head.append(th);
    });
    const thead = el("thead");
    thead.append(head);
    const body = el("tbody");
    for (const [label, cell] of rows) {
      const tr = el("tr");
      const th = el("th", label);
      th.scope = "row";
      tr.append(th);
      vendors.forEach((v) => { const td = el("td"); td.append(cell(v)); tr.append(td); });
      body.append(tr);
    }
    t.append(thead, body);
    wrap.append(t);
    section.append(heading, wrap);
    return section;
  };

  const render = async (note = "") => {
    writeUrl();
    let missing = notFound.length ? ` Not found: ${notFound.join(", ")}.` : "";
    if (leftOut.length) missing += ` Compare shows up to ${MAX} vendors; left out: ${leftOut.join(", ")}.`;
    if (note) missing = ` ${note}${missing}`;
    if (slugs.length < 2) {
      status.textContent = `Add ${slugs.length === 0 ? "two to four vendors" : "at least one more vendor"} to compare.${missing}`;
    } else {
      status.textContent = `Comparing ${slugs.length} vendors.${missing}`;
    }
    let vendors;
    try {
      vendors = await Promise.all(slugs.map(load));
    } catch (err) {
      root.textContent = "";
      root.append(el("p", "The vendors' data could not be loaded. Comparing needs the site served over HTTP (any static host, or scimfacts serve), not opened from disk.", "notice"));
      return;
    }
    root.textContent = "";
    if (vendors.length === 0) return;
    sections().forEach(([title, rows], i) => root.append(table(title, rows, vendors, i)));
  };

  figures.addVendorForm(form, add, document.getElementById("compare-vendors"), data.vendors, status, (vendor) => {
    notFound = [];
    leftOut = [];
    if (slugs.includes(vendor.slug)) {
      status.textContent = `${vendor.name} is already compared.`;
      return false;
    }
    if (slugs.length >= MAX) {
      status.textContent = `Compare shows up to ${MAX} vendors: remove one to add ${vendor.name}.`;
      return false;
    }
    slugs.push(vendor.slug);
    render(`Added ${vendor.name}.`);
    return true;
  });
  form.hidden = false;
  readUrl();
  render();
})();
