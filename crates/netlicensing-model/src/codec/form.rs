//! Form-encoded parameters (`application/x-www-form-urlencoded` bodies and query strings).
//!
//! Keys may repeat (`discount=100;EUR;10&discount=10;EUR;9%`) and order is kept. Decoding is
//! `form_urlencoded`'s: `+` is a space, and a `%` that starts no valid escape stays as it is (the documentation
//! sends `9%` raw).

/// An ordered list of form parameters; keys may repeat.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Form {
    pairs: Vec<(String, String)>,
}

impl Form {
    /// An empty form.
    pub fn new() -> Self {
        Self::default()
    }

    /// Reads a form-encoded body or query string.
    pub fn parse(encoded: &str) -> Self {
        Self::parse_bytes(encoded.as_bytes())
    }

    /// Reads form-encoded bytes (invalid UTF-8 becomes U+FFFD).
    pub fn parse_bytes(encoded: &[u8]) -> Self {
        Self { pairs: form_urlencoded::parse(encoded).map(|(k, v)| (k.into_owned(), v.into_owned())).collect() }
    }

    /// Writes the form encoded, pairs in order.
    pub fn encode(&self) -> String {
        let mut out = form_urlencoded::Serializer::new(String::new());
        for (key, value) in &self.pairs {
            out.append_pair(key, value);
        }
        out.finish()
    }

    /// Appends a pair (a repeated key adds another value).
    pub fn push(&mut self, key: impl Into<String>, value: impl Into<String>) -> &mut Self {
        self.pairs.push((key.into(), value.into()));
        self
    }

    /// Appends a pair when the value is present.
    pub fn push_opt(&mut self, key: &str, value: Option<impl Into<String>>) -> &mut Self {
        if let Some(value) = value {
            self.push(key, value);
        }
        self
    }

    /// Appends every pair of another form.
    pub fn extend(&mut self, other: Form) -> &mut Self {
        self.pairs.extend(other.pairs);
        self
    }

    /// Removes every pair with that key and returns their values.
    pub fn remove(&mut self, key: &str) -> Vec<String> {
        let mut removed = Vec::new();
        self.pairs.retain_mut(|(k, v)| {
            if k == key {
                removed.push(std::mem::take(v));
                false
            } else {
                true
            }
        });
        removed
    }

    /// The first value of a key.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }

    /// The first value of the first key present among several spellings (`parentFeature`, `parentfeature`).
    pub fn get_any(&self, keys: &[&str]) -> Option<&str> {
        keys.iter().find_map(|key| self.get(key))
    }

    /// Every value of a key, in order.
    pub fn get_all<'a>(&'a self, key: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.pairs.iter().filter(move |(k, _)| k == key).map(|(_, v)| v.as_str())
    }

    /// True when the key is present (even with an empty value).
    pub fn contains(&self, key: &str) -> bool {
        self.pairs.iter().any(|(k, _)| k == key)
    }

    /// Every pair, in order.
    pub fn pairs(&self) -> impl Iterator<Item = (&str, &str)> {
        self.pairs.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// Number of pairs.
    pub fn len(&self) -> usize {
        self.pairs.len()
    }

    /// True when the form has no pairs.
    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }

    /// The pairs whose key is `prefix` followed by an index (`productModuleNumber0`, or with `_` before the index
    /// as in `licenseTemplateNumber_1`), as (index, value) sorted by index. Indexes above `max_index` and keys
    /// whose suffix is not a plain decimal number are left out.
    pub fn indexed<'a>(&'a self, prefix: &str, max_index: u32) -> Vec<(u32, &'a str)> {
        let mut out: Vec<(u32, &str)> = self
            .pairs
            .iter()
            .filter_map(|(key, value)| {
                let index = split_index(key)?;
                (index.0 == prefix && index.1 <= max_index).then_some((index.1, value.as_str()))
            })
            .collect();
        out.sort_by_key(|(index, _)| *index);
        out
    }

    /// The pairs whose key is not among `reserved` and is not `reserved` + index: the custom properties of a
    /// request, in order, with empty values kept (an empty value deletes a property on update).
    pub fn custom<'a>(&'a self, reserved: &'a [&'a str]) -> impl Iterator<Item = (&'a str, &'a str)> + 'a {
        self.pairs().filter(move |(key, _)| !reserved.contains(key))
    }
}

/// Splits `name12` or `name_12` into (`name`, 12). `None` when the key has no decimal suffix or the number is
/// out of range.
pub fn split_index(key: &str) -> Option<(&str, u32)> {
    let digits_at = key.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    if digits_at == key.len() || digits_at == 0 {
        return None;
    }
    let digits = &key[digits_at..];
    if digits.len() > 1 && digits.starts_with('0') {
        return None;
    }
    let index: u32 = digits.parse().ok()?;
    let name = &key[..digits_at];
    let name = name.strip_suffix('_').filter(|n| !n.is_empty()).unwrap_or(name);
    Some((name, index))
}

impl<K: Into<String>, V: Into<String>> FromIterator<(K, V)> for Form {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        Self { pairs: iter.into_iter().map(|(k, v)| (k.into(), v.into())).collect() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_keys_keep_order_and_raw_percent_survives() {
        let form = Form::parse("name=Product+6QP3NKHO&discount=100;EUR;10&discount=10%3BEUR%3B9%25&discount=1;EUR;9%");
        assert_eq!(form.get("name"), Some("Product 6QP3NKHO"));
        assert_eq!(form.get_all("discount").collect::<Vec<_>>(), ["100;EUR;10", "10;EUR;9%", "1;EUR;9%"]);
    }

    #[test]
    fn encode_round_trips() {
        let mut form = Form::new();
        form.push("a b", "x&y=z").push("d", "9%").push("d", "ü €");
        assert_eq!(Form::parse(&form.encode()), form);
    }

    #[test]
    fn indexed_keys_with_and_without_underscore() {
        let form = Form::parse(
            "productModuleNumber1=M2&productModuleNumber0=M1&sessionId0=s&licenseTemplateNumber_2=E2\
             &productModuleNumber4294967295=X&productModuleNumber01=Y&productModuleNumber=Z",
        );
        assert_eq!(form.indexed("productModuleNumber", 1000), [(0, "M1"), (1, "M2")]);
        assert_eq!(form.indexed("licenseTemplateNumber", 1000), [(2, "E2")]);
        assert_eq!(split_index("nodeSecret12"), Some(("nodeSecret", 12)));
        assert_eq!(split_index("sessionId_3"), Some(("sessionId", 3)));
        assert_eq!(split_index("x99999999999"), None);
        assert_eq!(split_index("42"), None);
    }

    #[test]
    fn custom_properties_pass_through() {
        let form = Form::parse("number=P1&name=N&crmId=7&crmId2=");
        let custom: Vec<_> = form.custom(&["number", "name"]).collect();
        assert_eq!(custom, [("crmId", "7"), ("crmId2", "")]);
    }
}
