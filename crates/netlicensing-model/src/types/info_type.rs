//! The type of an `info`: lower case in XML, upper case in JSON.

/// Severity of an info entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InfoType {
    /// The request failed.
    Error,
    /// The request succeeded with a caveat.
    Warning,
    /// A note.
    Info,
}

impl InfoType {
    /// XML spelling: `error`, `warning`, `info`.
    pub fn xml(self) -> &'static str {
        match self {
            Self::Error => "error",
            Self::Warning => "warning",
            Self::Info => "info",
        }
    }

    /// JSON spelling: `ERROR`, `WARNING`, `INFO`.
    pub fn json(self) -> &'static str {
        match self {
            Self::Error => "ERROR",
            Self::Warning => "WARNING",
            Self::Info => "INFO",
        }
    }

    /// Reads either spelling, ignoring ASCII case.
    pub fn parse(text: &str) -> Option<Self> {
        [Self::Error, Self::Warning, Self::Info].into_iter().find(|t| t.xml().eq_ignore_ascii_case(text))
    }
}
