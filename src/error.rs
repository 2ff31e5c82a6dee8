//! Why a build, a check or a rebuild of `serve` did not produce a site.

use std::io;

use crate::diagnostic::Diagnostics;

/// Why a build did not produce a site.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// The records or templates have errors; every one of them is listed.
    #[error("{}", .0.summary())]
    Invalid(Diagnostics),
    /// The command cannot run as asked (e.g. an output folder inside the input).
    #[error("{0}")]
    Usage(String),
    /// Another build is writing the same output right now.
    #[error("{0}")]
    Busy(String),
    /// Reading or writing a file failed.
    #[error("{context}: {source}")]
    Io {
        /// What was being done, naming the file.
        context: String,
        /// What the system said.
        #[source]
        source: io::Error,
    },
}

impl BuildError {
    /// 1 for bad data or templates, 2 for usage and I/O errors.
    pub fn exit_code(&self) -> u8 {
        match self {
            BuildError::Invalid(_) => 1,
            BuildError::Usage(_) | BuildError::Busy(_) | BuildError::Io { .. } => 2,
        }
    }

    /// Turns an I/O error into a `BuildError` that says what was being done.
    pub fn io(context: impl Into<String>) -> impl FnOnce(io::Error) -> BuildError {
        let context = context.into();
        move |source| BuildError::Io { context, source }
    }
}
