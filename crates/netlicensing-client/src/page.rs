//! One page of a list answer: the items and the paging attributes.

use netlicensing_model::Paging;

/// The items of one page of a list, with the paging of the whole query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page<T> {
    /// The items of this page, in order.
    pub items: Vec<T>,
    /// Page number, page size and totals (a complete single page when the answer carried none).
    pub paging: Paging,
}

impl<T> Page<T> {
    /// A page of items with its paging.
    pub fn new(items: Vec<T>, paging: Paging) -> Self {
        Self { items, paging }
    }

    /// Zero-based number of this page.
    pub fn page_number(&self) -> u64 {
        self.paging.page_number
    }

    /// Number of pages of the whole query.
    pub fn total_pages(&self) -> u64 {
        self.paging.total_pages
    }

    /// Number of items of the whole query.
    pub fn total_items(&self) -> u64 {
        self.paging.total_items
    }

    /// True when a further page exists.
    pub fn has_next(&self) -> bool {
        self.paging.has_next
    }

    /// Number of items on this page.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// True when this page has no items.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The items of this page.
    pub fn iter(&self) -> std::slice::Iter<'_, T> {
        self.items.iter()
    }

    /// The same page with every item converted.
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page { items: self.items.into_iter().map(f).collect(), paging: self.paging }
    }
}

impl<T> IntoIterator for Page<T> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;

    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

impl<'a, T> IntoIterator for &'a Page<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.items.iter()
    }
}
