//! Price history in the pipeline: the repository's history read once per build (or kept by
//! `serve` while HEAD stays), and each record's committed versions taken through the stages
//! the record itself goes through (load → validate → compute), so that the history shows
//! what the site showed then, by today's rules.

use std::path::Path;
use std::sync::Arc;

use crate::compute::{CommittedSnapshot, ComputedVendor, PriceHistory, SiteFacts, Snapshot};
use crate::diagnostic::{Diagnostic, Severity, slashed};
use crate::load::{
    CommittedHistory, CommittedVersion, NoHistory, VENDORS_DIR, VendorEntry, decode_source,
    parse_yaml, read_history,
};
use crate::model::Vendor;
use crate::validate::{Problem, Rules, check_vendor};

/// The repository's history for a site that shows it: `kept` when HEAD has not moved since it
/// was read, else read now. A site outside git, or a repository that cannot be read, builds
/// without history, with a warning; so does a shallow clone's, with history up to its start.
pub(crate) fn committed_history(
    root: &Path,
    kept: Option<Arc<CommittedHistory>>,
    warnings: &mut Vec<Diagnostic>,
) -> Option<Arc<CommittedHistory>> {
    let history = match kept {
        Some(history) => history,
        None => match read_history(root) {
            Ok(history) => Arc::new(history),
            Err(why) => {
                warnings.push(no_history_warning(root, &why));
                return None;
            }
        },
    };
    if !history.complete {
        warnings.push(Diagnostic::warning(
            settings_file(),
            "history: this is a shallow clone, so price history starts at its oldest commit; \
             fetch the whole history for complete pages (`git fetch --unshallow`, or \
             `fetch-depth: 0` for actions/checkout)",
        ));
    }
    Some(history)
}

fn no_history_warning(root: &Path, why: &NoHistory) -> Diagnostic {
    let message = match why {
        NoHistory::NotInRepository => format!(
            "history: {} is not in a git repository with a working tree, so pages show no price \
             history (commit the site to git, or turn `history` off)",
            std::path::absolute(root)
                .unwrap_or(root.to_path_buf())
                .display()
        ),
        NoHistory::Unreadable(err) => format!(
            "history: the git repository holding the site cannot be read ({err}), so pages show \
             no price history"
        ),
    };
    Diagnostic::warning(settings_file(), message)
}

fn settings_file() -> std::path::PathBuf {
    Path::new(crate::load::SITE_FILE).to_path_buf()
}

/// The price history of `vendor` (computed from `entry`, the record as its file holds it now).
pub(crate) fn record_history(
    entry: &VendorEntry,
    vendor: &ComputedVendor,
    history: &CommittedHistory,
    rules: &Rules,
    facts: &SiteFacts,
) -> PriceHistory {
    let current = Snapshot::of(vendor);
    let Some(record) = history.versions(&path_below_vendors(&entry.path)) else {
        return PriceHistory::new(&current, Vec::new(), true);
    };
    // Most records are as HEAD has them: their newest version is the current one, parsed
    // already. Only older versions, and edits not yet committed, are parsed again.
    let now = std::fs::read(&entry.file).ok();
    let committed = record
        .versions
        .iter()
        .map(|version| CommittedSnapshot {
            commit: version.commit.clone(),
            date: version.date,
            snapshot: if now.as_deref() == Some(version.bytes.as_slice()) {
                Some(current.clone())
            } else {
                snapshot_of(entry, version, rules, facts)
            },
        })
        .collect();
    PriceHistory::new(&current, committed, record.from_start)
}

/// What a committed version of `entry` showed, when it still passes the checks.
fn snapshot_of(
    entry: &VendorEntry,
    version: &CommittedVersion,
    rules: &Rules,
    facts: &SiteFacts,
) -> Option<Snapshot> {
    let source = decode_source(entry.path.clone(), version.bytes.clone()).ok()?;
    let record: Vendor = parse_yaml(&source).ok()?;
    let then = VendorEntry {
        record,
        ..entry.clone()
    };
    if check_vendor(&then, rules).iter().any(spoils_history) {
        return None;
    }
    Some(Snapshot::of(&ComputedVendor::new(Arc::new(then), facts)))
}

/// Whether a problem keeps a committed version out of the history: an error in what the
/// history compares (plans, prices, SCIM and SSO, the catalogues' statements). An identity
/// provider since renamed in `idps.yaml`, or a source since removed, changes no price.
fn spoils_history(problem: &Problem) -> bool {
    let top = problem.field.split(['.', '[']).next().unwrap_or_default();
    let compared = matches!(
        top,
        "" | "name" | "verified" | "tiers" | "addons" | "scim" | "sso" | "catalogues"
    );
    problem.severity == Severity::Error && compared && !problem.field.ends_with("source")
}

/// A record's path below `data/vendors/`, with `/` between folders, as git names it.
fn path_below_vendors(path: &Path) -> String {
    slashed(path.strip_prefix(VENDORS_DIR).unwrap_or(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_is_named_as_git_names_it_below_data_vendors() {
        assert_eq!(
            path_below_vendors(Path::new("data/vendors/slack.yaml")),
            "slack.yaml"
        );
        assert_eq!(
            path_below_vendors(&Path::new("data/vendors").join("s").join("slack.yaml")),
            "s/slack.yaml"
        );
    }
}
