//! What editors start from: `scimfacts new` (a fresh vendor record with every key present
//! and explained) and `scimfacts init` (a whole new catalogue).

use std::fs::OpenOptions;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::diagnostic::Severity;
use crate::load::{VENDORS_DIR, VendorEntry, list_vendor_files};
use crate::model::{Date, Vendor};
use crate::slug::slugify;
use crate::validate::{Rules, check_vendor};

mod init;
pub use init::{InitOptions, InitReport, SCHEMA_FILE, init, write_schema};

/// Why `scimfacts new` wrote no record.
#[derive(Debug, thiserror::Error)]
pub enum ScaffoldError {
    /// The root is missing or is not a folder: a typo in `--root` must not become a new tree.
    #[error(
        "no site at {}: it {what} (create the site's folder first, or name it with --root)",
        root.display()
    )]
    NoSite {
        /// The root as given.
        root: PathBuf,
        /// "does not exist" or "is not a folder".
        what: &'static str,
    },
    /// The name breaks a rule of every record's name, as `check` says it (`is 201 characters
    /// long: ...`); the name itself is not repeated, as it may be thousands of characters.
    #[error("name {0}")]
    InvalidName(String),
    /// The name gives no slug (no letter or digit).
    #[error("\"{0}\" has no letters or digits to make a file name from")]
    NoSlug(String),
    /// A record of that slug exists; it is never overwritten.
    #[error("{0} already exists; edit it, or remove it first")]
    Exists(PathBuf),
    /// `init` or `schema --output` was given a path that is not a folder.
    #[error("{} is not a folder: name a folder (it is made when missing)", .0.display())]
    NotAFolder(PathBuf),
    /// `init` stopped at a file it could not write, after writing others.
    #[error(
        "{cause}\nbefore that, init created {}: they are kept; mend the problem and run init \
         again to add the rest",
        created.iter().map(|path| path.display().to_string()).collect::<Vec<_>>().join(", ")
    )]
    Partly {
        /// What stopped it.
        cause: Box<ScaffoldError>,
        /// The files written before, below the folder.
        created: Vec<PathBuf>,
    },
    /// A setting given to `init` that `check` would refuse.
    #[error("{0}")]
    InvalidSetting(String),
    /// The file could not be written.
    #[error("cannot write {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What the system said.
        #[source]
        source: io::Error,
    },
}

impl ScaffoldError {
    /// The command's exit code: 1 for a name no record may have or a record that exists (as
    /// for invalid data), 2 for a root that is no site, a setting refused or a write that
    /// failed.
    pub fn exit_code(&self) -> u8 {
        match self {
            ScaffoldError::Partly { cause, .. } => cause.exit_code(),
            ScaffoldError::NoSite { .. }
            | ScaffoldError::NotAFolder(_)
            | ScaffoldError::Io { .. }
            | ScaffoldError::InvalidSetting(_) => 2,
            _ => 1,
        }
    }
}

/// Writes `data/vendors/<slug>.yaml` for `name` and returns its path. Never overwrites. The
/// root must be a folder; `data/vendors/` is made in it when missing.
pub fn new_vendor(root: &Path, name: &str) -> Result<PathBuf, ScaffoldError> {
    refuse_missing_root(root)?;
    if let Some(problem) = name_problems(name).into_iter().next() {
        return Err(ScaffoldError::InvalidName(problem));
    }
    let slug = slugify(name);
    if slug.is_empty() {
        return Err(ScaffoldError::NoSlug(name.to_owned()));
    }
    // Records may sit in subfolders: a slug taken anywhere is taken.
    let (records, _) = list_vendor_files(root);
    if let Some((_, taken)) = records.into_iter().find(|(taken, _)| *taken == slug) {
        return Err(ScaffoldError::Exists(taken));
    }
    let path = root.join(VENDORS_DIR).join(format!("{slug}.yaml"));
    if !write_new(&path, &record_template(name))? {
        return Err(ScaffoldError::Exists(path));
    }
    Ok(path)
}

/// Writes `text` to `path` (its folders made when missing) unless something is there
/// already, which is never overwritten; whether it wrote.
fn write_new(path: &Path, text: &str) -> Result<bool, ScaffoldError> {
    let io_error = |source| ScaffoldError::Io {
        path: path.to_path_buf(),
        source,
    };
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(io_error)?;
    }
    let mut file = match OpenOptions::new().write(true).create_new(true).open(path) {
        Ok(file) => file,
        Err(err) if err.kind() == io::ErrorKind::AlreadyExists => return Ok(false),
        Err(err) => return Err(io_error(err)),
    };
    file.write_all(text.as_bytes()).map_err(io_error)?;
    Ok(true)
}

