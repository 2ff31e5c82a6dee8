// scimfacts: SSO and SCIM at any team size, for the site's scripts. This repeats, step for
// step, the generator's `feature_at` (src/compute/at_size.rs) over the offers the generator
// wrote (api/pricing.js, or a vendor page's #pricing-data): which offers include SSO or SCIM,
// which are paid and which follow an unpriced tier was decided there; here prices are only
// multiplied, added and compared. A browser test holds every answer to the generator's.
(() => {
  "use strict";

  // The yearly cost of one price for `users` people; null for custom or unknown prices.
  const priceCost = (price, users) => {
    if (price === "free") return 0;
    if (price === null || typeof price !== "object") return null;
    const seats = Math.max(users, price.min_seats || 0);
    switch (price.per) {
      case "user/month": return price.amount * seats * 12;
      case "user/year": return price.amount * seats;
      case "month": return price.amount * 12;
      default: return price.amount;
    }
  };

  // An offer is a tier, or a tier with an add-on: its cost is the sum of its prices.
  const offerCost = (offer, users) => {
    let total = 0;
    for (const price of offer.prices) {
      const cost = priceCost(price, users);
      if (cost === null) return null;
      total += cost;
    }
    return total;
  };

  const isApproximate = (offer) => offer.prices.some((p) => p !== null && typeof p === "object" && p.approximate);
  const isCustom = (offer) => offer.prices.some((p) => p === "custom");

  // The first of the cheapest, as the generator's min_by.
  const cheapest = (offers, users) => {
    let best = null;
    for (const offer of offers) {
      const cost = offerCost(offer, users);
      if (cost === null) continue;
      if (best === null || cost < best.cost) best = { offer, cost };
    }
    return best;
  };

  const group = (digits) => digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");

  // As the generator's format_money: grouped, minor digits only when not whole, "~" for
  // estimates, a symbol only for USD, EUR and GBP.
  const money = (amount, currency, approximate, currencies) => {
    const format = (currencies && currencies[currency]) || { symbol: null, exponent: 2 };
    const scale = 10 ** format.exponent;
    const rounded = Math.round(amount * scale) / scale;
    let number;
    if (Number.isInteger(rounded)) {
      number = group(rounded.toFixed(0));
    } else {
      const [whole, fraction] = rounded.toFixed(format.exponent).split(".");
      number = `${group(whole)}.${fraction}`;
    }
    const tilde = approximate ? "~" : "";
    return format.symbol ? `${tilde}${format.symbol}${number}` : `${tilde}${currency} ${number}`;
  };

  // As the generator's format_percent: halves away from zero.
  const percent = (value) =>
    Math.abs(value) >= 10 || Number.isInteger(value)
      ? `${Math.round(value).toFixed(0)}%`
      : `${(Math.round(value * 10) / 10).toFixed(1)}%`;

  // `feature` ("scim" or "sso") of `vendor` for a team of `users`, with its texts.
  const featureAt = (vendor, feature, users, currencies) => {
    const at = featureFigures(vendor, feature, users);
    writeTexts(at, vendor, feature, currencies);
    return at;
  };

  // The same, its figures only (what a list sorts by, before it shows a page of them).
  const featureFigures = (vendor, feature, users) => {
    const at = {
      users, status: "unknown", plan: null, annual: null, base_plan: null, extra: null,
      percent: null, approximate: false, extra_approximate: false,
    };
    const offers = vendor.offers.filter((o) => o[feature]);
    const first = offers[0];
    if (vendor[feature] === false) {
      at.status = "unavailable";
    } else if (first && first.prices.some((p) => p === null)) {
      at.plan = first.name;
    } else {
      const best = cheapest(offers, users);
      if (best) {
        priceAt(at, vendor, best.offer, best.cost);
      } else {
        const custom = offers.find(isCustom);
        if (custom) {
          at.status = "custom";
          at.plan = custom.name;
        }
      }
    }
    return at;
  };

  const priceAt = (at, vendor, offer, annual) => {
    at.status = annual === 0 ? "free" : "priced";
    at.plan = offer.name;
    at.annual = annual;
    at.approximate = isApproximate(offer);
    if (offer.after_unpriced) return;
    const base = cheapest(vendor.offers.filter((o) => o.paid), at.users);
    if (base) {
      const extra = Math.max(annual - base.cost, 0);
      at.base_plan = base.offer.name;
      at.extra = extra;
      at.percent = base.cost > 0 ? (extra / base.cost) * 100 : 0;
      at.extra_approximate = (at.approximate || isApproximate(base.offer)) && extra > 0;
    } else if (annual === 0) {
      at.extra = 0;
      at.percent = 0;
    }
  };

  // Adds to `at` (of featureFigures) the texts that show it.
  const writeTexts = (at, vendor, feature, currencies) => {
    const standIn = at.status === "unavailable"
      ? (feature === "scim" ? "No SCIM" : "No SSO")
      : at.status === "custom" ? "Custom pricing" : "Unknown";
    const cash = (amount, approximate) => money(amount, vendor.currency, approximate, currencies);
    at.quiet = at.status === "unavailable" ? "muted" : "unknown";
    at.plan_text = at.status === "unavailable" ? (feature === "scim" ? "No SCIM" : "No SSO") : at.plan ?? "Unknown";
    at.annual_text = at.annual === null ? standIn : cash(at.annual, at.approximate);
    at.monthly_text = at.annual === null ? standIn : cash(at.annual / 12, at.approximate);
    at.extra_text = at.extra === null ? standIn : cash(at.extra, at.extra_approximate);
    at.percent_text = at.percent === null ? standIn : percent(at.percent);
  };

  // The largest team size the controls take (as their `max`).
  const MAX_USERS = 10000000;
  // A team size from text: a whole number from 1 to MAX_USERS, else null.
  const parseUsers = (text) => {
    const users = text === null || String(text).trim() === "" ? NaN : Number(text);
    return Number.isInteger(users) && users >= 1 && users <= MAX_USERS ? users : null;
  };
  // The team size in `?users=N`, or null. A value that is not one is taken out of the URL.
  const usersFromUrl = () => {
    const query = new URLSearchParams(window.location.search);
    if (!query.has("users")) return null;
    const users = parseUsers(query.get("users"));
    if (users === null) {
      query.delete("users");
      const text = query.toString();
      window.history.replaceState(null, "", text ? `?${text}` : window.location.pathname);
    }
    return users;
  };
  const USERS_HINT = `Enter a whole number of users from 1 to ${MAX_USERS.toLocaleString("en-US")}.`;
  // Marks a team-size input valid or not, and says why in its field's hint.
  const markUsers = (input, valid) => {
    if (valid) input.removeAttribute("aria-invalid"); else input.setAttribute("aria-invalid", "true");
    const hint = input.closest(".field") && input.closest(".field").querySelector("[data-users-hint]");
    if (hint) hint.textContent = valid ? "" : USERS_HINT;
  };

  // Writes `text` into `cell`: quiet (in a span of class `quiet`: "unknown" or "muted") for
  // what stands in for a figure, else plain with an optional muted suffix "(50%)".
  const writeCell = (cell, text, quiet, suffix) => {
    cell.textContent = "";
    const span = (className, content) => {
      const node = document.createElement("span");
      node.className = className;
      node.textContent = content;
      return node;
    };
    if (quiet) {
      cell.append(span(quiet, text));
    } else {
      cell.append(text);
      if (suffix) cell.append(" ", span("muted pct", `(${suffix})`));
    }
  };

  // Offers every vendor's name in `datalist`, and resolves what a reader typed: a name or slug,
  // else the one vendor whose name contains the text; several matches are returned to be said.
  const vendorSearch = (vendors, datalist) => {
    const byName = new Map(vendors.map((v) => [v.name.toLowerCase(), v]));
    const bySlug = new Map(vendors.map((v) => [v.slug, v]));
    for (const vendor of vendors) {
      const option = document.createElement("option");
      option.value = vendor.name;
      datalist.append(option);
    }
    return (typed) => {
      const wanted = typed.trim().toLowerCase();
      if (!wanted) return { matches: [] };
      const exact = byName.get(wanted) || bySlug.get(wanted);
      if (exact) return { vendor: exact, matches: [exact] };
      const matches = vendors.filter((v) => v.name.toLowerCase().includes(wanted));
      return matches.length === 1 ? { vendor: matches[0], matches } : { matches };
    };
  };

  // What to say when `typed` names no single vendor.
  const searchMessage = (typed, matches) => {
    const text = typed.trim();
    if (!text) return "Type a vendor's name first.";
    if (matches.length === 0) return `No vendor matches “${text}”.`;
    const names = matches.slice(0, 5).map((v) => v.name).join(", ");
    return `${matches.length} vendors match “${text}”: ${names}${matches.length > 5 ? ", …" : ""}. Pick one from the list.`;
  };

  // The "Add a vendor" form of the stack and compare: offers every vendor's name, resolves
  // what was typed, says why when it names no single vendor, else hands the vendor to `add`,
  // which returns false to keep the text (when it could not add it).
  const addVendorForm = (form, input, datalist, vendors, status, add) => {
    const search = vendorSearch(vendors, datalist);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const { vendor, matches } = search(input.value);
      if (!vendor) {
        status.textContent = searchMessage(input.value, matches);
        return;
      }
      if (add(vendor) !== false) input.value = "";
    });
  };

  window.scimfactsFigures = {
    featureAt, featureFigures, writeTexts, money, percent, offerCost, parseUsers, usersFromUrl, markUsers, writeCell, addVendorForm,
  };
})();
