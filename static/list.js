// scimfacts: the long lists (the index, a category, an identity provider's page, the SCIM tax
// ranking). A page holds one page of its list, rendered by the generator, so that it shows at
// once and, without JavaScript, its page links reach every vendor in order. This script takes
// the whole list from api/lists.js (and costs at any team size from api/pricing.js through
// figures.js), then sorts, filters and pages through every vendor of it, drawing only the rows
// of the page shown: a list of 10,000 vendors answers a click as fast as one of 10. The view
// (team size, filters, sort, page) lives in the URL, so that it can be shared.
//
// The rows it draws are the generator's components (vendor_row, idp_row, tax_row in
// templates/components.html) in the same markup; the browser tests hold them to the
// generator's pages. Everything shown is decided by the generator; here it is only ordered,
// matched and laid out.
(() => {
  "use strict";
  const lists = window.scimfactsLists;
  const table = document.querySelector("table[data-list]");
  if (!lists || !table) return;
  const figures = window.scimfactsFigures;
  const prices = window.scimfactsData;
  const kind = table.dataset.list;
  const scope = table.dataset.listScope || "";
  const root = table.dataset.listRoot || "./";
  const base = table.dataset.listBase || "./";
  const staticPage = Number(table.dataset.listPage) || 1;
  const pageSize = lists.page_size;
  const form = document.querySelector("form[data-list-filters]");
  const statusLine = document.querySelector("[data-list-status]");
  const navs = Array.from(document.querySelectorAll("[data-pagination]"));
  const collator = new Intl.Collator("en", { numeric: true });

  // ---- Markup ----------------------------------------------------------------------------

  const el = (tag, attributes, ...children) => {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (name === "class") node.className = value; else node.setAttribute(name, value);
    }
    node.append(...children.filter((c) => c !== null && c !== undefined));
    return node;
  };
  const unknown = (text = "Unknown") => el("span", { class: "unknown" }, text);
  const fact = (yes, no, value) => (value === true ? yes() : value === false ? no() : el("span", { class: "fact unknown" }, "Unknown"));
  const mark = (className, sign, text) => el("span", { class: `fact ${className}` }, el("span", { "aria-hidden": "true" }, sign), text);
  const vendorLink = (v) => el("a", { href: `${root}vendors/${v.slug}/` }, v.name);

  const freshness = (v) => {
    if (v.freshness === "unverified" || !v.verified) return [el("span", { class: "badge unverified" }, "Unverified")];
    if (v.freshness === "stale") {
      return [el("span", { class: "badge stale" }, "Stale"), " ", el("span", { class: "muted" }, `checked ${v.verified}`)];
    }
    return [el("time", { datetime: v.verified }, v.verified)];
  };

  // ---- The three kinds of list -----------------------------------------------------------
  // Each gives its items (in the generator's order), its columns (a sort key, empty when
  // unknown, and a cell), what its search matches, and which selects filter it how.

  // An item's SCIM and SSO at the reader's team size: figures for every item (to sort), texts
  // only for the rows shown.
  const users = { current: null, first: prices ? prices.team_sizes[0] : null };
  const atSize = (item) => {
    if (item.atUsers !== users.current) {
      item.at = {
        scim: figures.featureFigures(item.pricing, "scim", users.current),
        sso: figures.featureFigures(item.pricing, "sso", users.current),
      };
      item.atUsers = users.current;
    }
    return item.at;
  };
  const shownAt = (item, feature) => {
    const at = atSize(item)[feature];
    if (at.plan_text === undefined) figures.writeTexts(at, item.pricing, feature, prices.currencies);
    return at;
  };
  // An amount sorts against amounts in its own currency only: the list's currencies come in
  // the order of their use (the most used first), whichever the direction.
  const currencyRank = new Map((lists.currencies || []).map((code, at) => [code, at]));
  const amount = (v, value) => (value === null || value === undefined ? null
    : { group: currencyRank.get(v.currency) ?? currencyRank.size, value });
  const moneyCell = (feature, what) => ({
    key: (item) => amount(item.v, atSize(item)[feature][what]),
    cell: (item) => {
      const at = shownAt(item, feature);
      const td = el("td", { class: "num", "data-at": `${feature} ${what}` });
      const value = at[what];
      figures.writeCell(td, at[`${what}_text`], value === null ? at.quiet : null, what === "extra" ? at.percent_text : undefined);
      return td;
    },
  });

  const vendorsKind = () => {
    const pricing = new Map(prices.vendors.map((p) => [p.slug, p]));
    const items = lists.vendors
      .map((v, order) => ({ v, order, pricing: pricing.get(v.slug) }))
      .filter((item) => item.pricing && (!scope || item.v.category_slug === scope));
    const idpAt = new Map(lists.idps.map((id, at) => [id, at]));
    return {
      items,
      noun: "vendors",
      search: (item) => {
        const at = atSize(item);
        return `${item.v.name} ${item.v.category || ""} ${at.scim.plan || ""} ${at.sso.plan || ""}`.toLowerCase();
      },
      searchDependsOnUsers: true,
      selects: {
        category: (item, value) => item.v.category_slug === value,
        idp: (item, value) => item.v.connects.includes(idpAt.get(value)),
        scim: (item, value) => item.v.scim === value,
      },
      columns: [
        {
          key: (item) => item.order,
          cell: (item) => el("th", { scope: "row" }, pickBox(item.v), vendorLink(item.v),
            item.v.category ? el("span", { class: "sub" }, item.v.category) : null),
        },
        {
          key: (item) => {
            const at = atSize(item).scim;
            return at.plan === null || at.status === "unavailable" ? null : at.plan;
          },
          cell: (item) => {
            const at = shownAt(item, "scim");
            const td = el("td", { "data-at": "scim plan" });
            figures.writeCell(td, at.plan_text, at.plan === null || at.status === "unavailable" ? at.quiet : null);
            return td;
          },
        },
        moneyCell("scim", "annual"),
        moneyCell("scim", "extra"),
        moneyCell("sso", "annual"),
        moneyCell("sso", "extra"),
        {
          key: (item) => (item.v.full_scim ? item.v.full_scim[0] : null),
          cell: (item) => el("td", { class: "num" },
            item.v.full_scim ? `${item.v.full_scim[0]} of ${item.v.full_scim[1]}` : unknown()),
        },
        { key: (item) => item.v.verified, cell: (item) => el("td", {}, ...freshness(item.v)) },
      ],
      row: (item) => ({ "data-slug": item.v.slug }),
    };
  };

  const PROVISIONING = { full: 0, jit: 1, none: 2 };
  const idpKind = () => {
    const none = [null, "unknown", false, null];
    const cells = window.scimfactsIdp && window.scimfactsIdp.id === scope ? window.scimfactsIdp.vendors : [];
    const items = lists.vendors.map((v, order) => ({ v, order, idp: cells[order] || none }));
    const sso = (item) => (item.idp[0] === true ? "yes" : item.idp[0] === false ? "no" : "unknown");
    return {
      items,
      noun: "vendors",
      search: (item) => `${item.v.name} ${item.idp[3] || ""}`.toLowerCase(),
      selects: {
        sso: (item, value) => sso(item) === value,
        provisioning: (item, value) => item.idp[1] === value,
      },
      columns: [
        { key: (item) => item.order, cell: (item) => el("th", { scope: "row" }, vendorLink(item.v)) },
        {
          key: (item) => ({ yes: 0, no: 1 })[sso(item)] ?? null,
          cell: (item) => el("td", {}, fact(() => mark("yes", "✓ ", "Yes"), () => mark("no", "✗ ", "No"), item.idp[0])),
        },
        {
          key: (item) => PROVISIONING[item.idp[1]] ?? null,
          cell: (item) => {
            const mode = item.idp[1];
            const text = mode === "full" ? mark("yes", "✓ ", "Full SCIM")
              : mode === "jit" ? el("span", { class: "fact partial" }, "JIT only")
                : mode === "none" ? mark("no", "✗ ", "None")
                  : el("span", { class: "fact unknown" }, "Unknown");
            return el("td", {}, text);
          },
        },
        { key: (item) => item.idp[3] || null, cell: (item) => el("td", {}, item.idp[3] ? item.idp[3] : unknown()) },
        {
          key: (item) => (item.idp[2] ? 0 : 1),
          cell: (item) => el("td", {}, item.idp[2]
            ? el("a", { href: `${root}vendors/${item.v.slug}/#setup-${scope}` }, "Setup steps")
            : unknown("Not recorded")),
        },
      ],
      row: (item) => ({ "data-slug": item.v.slug }),
    };
  };

  const rankingKind = () => {
    const order = new Map(lists.vendors.map((v, at) => [v.slug, at]));
    const items = lists.ranking.map((r, at) => ({ r, rank: at + 1, order: order.get(r.slug), v: lists.vendors[order.get(r.slug)] }))
      .filter((item) => item.v);
    const sizes = table.tHead.rows[0].cells.length - 5;
    const extraColumn = (size) => ({
      key: (item) => amount(item.v, item.r.extra[size] ? item.r.extra[size][0] : null),
      cell: (item) => {
        const extra = item.r.extra[size];
        return extra ? el("td", { class: "num" }, `${extra[1]} `, el("span", { class: "muted" }, `(${extra[2]})`)) : null;
      },
    });
    return {
      items,
      noun: "ranked vendors",
      search: (item) => `${item.v.name} ${item.r.tier || ""} ${item.r.base_tier || ""}`.toLowerCase(),
      selects: {},
      columns: [
        { key: (item) => item.rank, cell: (item) => el("td", {}, String(item.rank)) },
        { key: (item) => item.order, cell: (item) => el("th", { scope: "row" }, vendorLink(item.v)) },
        { key: (item) => item.r.tier, cell: (item) => el("td", {}, item.r.tier || "") },
        { key: (item) => item.r.base_tier, cell: (item) => el("td", {}, item.r.base_tier || "") },
        {
          key: (item) => item.r.percent,
          cell: (item) => el("td", {}, item.r.percent_text ? `+${item.r.percent_text}` : "Varies by team size"),
        },
        ...Array.from({ length: Math.max(sizes, 0) }, (_, size) => extraColumn(size)),
      ],
      row: (item) => ({ "data-slug": item.v.slug }),
    };
  };

  // ---- Picking rows to compare or add to a stack (comparison tables only) ----------------

  const picks = [];
  const bar = document.querySelector("[data-pick-bar]");
  const pickBox = (v) => {
    if (!bar) return null;
    // autocomplete off: a page restored by Back must not tick boxes the picks do not hold.
    const box = el("input", { type: "checkbox", class: "pick", value: v.slug, autocomplete: "off", "aria-label": `Select ${v.name}` });
    box.checked = picks.includes(v.slug);
    return box;
  };
  const updatePicks = () => {
    if (!bar) return;
    const count = bar.querySelector("[data-pick-count]");
    const compare = bar.querySelector("[data-pick-compare]");
    const stack = bar.querySelector("[data-pick-stack]");
    count.textContent = picks.length === 0
      ? "Tick up to 4 vendors to compare them, or any number to add them to your stack."
      : picks.length === 1
        ? "1 selected: tick one more to compare."
        : picks.length > 4
          ? `${picks.length} selected: Compare takes 2 to 4, your stack any number.`
          : `${picks.length} selected.`;
    bar.classList.toggle("active", picks.length > 0);
    const hrefOf = (link) => link.getAttribute("href").split("?")[0];
    compare.href = `${hrefOf(compare)}?v=${picks.join(",")}`;
    compare.setAttribute("aria-disabled", String(picks.length < 2 || picks.length > 4));
    const seats = users.current && users.current !== users.first ? `:${users.current}` : "";
    stack.href = `${hrefOf(stack)}?v=${picks.map((s) => s + seats).join(",")}`;
    stack.setAttribute("aria-disabled", String(picks.length === 0));
  };

  // ---- The list ---------------------------------------------------------------------------

  const ready = { vendors: prices && figures, idp: window.scimfactsIdp, ranking: true };
  if (!ready[kind]) return;
  const list = kind === "vendors" ? vendorsKind() : kind === "idp" ? idpKind() : rankingKind();
  const headers = Array.from(table.tHead.rows[0].cells);
  const selects = form ? Array.from(form.querySelectorAll("select")).filter((s) => list.selects[s.name]) : [];
  const search = form ? form.elements.q : null;
  const usersInput = form ? form.querySelector("#team-size") : null;

  const state = { q: "", sort: 0, desc: false, page: 1, selects: {} };
  let haystacks = null;

  const readUrl = () => {
    const query = new URLSearchParams(window.location.search);
    state.q = (query.get("q") || "").trim();
    for (const select of selects) {
      const wanted = query.get(select.name) || "";
      state.selects[select.name] = Array.from(select.options).some((o) => o.value === wanted) ? wanted : "";
    }
    const sort = Number(query.get("sort"));
    state.sort = Number.isInteger(sort) && sort >= 1 && sort <= list.columns.length ? sort : 0;
    state.desc = state.sort > 0 && query.get("dir") === "desc";
    const page = query.has("page") ? query.get("page") : String(staticPage);
    state.page = /^[0-9]{1,9}$/.test(page) && Number(page) >= 1 ? Number(page) : 1;
    if (usersInput) {
      const fromUrl = figures.usersFromUrl();
      users.current = fromUrl ?? users.first;
      usersInput.value = String(users.current);
      figures.markUsers(usersInput, true);
    } else if (prices) {
      users.current = users.first;
    }
  };

  const isPlain = () => !state.q && !state.sort && selects.every((s) => !state.selects[s.name])
    && (!usersInput || users.current === users.first);

  // A view's address keeps the page's own path (every relative link of the page depends on
  // it) and says the view in its query, with the page when it is not this one's. The pages of
  // the generator's own order are real pages, linked as they are without JavaScript.
  const staticUrl = (page) => (page > 1 ? `${base}page/${page}/` : base);
  const viewQuery = (page) => {
    const query = new URLSearchParams();
    if (usersInput && users.current !== users.first) query.set("users", String(users.current));
    if (state.q) query.set("q", state.q);
    for (const select of selects) if (state.selects[select.name]) query.set(select.name, state.selects[select.name]);
    if (state.sort) query.set("sort", String(state.sort));
    if (state.desc) query.set("dir", "desc");
    if (page !== staticPage) query.set("page", String(page));
    const text = query.toString();
    return text ? `?${text}` : window.location.pathname;
  };
  const writeUrl = (push) => {
    const href = viewQuery(state.page);
    const here = window.location.pathname;
    if (push && (href.startsWith("?") ? here + href : href) === here + window.location.search) return;
    history[push ? "pushState" : "replaceState"](null, "", href);
  };

  // What the search field matches in each item, made when first searched (and again at a new
  // team size for the comparison tables, whose plans depend on it).
  const searchable = () => {
    if (!haystacks || (list.searchDependsOnUsers && haystacks.users !== users.current)) {
      haystacks = { users: users.current, text: list.items.map(list.search) };
    }
    return haystacks.text;
  };

  const matching = () => {
    const text = state.q.trim().toLowerCase();
    const texts = text ? searchable() : null;
    const active = selects.filter((s) => state.selects[s.name]);
    const shown = [];
    list.items.forEach((item, at) => {
      if (text && !texts[at].includes(text)) return;
      for (const select of active) if (!list.selects[select.name](item, state.selects[select.name])) return;
      shown.push(item);
    });
    return shown;
  };

  // Empty keys (unknown figures) go last whichever the direction; amounts (`{group, value}`)
  // by their currency's group first, also whichever the direction; ties keep the list's order.
  const sorted = (items) => {
    if (!state.sort) return items;
    const key = list.columns[state.sort - 1].key;
    const keyed = items.map((item, at) => {
      const k = key(item);
      const grouped = k !== null && typeof k === "object";
      const value = grouped ? k.value : k;
      return { item, at, group: grouped ? k.group : 0, value, empty: value === null || value === undefined || value === "" };
    });
    const sign = state.desc ? -1 : 1;
    keyed.sort((a, b) => {
      if (a.empty || b.empty) return a.empty === b.empty ? a.at - b.at : a.empty ? 1 : -1;
      if (a.group !== b.group) return a.group - b.group;
      const order = typeof a.value === "number" && typeof b.value === "number"
        ? a.value - b.value
        : collator.compare(String(a.value), String(b.value));
      return order === 0 ? a.at - b.at : sign * order;
    });
    return keyed.map((k) => k.item);
  };

  const drawRows = (items) => {
    const rows = document.createDocumentFragment();
    for (const item of items) {
      const row = el("tr", list.row(item));
      for (const column of list.columns) {
        const cell = column.cell(item);
        if (cell) row.append(cell);
      }
      rows.append(row);
    }
    table.tBodies[0].replaceChildren(rows);
  };

  // The pages a navigation links to: the first, the last, and two either side of the current
  // one; null for the pages left out (as the generator's page_links).
  const pageLinks = (current, pages) => {
    const links = [];
    for (let n = 1; n <= pages; n += 1) {
      if (n === 1 || n === pages || Math.abs(n - current) <= 2) links.push(n);
      else if (links[links.length - 1] !== null) links.push(null);
    }
    return links;
  };

  const drawNav = (pages) => {
    for (const nav of navs) {
      nav.hidden = pages < 2;
      const parts = [];
      // In the generator's order, the real pages; in any other view, this page's query, which
      // the click below shows in place.
      const plain = isPlain();
      const link = (page, text, attributes) => el("a", plain
        ? { href: staticUrl(page), ...attributes }
        : { href: viewQuery(page), "data-page": String(page), ...attributes }, text);
      if (state.page > 1) parts.push(link(state.page - 1, "‹ Previous", { rel: "prev" }));
      for (const n of pageLinks(state.page, pages)) {
        parts.push(n === null ? el("span", { class: "gap" }, "…")
          : link(n, String(n), n === state.page ? { "aria-current": "page" } : {}));
      }
      if (state.page < pages) parts.push(link(state.page + 1, "Next ›", { rel: "next" }));
      nav.replaceChildren(...parts.flatMap((p, i) => (i ? ["\n", p] : [p])));
    }
  };

  const grouped = (n) => n.toLocaleString("en-US");
  // Takes the search and the selects back to everything (the sort and team size stay).
  const clear = form && statusLine ? el("button", { type: "button", class: "clear-filters" }, "Clear the filters") : null;
  if (clear) {
    clear.hidden = true;
    statusLine.after(clear);
    clear.addEventListener("click", () => {
      state.q = "";
      for (const select of selects) state.selects[select.name] = "";
      syncForm();
      changed();
    });
  }
  // As the generator's status line of a page, then what is filtered and sorted.
  const drawStatus = (shown, start, end) => {
    if (!statusLine) return;
    const all = list.items.length;
    const filtered = shown !== all;
    let text;
    if (shown === 0) {
      text = filtered ? `No ${list.noun} match (of ${grouped(all)})` : `No ${list.noun}`;
    } else {
      const noun = shown === 1 ? list.noun.replace(/s$/, "") : list.noun;
      const rows = end - start === 1 ? grouped(end) : `${grouped(start + 1)}–${grouped(end)}`;
      text = `Showing ${rows} of ${grouped(shown)} ${noun}`;
      if (filtered) text += ` (filtered from ${grouped(all)})`;
    }
    if (state.sort) {
      const name = headers[state.sort - 1].textContent.trim();
      text += `, by ${name}${state.desc ? ", descending" : ""}`;
    }
    if (statusLine.textContent !== text) statusLine.textContent = text;
    if (clear) clear.hidden = !state.q && selects.every((select) => !state.selects[select.name]);
  };

  // The filtered and sorted list, made again only when the view changes: going to another
  // page of it only takes another slice.
  let result = { view: null, items: [] };
  const shownItems = () => {
    const view = JSON.stringify([state.q, state.selects, state.sort, state.desc, users.current]);
    if (result.view !== view) result = { view, items: sorted(matching()) };
    return result.items;
  };

  const draw = () => {
    const shown = shownItems();
    const pages = Math.max(1, Math.ceil(shown.length / pageSize));
    state.page = Math.min(state.page, pages);
    const start = (state.page - 1) * pageSize;
    const end = Math.min(start + pageSize, shown.length);
    drawRows(shown.slice(start, end));
    headers.forEach((th, at) => {
      if (state.sort === at + 1) th.setAttribute("aria-sort", state.desc ? "descending" : "ascending");
      else th.removeAttribute("aria-sort");
    });
    for (const label of document.querySelectorAll("[data-users-label]")) label.textContent = String(users.current);
    drawStatus(shown.length, start, end);
    drawNav(pages);
  };

  // A change of view starts again at its first page.
  const changed = () => {
    state.page = 1;
    draw();
    writeUrl(false);
  };

  // ---- Controls ---------------------------------------------------------------------------

  headers.forEach((th, at) => {
    const button = el("button", { type: "button", class: "sort" });
    button.append(...th.childNodes);
    th.append(button);
    button.addEventListener("click", () => {
      const ascending = !(state.sort === at + 1 && !state.desc);
      state.sort = at + 1;
      state.desc = !ascending;
      changed();
    });
  });

  for (const nav of navs) {
    nav.addEventListener("click", (event) => {
      const link = event.target.closest("a[data-page]");
      if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
      event.preventDefault();
      if (Number(link.dataset.page) === state.page) return;
      state.page = Number(link.dataset.page);
      draw();
      writeUrl(true);
      // As after loading a page: the reader is at the top of the new rows, and a keyboard's
      // focus (whose link was just redrawn) is on the table rather than lost.
      (statusLine || table).scrollIntoView({ block: "start" });
      const wrap = table.closest("[tabindex]");
      if (wrap) wrap.focus({ preventScroll: true });
    });
  }

  window.addEventListener("popstate", () => {
    readUrl();
    syncForm();
    draw();
  });

  const syncForm = () => {
    if (search) search.value = state.q;
    for (const select of selects) select.value = state.selects[select.name];
  };

  if (form) {
    form.addEventListener("input", (event) => {
      if (event.target === usersInput) return;
      if (search) state.q = search.value.trim();
      for (const select of selects) state.selects[select.name] = select.value;
      changed();
    });
    form.addEventListener("submit", (event) => event.preventDefault());
  }

  if (usersInput) {
    const typed = () => {
      const wanted = figures.parseUsers(usersInput.value);
      figures.markUsers(usersInput, wanted !== null);
      if (wanted === null || wanted === users.current) return;
      users.current = wanted;
      // A new team size keeps the page the reader is on only when the order cannot change.
      if (state.sort > 1 || state.q) state.page = 1;
      draw();
      writeUrl(false);
      updatePicks();
    };
    usersInput.addEventListener("input", typed);
    for (const button of form.querySelectorAll("button[data-users]")) {
      button.addEventListener("click", () => {
        usersInput.value = button.dataset.users;
        typed();
      });
    }
  }

  if (bar) {
    table.addEventListener("change", (event) => {
      const box = event.target;
      if (!box.matches || !box.matches("input.pick")) return;
      const at = picks.indexOf(box.value);
      if (box.checked && at < 0) picks.push(box.value);
      if (!box.checked && at >= 0) picks.splice(at, 1);
      updatePicks();
    });
    for (const link of bar.querySelectorAll("a")) {
      link.addEventListener("click", (event) => {
        if (link.getAttribute("aria-disabled") === "true") event.preventDefault();
      });
    }
    bar.hidden = false;
  }

  readUrl();
  syncForm();
  draw();
  // An address whose page or values were out of range says what is shown.
  writeUrl(false);
  updatePicks();
  if (form) form.hidden = false;
})();
