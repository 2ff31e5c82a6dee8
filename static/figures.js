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

  // `feature` ("scim" or "sso") of `vendor` for a team of `users`.
  const featureAt = (vendor, feature, users, currencies) => {
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
    writeTexts(at, vendor, feature, currencies);
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

  // The team size in `?users=N`, or null when absent or not a whole number from 1 up.
  const usersFromUrl = () => {
    const raw = new URLSearchParams(window.location.search).get("users");
    const users = raw === null ? NaN : Number(raw);
    return Number.isInteger(users) && users >= 1 ? users : null;
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

  // Offers every vendor's name in `datalist`, and finds the vendor a reader typed: by name,
  // by slug, else the first whose name contains the text.
  const vendorSearch = (vendors, datalist) => {
    const byName = new Map(vendors.map((v) => [v.name.toLowerCase(), v]));
    const bySlug = new Map(vendors.map((v) => [v.slug, v]));
    for (const vendor of vendors) {
      const option = document.createElement("option");
      option.value = vendor.name;
      datalist.append(option);
    }
    return {
      exact: (typed) => byName.get(typed.trim().toLowerCase()) || null,
      find: (typed) => {
        const wanted = typed.trim().toLowerCase();
        if (!wanted) return null;
        return byName.get(wanted) || bySlug.get(wanted) || vendors.find((v) => v.name.toLowerCase().includes(wanted)) || null;
      },
    };
  };

  window.scimfactsFigures = { featureAt, money, percent, offerCost, usersFromUrl, writeCell, vendorSearch };
})();
