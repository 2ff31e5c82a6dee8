//! Synthetic sites for benchmarks and load tests (`cargo run --release --example gen_site --
//! N DIR [SEED]`, and the criterion benches).
//!
//! The records are realistic in size (3–6 KB) and shape: 4–6 identity providers with setup
//! steps, 3–4 tiers using every price form, limitations, complaints, quotes, decisions,
//! Markdown sections and sources. They are valid by construction and the same for the same N
//! and seed. They describe no real vendor.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

const IDPS: [(&str, &str); 7] = [
    ("okta", "Okta"),
    ("entra", "Microsoft Entra ID"),
    ("google", "Google Workspace"),
    ("onelogin", "OneLogin"),
    ("jumpcloud", "JumpCloud"),
    ("ping", "Ping Identity"),
    ("rippling", "Rippling"),
];

const CATEGORIES: [&str; 8] = [
    "Communication",
    "Security",
    "Developer tools",
    "Design",
    "Project management",
    "File storage",
    "Finance",
    "Analytics",
];

const WORDS: [&str; 24] = [
    "Acme", "Blue", "Cloud", "Data", "Echo", "Flux", "Grid", "Hive", "Iris", "Jolt", "Kite",
    "Lumen", "Mesa", "Nova", "Orbit", "Pixel", "Quill", "Relay", "Sage", "Tide", "Umbra", "Vault",
    "Wave", "Zen",
];

