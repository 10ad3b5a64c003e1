//! The `filter` query parameter of list calls: `key1=value1;key2=value2`, paging included.

use std::fmt;

/// Conditions and paging of a list call, sent as `filter=key1=value1;key2=value2`.
///
/// Keys are matched exactly against standard or custom properties (`productNumber`, `licenseeNumber`,
/// `tokenType`, `active` ...); `page` (zero-based) and `items` (page size) select a page. The format has no
/// escaping, so keys and values cannot contain `;` or `=`.
///
/// ```
/// use netlicensing_client::Filter;
///
/// let filter = Filter::new().with("productNumber", "P1").page(2).items(50);
/// assert_eq!(filter.to_string(), "productNumber=P1;page=2;items=50");
/// assert_eq!(Filter::parse("a=1;b=2").get("b"), Some("2"));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pairs: Vec<(String, String)>,
}

impl Filter {
    /// No condition: the first page of everything.
    pub const fn new() -> Self {
        Self { pairs: Vec::new() }
    }

    /// Reads `key1=value1;key2=value2` (empty parts are skipped, a part without `=` is a key with no value).
    pub fn parse(text: &str) -> Self {
        let pairs = text
            .split(';')
            .map(str::trim)
            .filter(|part| !part.is_empty())
            .map(|part| match part.split_once('=') {
                Some((key, value)) => (key.to_owned(), value.to_owned()),
                None => (part.to_owned(), String::new()),
            })
            .collect();
        Self { pairs }
    }

    /// Adds or replaces a condition.
    pub fn with(mut self, key: impl Into<String>, value: impl ToString) -> Self {
        self.set(key, value);
        self
    }

    /// Adds or replaces a condition in place.
    pub fn set(&mut self, key: impl Into<String>, value: impl ToString) -> &mut Self {
        let key = key.into();
        let value = value.to_string();
        match self.pairs.iter_mut().find(|(k, _)| *k == key) {
            Some(pair) => pair.1 = value,
            None => self.pairs.push((key, value)),
        }
        self
    }

    /// Selects the zero-based page.
    pub fn page(self, page: u64) -> Self {
        self.with("page", page)
    }

    /// Sets the page size.
    pub fn items(self, items: u64) -> Self {
        self.with("items", items)
    }

    /// The value of a condition.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }

    /// The conditions, in order.
    pub fn pairs(&self) -> impl Iterator<Item = (&str, &str)> {
        self.pairs.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// True when there is no condition.
    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }
}

impl fmt::Display for Filter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (n, (key, value)) in self.pairs.iter().enumerate() {
            if n > 0 {
                f.write_str(";")?;
            }
            write!(f, "{key}={value}")?;
        }
        Ok(())
    }
}

impl<K: Into<String>, V: ToString> FromIterator<(K, V)> for Filter {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        let mut filter = Filter::new();
        for (key, value) in iter {
            filter.set(key, value);
        }
        filter
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conditions_replace_and_keep_order() {
        let filter = Filter::new().with("a", 1).with("b", true).with("a", "x");
        assert_eq!(filter.to_string(), "a=x;b=true");
        assert_eq!(Filter::parse(" a=1;;b ;c=d=e").to_string(), "a=1;b=;c=d=e");
        assert!(Filter::new().is_empty() && Filter::new().to_string().is_empty());
        let collected: Filter = [("licenseeNumber", "I1")].into_iter().collect();
        assert_eq!(collected.pairs().collect::<Vec<_>>(), [("licenseeNumber", "I1")]);
    }
}
