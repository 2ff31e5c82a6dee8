// scimfacts: the team-size calculator of a vendor page. At any team size it shows what SCIM
// and SSO cost, computed by figures.js from the offers the page carries in #pricing-data, as
// the generator computes the page's tables. Without JavaScript those tables are the answer.
(() => {
  "use strict";
  const source = document.getElementById("pricing-data");
  const form = document.getElementById("calculator");
  const figures = window.scimfactsFigures;
  if (!source || !form || !figures) return;
  const data = JSON.parse(source.textContent);
  const vendor = data.vendors[0];
  const input = form.elements.users;
  const result = form.querySelector("[data-result]");
  // The table's rows are made here: the calculator (hidden without JavaScript) is all script.
  const ROWS = [
    ["plan", "Cheapest plan with it"], ["monthly", "Per month"], ["annual", "Per year"],
    ["extra", "Extra over the cheapest paid plan, per year"], ["percent", "Premium"],
  ];
  const rows = form.querySelector("[data-rows]");
  for (const [name, label] of ROWS) {
    const tr = document.createElement("tr");
    const th = document.createElement("th");
    th.scope = "row";
    th.textContent = label;
    tr.append(th);
    for (const feature of ["scim", "sso"]) {
      const td = document.createElement("td");
      if (name !== "plan") td.className = "num";
      td.dataset.output = `${feature} ${name}`;
      tr.append(td);
    }
    rows.append(tr);
  }
  const output = (name) => form.querySelector(`[data-output="${name}"]`);

  const write = figures.writeCell;

  const update = () => {
    const users = figures.parseUsers(input.value);
    figures.markUsers(input, users !== null);
    if (users === null) {
      result.hidden = true;
      return;
    }
    result.hidden = false;
    for (const label of form.querySelectorAll("[data-users-label]")) label.textContent = String(users);
    for (const feature of ["scim", "sso"]) {
      const at = figures.featureAt(vendor, feature, users, data.currencies);
      write(output(`${feature} plan`), at.plan_text, at.plan === null || at.status === "unavailable" ? at.quiet : null);
      write(output(`${feature} monthly`), at.monthly_text, at.annual === null ? at.quiet : null);
      write(output(`${feature} annual`), at.annual_text, at.annual === null ? at.quiet : null);
      write(output(`${feature} extra`), at.extra_text, at.extra === null ? at.quiet : null);
      write(output(`${feature} percent`), at.percent_text, at.percent === null ? at.quiet : null);
    }
  };

  const fromUrl = figures.usersFromUrl();
  if (fromUrl !== null) input.value = String(fromUrl);
  input.addEventListener("input", update);
  for (const button of form.querySelectorAll("button[data-users]")) {
    button.addEventListener("click", () => { input.value = button.dataset.users; update(); });
  }
  form.addEventListener("submit", (event) => event.preventDefault());
  form.hidden = false;
  update();
})();