fn refuse_missing_root(root: &Path) -> Result<(), ScaffoldError> {
    if root.is_dir() {
        return Ok(());
    }
    let what = if root.exists() {
        "is not a folder"
    } else {
        "does not exist"
    };
    Err(ScaffoldError::NoSite {
        root: root.to_path_buf(),
        what,
    })
}

/// What `check` would say is wrong with the name of the record `new` writes for `name`, each
/// as `is ...` or `contains ...`. The record is checked by the very rules every record is
/// checked by, and only its `name` errors are kept, so that `new` refuses exactly the names
/// `check` refuses, now and whenever those rules change.
fn name_problems(name: &str) -> Vec<String> {
    // The template is parsed with an empty name and given the real one after: a name `check`
    // refuses may hold characters that YAML itself refuses, and those must get the words of
    // `check` too, not a parse error.
    let mut record: Vendor = serde_saphyr::from_str(&record_template(""))
        .expect("the record template is a valid record");
    record.name = name.to_owned();
    let entry = VendorEntry {
        slug: String::new(),
        path: PathBuf::new(),
        file: PathBuf::new(),
        record,
    };
    check_vendor(&entry, &Rules::of(None, None, Date::today()))
        .into_iter()
        .filter(|p| p.field == "name" && p.severity == Severity::Error)
        .map(|p| p.message)
        .collect()
}

/// The text of a new record: valid as it stands (every fact unknown), with a comment on every
/// key saying what belongs there.
pub fn record_template(name: &str) -> String {
    let quoted = serde_json::to_string(name).unwrap_or_else(|_| "\"\"".to_owned());
    RECORD_TEMPLATE.replace("{name}", &quoted)
}

/// Where the vendor schema is shipped, relative to a record: editors with yaml-language-server
/// (the VS Code YAML extension) read it from the record's first line.
pub const SCHEMA_MODELINE: &str = "# yaml-language-server: $schema=../../schema/vendor.schema.json";

const RECORD_TEMPLATE: &str = r#"# yaml-language-server: $schema=../../schema/vendor.schema.json
# A vendor record for scimfacts. Leave out, or set to null, every fact you cannot back
# with a source: the page then says "Unknown" instead of guessing.
name: {name}
now_known_as: null        # the current name, if the product was renamed or acquired
category: null            # e.g. Communication, Security, Developer tools
website: null             # https://...
verified: null            # YYYY-MM-DD: the day every fact below was checked against its sources
summary: null             # Markdown: two to four neutral sentences

sso:
  available: null         # true | false
  protocols: []           # e.g. [SAML 2.0, OIDC]
  required_for_scim: null # true if SSO must be set up before SCIM
  source: null            # the id of the source (below) that says so

scim:
  available: null         # true | false
  version: null           # e.g. "2.0"
  tier: null              # the name of the cheapest tier (below) that includes SCIM
  operations: []          # e.g. [Create users, Update users, Deactivate users, Push groups]
  attributes: []          # e.g. [userName, emails, name.givenName]
  prerequisites: []       # what must be in place first
  limitations: []         # what SCIM does not do
  docs: null              # https://... the vendor's SCIM documentation
  source: null            # the id of the source (below) that says so

# Cheapest first. price: custom | free | {amount, currency, per, approximate, min_seats}
# per: user/month | user/year | month | year; currency: an ISO 4217 code such as USD.
tiers: []
#  - name: Pro
#    price: {amount: 8, currency: USD, per: user/month, approximate: false}
#    sso: false
#    scim: false
#    source: pricing       # the id of the source (below) the price comes from
#  - name: Enterprise
#    price: custom
#    sso: true
#    scim: true

# Sold on top of a plan and bringing SSO or SCIM (e.g. Atlassian Guard): SCIM then costs the
# plan plus the add-on.
addons: []
#  - name: Guard Standard
#    price: {amount: 4, currency: USD, per: user/month}
#    plans: [Pro]          # the tiers it is bought with; leave out for any plan
#    sso: true
#    scim: true
#    source: pricing

# One entry per identity provider of data/idps.yaml.
idps: {}
#  okta:
#    sso: true
#    scim: full            # full | jit | none
#    notes: OIN app with full provisioning
#    setup:
#      integration: Okta Integration Network app
#      where: Admin console > Settings > Provisioning
#      credentials: SCIM base URL and bearer token
#      steps: [Enable Create Users, Enable Deactivate Users]
#      trigger: Assignment of users or groups to the app
#      sync: Near real time
#      docs: https://...
#    source: okta-guide    # the id of the source (below) that says how it connects

