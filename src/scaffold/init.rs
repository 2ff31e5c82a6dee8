//! `scimfacts init`: a new catalogue repository, ready to preview, check on pull requests and
//! publish; and `scimfacts schema --output`, the record schema as a file.

use std::path::{Path, PathBuf};

use super::{ScaffoldError, write_new};
use crate::model::{Date, LinkKind, RepositorySettings, SiteConfig, vendor_schema};
use crate::validate::check_site;

/// The file the vendor schema is written to, in the folder given.
pub const SCHEMA_FILE: &str = "vendor.schema.json";

/// What `init` writes.
#[derive(Debug, Clone, Default)]
pub struct InitOptions {
    /// The catalogue's folder; made when missing.
    pub dir: PathBuf,
    /// The site's title [default: SCIM Facts].
    pub title: Option<String>,
    /// The repository's web address, for "Edit this record" and "Report a problem".
    pub repository: Option<String>,
}

/// What `init` did with each file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InitReport {
    /// Written, below the folder.
    pub created: Vec<PathBuf>,
    /// Already there, and left as they were.
    pub kept: Vec<PathBuf>,
    /// What the editor should know: options a kept file did not take, links not yet set, a
    /// folder GitHub will not look in.
    pub notes: Vec<String>,
}

/// The files of a new catalogue: where each goes, and its text with `{{...}}` still to fill.
const STARTER: [(&str, &str); 13] = [
    (".gitignore", include_str!("../../starter/.gitignore")),
    ("README.md", include_str!("../../starter/README.md")),
    (
        "CONTRIBUTING.md",
        include_str!("../../starter/CONTRIBUTING.md"),
    ),
    (
        "data/site.yaml",
        include_str!("../../starter/data/site.yaml"),
    ),
    ("data/idps.yaml", include_str!("../../data/idps.yaml")),
    (
        "data/vendors/example-vendor.yaml",
        include_str!("../../starter/data/vendors/example-vendor.yaml"),
    ),
    ("schema/vendor.schema.json", ""),
    (
        ".vscode/settings.json",
        include_str!("../../starter/.vscode/settings.json"),
    ),
    (
        ".vscode/extensions.json",
        include_str!("../../starter/.vscode/extensions.json"),
    ),
    (
        ".github/workflows/site.yml",
        include_str!("../../starter/.github/workflows/site.yml"),
    ),
    (
        ".github/ISSUE_TEMPLATE/wrong-fact.yml",
        include_str!("../../starter/.github/ISSUE_TEMPLATE/wrong-fact.yml"),
    ),
    (
        ".github/ISSUE_TEMPLATE/add-vendor.yml",
        include_str!("../../starter/.github/ISSUE_TEMPLATE/add-vendor.yml"),
    ),
    (
        ".github/ISSUE_TEMPLATE/config.yml",
        "blank_issues_enabled: true\n",
    ),
];

/// Writes a new catalogue into `options.dir`, file by file, never over a file that is there:
/// running it again, or in an existing repository, only adds what is missing.
pub fn init(options: &InitOptions) -> Result<InitReport, ScaffoldError> {
    let site_yaml = site_settings(options)?;
    prepare_folder(&options.dir)?;
    let today = Date::today().to_string();
    let title = options.title.as_deref().unwrap_or(DEFAULT_TITLE);
    let mut report = InitReport::default();
    for (path, template) in STARTER {
        let text = match path {
            "data/site.yaml" => site_yaml.clone(),
            "schema/vendor.schema.json" => vendor_schema(),
            _ => template
                .replace("{{version}}", env!("CARGO_PKG_VERSION"))
                .replace("{{today}}", &today)
                .replace("{{title}}", title),
        };
        match write_new(&options.dir.join(path), &text) {
            Ok(true) => report.created.push(PathBuf::from(path)),
            Ok(false) => report.kept.push(PathBuf::from(path)),
            Err(cause) if report.created.is_empty() => return Err(cause),
            Err(cause) => {
                return Err(ScaffoldError::Partly {
                    cause: Box::new(cause),
                    created: report.created,
                });
            }
        }
    }
    report.notes = notes(options, &report);
    Ok(report)
}

/// What `init` could not do for the editor, said so that they can do it.
fn notes(options: &InitOptions, report: &InitReport) -> Vec<String> {
    let mut notes = Vec::new();
    let site_kept = report
        .kept
        .iter()
        .any(|path| path == Path::new("data/site.yaml"));
    if site_kept && (options.title.is_some() || options.repository.is_some()) {
        notes.push(
            "data/site.yaml exists and was kept, so --title and --repository were not applied: \
             set `title:` and `repository:` (with its `url:`) in it by hand"
                .to_owned(),
        );
    }
    if options.repository.is_none() && !site_kept {
        notes.push(
            "vendor pages get \"Report a problem\" and \"Edit this record\" (which \
             CONTRIBUTING.md describes) once data/site.yaml has `repository:` with the \
             repository's `url:`"
                .to_owned(),
        );
    }
    let folder = crate::load::folder_in_repository(&options.dir);
    if !folder.is_empty() {
        notes.push(format!(
            "this catalogue is in the folder {folder} of a git repository, and GitHub reads \
             workflows and issue forms only from .github/ at the repository's top: move .github/ \
             there, and add `--root {}` to the workflow's scimfacts commands",
            folder.trim_end_matches('/')
        ));
    }
    notes
}

