//! scimfacts: SCIM fact pages from one YAML record per SaaS vendor.
//!
//! The pipeline, one module per stage: [`load`] reads and parses the input files, [`validate`]
//! checks the rules between facts, [`compute`] derives every figure that must never be typed by
//! hand, [`render`] turns computed vendors into pages through Tera templates (with [`export`]
//! for the machine-readable files and [`page`] for every output's address), and [`mod@write`]
//! puts the site on disk atomically. [`build`] runs them as one pipeline for `build`, `check`
//! and [`serve`], telling a [`progress`] hook how far it is. `docs/architecture.md` in the
//! repository is the map.

#![warn(missing_docs)]

pub mod assets;
pub mod build;
pub mod compute;
pub mod diagnostic;
pub mod error;
pub mod export;
pub mod field_path;
pub mod import;
pub mod load;
pub mod locate;
pub mod markdown;
pub mod model;
pub mod money;
pub mod page;
pub mod progress;
pub mod render;
pub mod scaffold;
pub mod serve;
pub mod slug;
pub mod synthetic;
pub mod validate;
pub mod write;