sentiment: null
#  tone: mixed             # positive | mixed | negative
#  summary: Markdown
#  complaints: []
#  quotes:
#    - {text: "...", source: Reddit r/sysadmin, url: https://...}

decisions: []             # [{situation: ..., recommendation: ...}]
sections: []              # [{title: ..., body: Markdown}]
sources: []               # [{id: pricing, title: ..., url: https://..., checked: YYYY-MM-DD}]
"#;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Vendor;

    #[test]
    fn the_template_is_a_valid_record_with_every_fact_unknown() {
        let record: Vendor = serde_saphyr::from_str(&record_template("Acme \"SSO\" Inc.")).unwrap();
        assert_eq!(record.name, "Acme \"SSO\" Inc.");
        assert_eq!(record.scim.available, None);
        assert!(record.tiers.is_empty());
        assert_eq!(record.verified, None);
    }

    #[test]
    fn the_template_starts_with_the_schema_modeline() {
        assert!(record_template("X").starts_with(SCHEMA_MODELINE));
    }

    #[test]
    fn new_refuses_to_overwrite() {
        let root = tempfile::tempdir().unwrap();
        let path = new_vendor(root.path(), "Acme Corp").unwrap();
        assert!(path.ends_with("data/vendors/acme-corp.yaml"));
        std::fs::write(&path, "name: edited\n").unwrap();
        let again = new_vendor(root.path(), "acme corp");
        assert!(matches!(again, Err(ScaffoldError::Exists(_))));
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "name: edited\n");
        assert!(matches!(
            new_vendor(root.path(), "!!!"),
            Err(ScaffoldError::NoSlug(_))
        ));
    }

    /// What `new` says of `name`, when it refuses it for its name.
    fn refusal(name: &str) -> Option<String> {
        let root = tempfile::tempdir().unwrap();
        match new_vendor(root.path(), name) {
            Err(err @ ScaffoldError::InvalidName(_)) => Some(err.to_string()),
            Ok(_) => None,
            Err(err) => panic!("{name:?}: refused for another reason: {err}"),
        }
    }

    #[test]
    fn new_refuses_the_names_validation_refuses() {
        let longest = "a".repeat(crate::validate::MAX_NAME_CHARS);
        assert_eq!(refusal(&longest), None);
        let too_long = refusal(&format!("{longest}a")).unwrap();
        assert!(
            too_long.starts_with("name is 201 characters long"),
            "{too_long}"
        );
        let escape = refusal("Acme\u{1b}[31m").unwrap();
        assert!(escape.contains("control character U+001B"), "{escape}");
        let noncharacter = refusal("Acme\u{FFFE}").unwrap();
        assert!(noncharacter.contains("U+FFFE"), "{noncharacter}");
        assert!(refusal("  ").unwrap().contains("is empty"));
        assert!(refusal("").unwrap().contains("is empty"));
    }

    #[test]
    fn new_refuses_a_root_that_is_not_a_folder_and_creates_nothing() {
        let tmp = tempfile::tempdir().unwrap();
        let missing = tmp.path().join("nonexistent/x");
        let err = new_vendor(&missing, "Acme").unwrap_err();
        assert!(
            matches!(
                err,
                ScaffoldError::NoSite {
                    what: "does not exist",
                    ..
                }
            ),
            "{err}"
        );
        assert_eq!(err.exit_code(), 2);
        assert!(!tmp.path().join("nonexistent").exists());
        let file = tmp.path().join("file");
        std::fs::write(&file, "").unwrap();
        let err = new_vendor(&file, "Acme").unwrap_err();
        assert!(
            matches!(
                err,
                ScaffoldError::NoSite {
                    what: "is not a folder",
                    ..
                }
            ),
            "{err}"
        );
    }

    #[test]
    fn new_names_the_file_after_the_transliterated_name() {
        let root = tempfile::tempdir().unwrap();
        let path = new_vendor(root.path(), "Café Münch").unwrap();
        assert!(
            path.ends_with("data/vendors/cafe-munch.yaml"),
            "{}",
            path.display()
        );
        let long = new_vendor(root.path(), "東京".repeat(100).as_str()).unwrap();
        let stem = long.file_stem().unwrap().to_str().unwrap();
        assert!(stem.len() <= crate::slug::MAX_SLUG_CHARS, "{stem}");
    }
}