const DEFAULT_TITLE: &str = "SCIM Facts";

/// `data/site.yaml` with the title and repository filled in, refused as `check` would refuse
/// it: `init` must never write a catalogue that does not build.
fn site_settings(options: &InitOptions) -> Result<String, ScaffoldError> {
    let quoted = |text: &str| serde_json::to_string(text).unwrap_or_default();
    let title = options.title.as_deref().unwrap_or(DEFAULT_TITLE);
    if title.contains(char::is_control) {
        return Err(ScaffoldError::InvalidSetting(
            "--title: expected one line of text, without control characters".to_owned(),
        ));
    }
    let repository = match &options.repository {
        Some(url) => format!(
            "# Where the records are kept: vendor pages link to each record in the web editor\n\
             # (\"Edit this record\") and to a new issue about the vendor (\"Report a problem\").\n\
             repository:\n  url: {}\n",
            quoted(url)
        ),
        None => {
            "# Where the records are kept, for \"Edit this record\" and \"Report a problem\" on \
                 vendor pages:\n# repository:\n#   url: https://github.com/you/your-catalogue\n"
                .to_owned()
        }
    };
    let text = include_str!("../../starter/data/site.yaml")
        .replace("\"{{title}}\"", &quoted(title))
        .replace("{{repository}}\n", &repository);
    let config: SiteConfig = serde_saphyr::from_str(&text)
        .map_err(|err| ScaffoldError::InvalidSetting(err.to_string()))?;
    let sound_url = |r: &&RepositorySettings| crate::validate::is_http_url(&r.url);
    refuse_unknown_host(config.repository.as_ref().filter(sound_url))?;
    if let Some(problem) = check_site(&config).into_iter().next() {
        let setting = match problem.field.split('.').next() {
            Some("repository") => "--repository",
            _ => "--title",
        };
        return Err(ScaffoldError::InvalidSetting(format!(
            "{setting}: {}",
            problem.message
        )));
    }
    Ok(text)
}

/// `--repository` on a host whose links are not known cannot be completed by `init`.
fn refuse_unknown_host(repository: Option<&RepositorySettings>) -> Result<(), ScaffoldError> {
    match repository {
        Some(repository) if repository.host_default(LinkKind::Edit).is_none() => {
            Err(ScaffoldError::InvalidSetting(format!(
                "--repository: the links of {} are not known (only those of github.com, \
                 gitlab.com and codeberg.org are): run init without --repository, then set \
                 `repository:` with its url, edit_link and report_link in data/site.yaml (see \
                 the README)",
                repository.url
            )))
        }
        _ => Ok(()),
    }
}

/// The folder exists as a folder, made when missing.
fn prepare_folder(dir: &Path) -> Result<(), ScaffoldError> {
    if dir.exists() && !dir.is_dir() {
        return Err(ScaffoldError::NotAFolder(dir.to_path_buf()));
    }
    std::fs::create_dir_all(dir).map_err(|source| ScaffoldError::Io {
        path: dir.to_path_buf(),
        source,
    })
}

