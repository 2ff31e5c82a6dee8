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

  // The yearly cost of a tier for `users` people; null for custom or unknown prices.
  const annualCost = (tier, users) => {
    if (tier.kind === "free") return 0;
    if (tier.kind !== "priced") return null;
    const seats = Math.max(users, tier.min_seats || 0);
    switch (tier.per) {
      case "user/month": return tier.amount * seats * 12;
      case "user/year": return tier.amount * seats;
      case "month": return tier.amount * 12;
      default: return tier.amount;
    }
  };

  const cheapest = (tiers, users) => {
    let best = null;
    for (const tier of tiers) {
      const cost = annualCost(tier, users);
      if (cost === null) continue;
      if (best === null || cost < best.cost) best = { tier, cost };
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

  const scimTiers = pricing.tiers.filter((t) => t.scim);
  const paidTiers = pricing.tiers.filter((t) => t.kind === "priced" && t.amount > 0);
  const output = (name) => form.querySelector(`[data-output="${name}"]`);

  const update = () => {
    const users = Number.parseInt(form.elements.users.value, 10);
    const result = form.querySelector("[data-result]");
    if (!Number.isFinite(users) || users < 1) {
      result.hidden = true;
      return;
    }
    result.hidden = false;
    const scim = cheapest(scimTiers, users);
    if (scim === null) {
      output("tier").textContent = pricing.scim_custom_tier
        ? `${pricing.scim_custom_tier} (custom pricing: ask sales)`
        : "Unknown";
      for (const name of ["monthly", "annual", "extra", "percent"]) output(name).textContent = "Unknown";
      return;
    }
    const approximate = !!scim.tier.approximate;
    output("tier").textContent = scim.tier.name;
    output("monthly").textContent = money(scim.cost / 12, approximate);
    output("annual").textContent = money(scim.cost, approximate);
    const base = cheapest(paidTiers, users);
    if (pricing.unpriced_tiers.length > 0 || base === null) {
      output("extra").textContent = "Unknown";
      output("percent").textContent = "Unknown";
      return;
    }
    const extra = Math.max(scim.cost - base.cost, 0);
    const baseApproximate = approximate || !!base.tier.approximate;
    output("extra").textContent = money(extra, baseApproximate && extra > 0);
    output("percent").textContent = percent(base.cost > 0 ? (extra / base.cost) * 100 : 0);
  };

  form.addEventListener("input", update);
  form.addEventListener("submit", (event) => event.preventDefault());
  form.hidden = false;
  update();
})();
