//! The context of a vendor's own page: the whole record, its figures and its Markdown.

use tera::Context;
use tera::value::Key;

use serde::Serialize;

use super::charts::{CostChart, PriceChart};
use super::history::HistoryView;
use super::views::{IdpRow, PageText, PageView, SiteView, VendorView};
use crate::compute::{ComputedVendor, SiteFacts, cost_curves};
use crate::page::{VendorPage, base_url, relative_root};

/// Everything `vendor.html` sees.
pub(super) fn context(facts: &SiteFacts, vendor: &ComputedVendor) -> Context {
    let mut context = Context::new();
    context.insert_value("vendor", full_vendor_value(facts, vendor));
    context.insert("site", &SiteView::new(facts));
    context.insert("page", &page_view(facts, vendor));
    let address = format!(
        "{}{}",
        base_url(&facts.config.base_url),
        VendorPage::Html.url_path(&vendor.entry.slug)
    );
    context.insert(
        "corrections",
        &super::corrections::correction_links(facts, vendor, &address),
    );
    let history = vendor.history.as_deref();
    context.insert("history", &history.map(|h| HistoryView::new(facts, h)));
    context.insert("charts", &charts(facts, vendor));
    context.insert(
        "attribution",
        &crate::compute::catalogues_of(&vendor.entry.record),
    );
    context
}

/// `charts` of a vendor page: its cost by team size, and its prices over time.
#[derive(Serialize)]
struct VendorCharts {
    cost: Option<CostChart>,
    prices: Vec<PriceChart>,
}

fn charts(facts: &SiteFacts, vendor: &ComputedVendor) -> VendorCharts {
    let sizes = &facts.config.team_sizes;
    let curves = cost_curves(&vendor.entry.record, sizes);
    VendorCharts {
        cost: CostChart::new(&curves, sizes, &vendor.figures.currency),
        prices: vendor
            .history
            .as_deref()
            .map(|history| PriceChart::of(history, facts.today))
            .unwrap_or_default(),
    }
}

fn page_view(facts: &SiteFacts, vendor: &ComputedVendor) -> PageView {
    let path = VendorPage::Html.url_path(&vendor.entry.slug);
    let root = relative_root(&path);
    let name = &vendor.entry.record.name;
    let text = PageText {
        title: format!(
            "{name} SCIM and SSO: plans, costs and IdP setup · {}",
            facts.config.title
        ),
        description: format!(
            "Does {name} support SCIM and SSO, which plan is required, what it costs by team \
             size, and how Okta, Entra ID and other identity providers connect."
        ),
    };
    PageView::new(facts, path, root, text, "article")
}

/// A vendor's own page as a template value. The record becomes a template value once, and the
/// rows of `idps` and `configured_idps` share its providers' entries (template values share
/// maps rather than copy them), where serializing the rows would copy each provider's setup
/// twice more: that was a third of turning the page's data into template values.
fn full_vendor_value(facts: &SiteFacts, vendor: &ComputedVendor) -> tera::Value {
    let mut view = VendorView::full(facts, vendor);
    let idps = std::mem::take(&mut view.idps);
    let configured_idps = std::mem::take(&mut view.configured_idps);
    let value = tera::Value::from_serializable(&view);
    if !value.is_map() {
        return value;
    }
    let mut vendor = value.into_map().unwrap_or_default();
    let supports = vendor
        .get(&Key::Str("record"))
        .and_then(|record| record.as_map()?.get(&Key::Str("idps"))?.as_map().cloned())
        .unwrap_or_default();
    let row_value = |row: &IdpRow| -> tera::Value {
        let support = supports
            .get(&Key::String(row.id.into()))
            .cloned()
            .unwrap_or_else(|| tera::Value::from_serializable(row.support));
        let mut map = tera::Map::default();
        map.insert(Key::Str("id"), row.id.into());
        map.insert(Key::Str("name"), row.name.into());
        map.insert(Key::Str("support"), support);
        map.insert(Key::Str("scim"), tera::Value::from_serializable(&row.scim));
        map.into()
    };
    for (name, rows) in [("idps", idps), ("configured_idps", configured_idps)] {
        let rows: Vec<tera::Value> = rows.iter().map(row_value).collect();
        vendor.insert(Key::Str(name), rows.into());
    }
    vendor.into()
}
