// scimfacts: the team-size calculator of a vendor page. It computes, in the browser, the same
// figures the generator computes (cheapest tier with SCIM, monthly and yearly cost, premium
// over the cheapest paid tier), from the prices the page ships in #pricing-data. Without
// JavaScript the page's table of the same figures is the answer.
(() => {
  "use strict";
  const data = document.getElementById("pricing-data");
  const form = document.getElementById("calculator");
  if (!data || !form) return;
  const pricing = JSON.parse(data.textContent);

  // The yearly cost of one price for `users` people; null for custom or unknown prices.
  const priceCost = (price, users) => {
    if (price.kind === "free") return 0;
    if (price.kind !== "priced") return null;
    const seats = Math.max(users, price.min_seats || 0);
    switch (price.per) {
      case "user/month": return price.amount * seats * 12;
      case "user/year": return price.amount * seats;
      case "month": return price.amount * 12;
      default: return price.amount;
    }
  };

  // An offer is a tier, or a tier with an add-on: its cost is the sum of its prices.
  const annualCost = (offer, users) => {
    let total = 0;
    for (const price of offer.prices) {
      const cost = priceCost(price, users);
      if (cost === null) return null;
      total += cost;
    }
    return total;
  };

  const isApproximate = (offer) => offer.prices.some((p) => p.approximate);

  const cheapest = (offers, users) => {
    let best = null;
    for (const offer of offers) {
      const cost = annualCost(offer, users);
      if (cost === null) continue;
      if (best === null || cost < best.cost) best = { offer, cost };
    }
    return best;
  };

  const group = (digits) => digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");

  // As the generator writes money: grouped, minor digits only when not whole, "~" for estimates.
  const money = (amount, approximate) => {
    const scale = 10 ** pricing.exponent;
    const rounded = Math.round(amount * scale) / scale;
    let number;
    if (Number.isInteger(rounded)) {
      number = group(rounded.toFixed(0));
    } else {
      const [whole, fraction] = rounded.toFixed(pricing.exponent).split(".");
      number = `${group(whole)}.${fraction}`;
    }
    const tilde = approximate ? "~" : "";
    return pricing.symbol ? `${tilde}${pricing.symbol}${number}` : `${tilde}${pricing.currency} ${number}`;
  };

  const percent = (value) =>
    Math.abs(value) >= 10 || Number.isInteger(value) ? `${value.toFixed(0)}%` : `${value.toFixed(1)}%`;

  const scimOffers = pricing.offers.filter((o) => o.scim);
  const paidOffers = pricing.offers.filter((o) => o.paid);
  const output = (name) => form.querySelector(`[data-output="${name}"]`);

  const update = () => {
    const users = Number.parseInt(form.elements.users.value, 10);
    const result = form.querySelector("[data-result]");
    if (!Number.isFinite(users) || users < 1) {
      result.hidden = true;
      return;
    }
    result.hidden = false;
    const scim = cheapest(scimOffers, users);
    if (scim === null) {
      output("tier").textContent = pricing.scim_custom_tier
        ? `${pricing.scim_custom_tier} (custom pricing: ask sales)`
        : "Unknown";
      for (const name of ["monthly", "annual", "extra", "percent"]) output(name).textContent = "Unknown";
      return;
    }
    const approximate = isApproximate(scim.offer);
    output("tier").textContent = scim.offer.name;
    output("monthly").textContent = money(scim.cost / 12, approximate);
    output("annual").textContent = money(scim.cost, approximate);
    const base = cheapest(paidOffers, users);
    if (pricing.unpriced_tiers.length > 0 || base === null) {
      output("extra").textContent = "Unknown";
      output("percent").textContent = "Unknown";
      return;
    }
    const extra = Math.max(scim.cost - base.cost, 0);
    const baseApproximate = approximate || isApproximate(base.offer);
    output("extra").textContent = money(extra, baseApproximate && extra > 0);
    output("percent").textContent = percent(base.cost > 0 ? (extra / base.cost) * 100 : 0);
  };

  form.addEventListener("input", update);
  form.addEventListener("submit", (event) => event.preventDefault());
  form.hidden = false;
  update();
})();