/// Writes the vendor schema to `dir/vendor.schema.json` (the folder made when missing), or to
/// `dir` itself when it names a `.json` file, replacing an older one: it is generated, and a
/// newer scimfacts has a newer schema.
pub fn write_schema(dir: &Path) -> Result<PathBuf, ScaffoldError> {
    let names_a_file = dir.extension().is_some_and(|ext| ext == "json") && !dir.is_dir();
    let (folder, path) = match dir.parent() {
        Some(parent) if names_a_file => (parent.to_path_buf(), dir.to_path_buf()),
        _ => (dir.to_path_buf(), dir.join(SCHEMA_FILE)),
    };
    if !folder.as_os_str().is_empty() {
        prepare_folder(&folder)?;
    }
    std::fs::write(&path, vendor_schema()).map_err(|source| ScaffoldError::Io {
        path: path.clone(),
        source,
    })?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(dir: &Path) -> InitOptions {
        InitOptions {
            dir: dir.to_path_buf(),
            ..InitOptions::default()
        }
    }

    #[test]
    fn init_writes_every_starter_file_and_fills_its_placeholders() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("catalogue");
        let report = init(&InitOptions {
            title: Some("Acme's \"SCIM\" facts".to_owned()),
            repository: Some("https://github.com/acme/facts".to_owned()),
            ..options(&dir)
        })
        .unwrap();
        assert_eq!(report.created.len(), STARTER.len());
        assert!(report.kept.is_empty());
        for (path, _) in STARTER {
            let text = std::fs::read_to_string(dir.join(path)).unwrap();
            for placeholder in ["{{version}}", "{{today}}", "{{title}}", "{{repository}}"] {
                assert!(!text.contains(placeholder), "{path} keeps {placeholder}");
            }
        }
        let site = std::fs::read_to_string(dir.join("data/site.yaml")).unwrap();
        let config: SiteConfig = serde_saphyr::from_str(&site).unwrap();
        assert_eq!(config.title, "Acme's \"SCIM\" facts");
        assert_eq!(
            config.repository.unwrap().url,
            "https://github.com/acme/facts"
        );
        let workflow = std::fs::read_to_string(dir.join(".github/workflows/site.yml")).unwrap();
        assert!(workflow.contains(&format!(
            "SCIMFACTS_VERSION: \"{}\"",
            env!("CARGO_PKG_VERSION")
        )));
        assert_eq!(
            std::fs::read_to_string(dir.join("schema/vendor.schema.json")).unwrap(),
            vendor_schema()
        );
    }

    #[test]
    fn init_never_overwrites_and_adds_only_what_is_missing() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(tmp.path().join("data")).unwrap();
        std::fs::write(tmp.path().join("data/site.yaml"), "mine").unwrap();
        let report = init(&options(tmp.path())).unwrap();
        assert_eq!(report.kept, [PathBuf::from("data/site.yaml")]);
        assert_eq!(
            std::fs::read_to_string(tmp.path().join("data/site.yaml")).unwrap(),
            "mine"
        );
        let again = init(&options(tmp.path())).unwrap();
        assert!(again.created.is_empty());
        assert_eq!(again.kept.len(), STARTER.len());
    }

    #[test]
    fn init_refuses_settings_check_would_refuse_and_writes_nothing() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("new");
        for (title, repository, says) in [
            (None, Some("github.com/acme/facts"), "--repository"),
            (None, Some("https://git.example.org/acme"), "--repository"),
            (Some(" "), None, "--title"),
        ] {
            let err = init(&InitOptions {
                title: title.map(str::to_owned),
                repository: repository.map(str::to_owned),
                ..options(&dir)
            })
            .unwrap_err();
            assert!(err.to_string().contains(says), "{err}");
            assert!(!dir.exists());
        }
    }

    #[test]
    fn notes_say_what_init_could_not_do() {
        let tmp = tempfile::tempdir().unwrap();
        let first = init(&options(tmp.path())).unwrap();
        assert!(
            first
                .notes
                .iter()
                .any(|n| n.contains("once data/site.yaml has `repository:`"))
        );
        let again = init(&InitOptions {
            repository: Some("https://github.com/acme/facts".to_owned()),
            ..options(tmp.path())
        })
        .unwrap();
        assert!(again.notes.iter().any(|n| n.contains("were not applied")));
        let repository = tmp.path().join("repo");
        std::fs::create_dir_all(repository.join(".git")).unwrap();
        let nested = init(&options(&repository.join("sites/facts"))).unwrap();
        assert!(
            nested
                .notes
                .iter()
                .any(|n| n.contains("folder sites/facts/") && n.contains("--root sites/facts")),
            "{:?}",
            nested.notes
        );
    }

    #[test]
    fn init_says_how_to_set_links_it_cannot_make() {
        let tmp = tempfile::tempdir().unwrap();
        let err = init(&InitOptions {
            repository: Some("https://git.example.org/acme/facts".to_owned()),
            ..options(tmp.path())
        })
        .unwrap_err()
        .to_string();
        assert!(err.contains("run init without --repository"), "{err}");
        let err = init(&InitOptions {
            title: Some("two\nlines".to_owned()),
            ..options(tmp.path())
        })
        .unwrap_err()
        .to_string();
        assert!(err.contains("one line"), "{err}");
    }

    #[test]
    fn init_stopped_midway_says_what_it_had_written() {
        let tmp = tempfile::tempdir().unwrap();
        // A file where init makes a folder: writing into it fails, for root too.
        std::fs::write(tmp.path().join(".vscode"), "").unwrap();
        let err = init(&options(tmp.path())).unwrap_err();
        let ScaffoldError::Partly { created, .. } = &err else {
            panic!("{err}");
        };
        assert!(
            created.contains(&PathBuf::from("data/site.yaml")),
            "{created:?}"
        );
        assert!(
            err.to_string()
                .contains("before that, init created .gitignore, README.md")
        );
        assert_eq!(err.exit_code(), 2);
    }

    #[test]
    fn the_schema_goes_to_a_json_file_when_one_is_named() {
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join("editor/record.schema.json");
        assert_eq!(write_schema(&file).unwrap(), file);
        assert_eq!(std::fs::read_to_string(&file).unwrap(), vendor_schema());
    }

    #[test]
    fn the_schema_is_written_into_the_folder_and_replaces_an_older_one() {
        let tmp = tempfile::tempdir().unwrap();
        let path = write_schema(&tmp.path().join("schema")).unwrap();
        std::fs::write(&path, "old").unwrap();
        assert_eq!(write_schema(&tmp.path().join("schema")).unwrap(), path);
        assert_eq!(std::fs::read_to_string(path).unwrap(), vendor_schema());
    }
}