/// splitmix64: small, fast, and the same everywhere.
pub struct Rng(pub u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

/// Writes `data/site.yaml`, `data/idps.yaml` and `count` records below `dir` (replacing any
/// records there).
pub fn generate(count: usize, dir: &Path, seed: u64) -> std::io::Result<()> {
    let vendors = dir.join("data/vendors");
    if vendors.exists() {
        fs::remove_dir_all(&vendors)?;
    }
    fs::create_dir_all(&vendors)?;
    fs::write(
        dir.join("data/site.yaml"),
        "title: Synthetic SCIM Facts\nbase_url: https://bench.example.org/\n\
         description: A generated site for benchmarks.\nteam_sizes: [50, 100, 200]\n",
    )?;
    let mut idps = String::new();
    for (id, name) in IDPS {
        writeln!(
            idps,
            "{id}: {{name: {name}, website: 'https://{id}.example.com/'}}"
        )
        .unwrap();
    }
    fs::write(dir.join("data/idps.yaml"), idps)?;
    let mut rng = Rng(seed);
    for i in 0..count {
        let name = format!("{} {} {i}", rng.pick(&WORDS), rng.pick(&WORDS));
        let slug = format!("vendor-{i:06}");
        fs::write(
            vendors.join(format!("{slug}.yaml")),
            record(&mut rng, &name, &slug),
        )?;
    }
    Ok(())
}

/// One record's YAML.
pub fn record(rng: &mut Rng, name: &str, slug: &str) -> String {
    let mut y = String::with_capacity(6000);
    let scim = rng.chance(85);
    let day = 1 + rng.below(28);
    let month = 1 + rng.below(10);
    let verified = if rng.chance(90) {
        format!("2026-{month:02}-{day:02}")
    } else {
        "null".to_owned()
    };
    writeln!(y, "name: {name}").unwrap();
    writeln!(y, "category: {}", rng.pick(&CATEGORIES)).unwrap();
    writeln!(y, "website: https://{slug}.example.com/").unwrap();
    writeln!(y, "verified: {verified}").unwrap();
    writeln!(
        y,
        "summary: |\n  {name} offers **SSO** on its paid plans and {} SCIM 2.0 provisioning.\n  \
         See the [admin guide](https://{slug}.example.com/docs/scim) for setup details; this\n  \
         summary is generated for benchmarks and says nothing about a real vendor.",
        if scim { "supports" } else { "does not support" }
    )
    .unwrap();
    writeln!(
        y,
        "sso:\n  available: true\n  protocols: [SAML 2.0, OIDC]\n  required_for_scim: {}",
        rng.chance(50)
    )
    .unwrap();

    write_plans(rng, &mut y, scim, slug);
    write_idps(rng, &mut y, scim, name, slug);
    write_prose(rng, &mut y, slug, &format!("2026-{month:02}-{day:02}"));
    y
}

/// The `scim` section and the tiers: free, a per-user tier, a flat or per-user-year tier, and
/// sometimes custom.
fn write_plans(rng: &mut Rng, y: &mut String, scim: bool, slug: &str) {
    let base = 4 + rng.below(12);
    let tiers = 3 + rng.below(2) as usize;
    let scim_tier = if scim {
        1 + rng.below(tiers as u64 - 1) as usize
    } else {
        usize::MAX
    };
    let tier_names = ["Free", "Team", "Business", "Enterprise"];
    let scim_name = tier_names.get(scim_tier).copied();
    writeln!(y, "scim:\n  available: {scim}").unwrap();
    if let Some(tier) = scim_name {
        writeln!(
            y,
            "  version: \"2.0\"\n  tier: {tier}\n  operations: [Create users, Update users, \
             Deactivate users, Push groups]\n  attributes: [userName, emails, name.givenName, \
             name.familyName, active]\n  prerequisites:\n    - SSO configured for the domain\n    \
             - An owner or admin account\n  limitations:\n    - Guests cannot be provisioned\n    \
             - Group renames are not synced\n    - Deprovisioning suspends instead of deleting\n  \
             docs: https://{slug}.example.com/docs/scim"
        )
        .unwrap();
    }
    writeln!(y, "tiers:").unwrap();
    for (t, tier) in tier_names.iter().take(tiers).enumerate() {
        let price = match t {
            0 => "free".to_owned(),
            1 => format!("{{amount: {base}, currency: USD, per: user/month}}"),
            2 if rng.chance(50) => format!(
                "{{amount: {}, currency: USD, per: month, min_seats: 10}}",
                base * 150
            ),
            2 => format!(
                "{{amount: {}, currency: USD, per: user/year, approximate: true}}",
                base * 30
            ),
            _ => "custom".to_owned(),
        };
        writeln!(
            y,
            "  - name: {tier}\n    price: {price}\n    sso: {}\n    scim: {}\n    source: pricing",
            t > 0,
            t >= scim_tier
        )
        .unwrap();
    }
}

/// Four to six identity providers, each with setup steps.
fn write_idps(rng: &mut Rng, y: &mut String, scim: bool, name: &str, slug: &str) {
    writeln!(y, "idps:").unwrap();
    let providers = 4 + rng.below(3) as usize;
    for (id, label) in IDPS.iter().take(providers) {
        let mode = if !scim {
            "jit"
        } else if rng.chance(80) {
            "full"
        } else {
            "jit"
        };
        writeln!(
            y,
            "  {id}:\n    sso: true\n    scim: {mode}\n    notes: {label} app from the catalogue\n    \
             setup:\n      integration: {label} catalogue app\n      where: Admin console > \
             Security > Provisioning\n      credentials: SCIM base URL and a bearer token\n      \
             steps:\n        - Generate a SCIM token in {name}\n        - Add the app in {label}\n        \
             - Paste the base URL and token\n        - Assign users and groups\n      trigger: \
             Assignment of users or groups\n      sync: Every 40 minutes\n      docs: \
             https://{slug}.example.com/docs/{id}"
        )
        .unwrap();
    }
}

/// Sentiment, decisions, a free section and sources, checked on `checked`.
fn write_prose(rng: &mut Rng, y: &mut String, slug: &str, checked: &str) {
    writeln!(
        y,
        "sentiment:\n  tone: {}\n  summary: Admins find setup quick but the plan requirement \
         steep.\n  complaints:\n    - SCIM requires an expensive plan\n    - Group sync is \
         limited\n  quotes:\n    - text: Setup took ten minutes, the budget approval took \
         ten weeks.\n      source: A forum thread\n      url: https://forum.example.com/t/{slug}",
        rng.pick(&["positive", "mixed", "negative"])
    )
    .unwrap();
    writeln!(
        y,
        "decisions:\n  - situation: On a plan without SCIM\n    recommendation: Weigh the \
         upgrade against manual provisioning\n  - situation: Already on the SCIM plan\n    \
         recommendation: Turn SCIM on"
    )
    .unwrap();
    writeln!(
        y,
        "sections:\n  - title: Notes\n    body: |\n      | Plan | Seats |\n      |---|---|\n      \
         | Team | {} |\n\n      Generated text with ~~old~~ and *new* facts.[^1]\n\n      \
         [^1]: A footnote.",
        10 + rng.below(90)
    )
    .unwrap();
    writeln!(
        y,
        "sources:\n  - id: pricing\n    title: Pricing\n    url: https://{slug}.example.com/pricing\n    checked: \
         {checked}\n  - title: SCIM guide\n    url: \
         https://{slug}.example.com/docs/scim\n    checked: {checked}"
    )
    .unwrap();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_sites_are_valid_and_the_same_for_the_same_seed() {
        let a = tempfile::tempdir().unwrap();
        let b = tempfile::tempdir().unwrap();
        generate(30, a.path(), 7).unwrap();
        generate(30, b.path(), 7).unwrap();
        let record =
            |dir: &Path| fs::read_to_string(dir.join("data/vendors/vendor-000011.yaml")).unwrap();
        assert_eq!(record(a.path()), record(b.path()));
        let size = record(a.path()).len();
        assert!((3000..=6500).contains(&size), "{size} bytes");
        let options = crate::build::BuildOptions::new(a.path());
        let warnings = crate::build::check(&options).unwrap();
        assert!(!warnings.has_errors());
    }
}
