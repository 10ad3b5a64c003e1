//! Reading request parameters: typed values with errors naming the parameter, and merging a form into an
//! entity for create and update.

use netlicensing_model::{Item, Property, codec::Form, entity::Entity, types::WireValue};

use crate::error::{CoreError, CoreResult};

/// Limits on what one request may store.
pub const MAX_PROPERTIES: usize = 100;
/// Longest property value accepted.
pub const MAX_VALUE_LEN: usize = 10_000;
/// Longest property name accepted.
pub const MAX_NAME_LEN: usize = 255;
/// Longest entity number accepted (licensee numbers may be up to 1000 characters).
pub const MAX_NUMBER_LEN: usize = 1000;

/// The parameters of one request.
pub struct Input<'a> {
    form: &'a Form,
}

impl<'a> Input<'a> {
    /// Wraps a form.
    pub fn new(form: &'a Form) -> Self {
        Self { form }
    }

    /// A text parameter; an empty value counts as not given.
    pub fn text(&self, name: &str) -> Option<&'a str> {
        self.form.get(name).filter(|v| !v.is_empty())
    }

    /// A text parameter under any of its spellings.
    pub fn text_any(&self, names: &[&str]) -> Option<&'a str> {
        names.iter().find_map(|name| self.text(name))
    }

    /// A text parameter that must be given, else a `MalformedRequestException` with the service's message.
    pub fn required(&self, name: &str, message: &str) -> CoreResult<&'a str> {
        self.text(name).ok_or_else(|| CoreError::Malformed(message.to_owned()))
    }

    /// A typed parameter; an empty value counts as not given.
    pub fn value<T: WireValue>(&self, name: &str) -> CoreResult<Option<T>> {
        match self.text(name) {
            None => Ok(None),
            Some(text) => Ok(Some(T::parse_property(name, text)?)),
        }
    }

    /// A boolean flag that is false when absent.
    pub fn flag(&self, name: &str) -> CoreResult<bool> {
        Ok(self.value(name)?.unwrap_or(false))
    }

    /// True when the parameter is present, even empty.
    pub fn contains(&self, name: &str) -> bool {
        self.form.contains(name)
    }

    /// The underlying form.
    pub fn form(&self) -> &'a Form {
        self.form
    }
}

/// Parameters clients send that never become properties: the Java client's context adds `vendorNumber` to its
/// requests, but the credentials alone select the vendor.
const IGNORED: &[&str] = &["vendorNumber"];

/// Merges request parameters into an entity's item and reads the entity back, which checks every value.
///
/// - names in `skip` (relations, read-only and specially handled parameters) and `vendorNumber` are left alone;
/// - an empty value leaves a standard property as it is and deletes a custom one;
/// - any other value replaces the property of that name, or is appended as a new property.
pub fn merge_form<E: Entity>(mut item: Item, form: &Form, skip: &[&str]) -> CoreResult<E> {
    for (name, value) in form.pairs() {
        if skip.contains(&name) || E::READ_ONLY.contains(&name) || IGNORED.contains(&name) {
            continue;
        }
        check_size(name, value)?;
        let standard = E::STANDARD.contains(&name);
        let existing = item.properties.iter().position(|p| p.name == name);
        match (value.is_empty(), existing) {
            (true, Some(i)) if !standard => {
                item.properties.remove(i);
            }
            (true, _) => {}
            (false, Some(i)) => item.properties[i].value = value.to_owned(),
            (false, None) => item.properties.push(Property::new(name, value)),
        }
    }
    if item.properties.len() > MAX_PROPERTIES {
        return Err(CoreError::Malformed(format!("An entity may have at most {MAX_PROPERTIES} properties")));
    }
    Ok(E::from_item(item)?)
}

fn check_size(name: &str, value: &str) -> CoreResult<()> {
    if name.is_empty() || name.len() > MAX_NAME_LEN {
        return Err(CoreError::Malformed(format!("Property names must have 1 to {MAX_NAME_LEN} characters")));
    }
    if value.len() > MAX_VALUE_LEN {
        return Err(CoreError::Malformed(format!("Property '{name}' is longer than {MAX_VALUE_LEN} characters")));
    }
    Ok(())
}

/// An item holding only number and active, the base an entity is created from.
pub fn base_item(ty: &str, number: &str, active: bool) -> Item {
    let mut item = Item::new(ty);
    item.push("number", number);
    item.push("active", active.to_wire());
    item
}

/// Checks a vendor-given entity number.
pub fn check_number(number: &str) -> CoreResult<()> {
    if number.len() > MAX_NUMBER_LEN || number.chars().any(char::is_control) {
        return Err(CoreError::Malformed(format!(
            "Numbers have at most {MAX_NUMBER_LEN} characters and no control characters"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use netlicensing_model::entity::Licensee;

    use super::*;

    #[test]
    fn merge_sets_appends_deletes_and_validates() {
        let mut item = base_item("Licensee", "I1", true);
        item.push("name", "Old");
        item.push("crm", "1");
        let form = Form::parse("name=New&crm=&extra=x&inUse=true&markedForTransfer=true&productNumber=P9");
        let licensee: Licensee = merge_form(item.clone(), &form, &["productNumber"]).unwrap();
        assert_eq!(licensee.name.as_deref(), Some("New"));
        assert_eq!(licensee.marked_for_transfer, Some(true));
        assert_eq!(licensee.in_use, None);
        assert_eq!(licensee.product_number, None);
        assert_eq!(licensee.custom, [Property::new("extra", "x")]);

        let keep: Licensee = merge_form(item.clone(), &Form::parse("name="), &[]).unwrap();
        assert_eq!(keep.name.as_deref(), Some("Old"));
        let err = merge_form::<Licensee>(item, &Form::parse("markedForTransfer=perhaps"), &[]).unwrap_err();
        assert_eq!(err.error_id(), netlicensing_model::info::ErrorId::MalformedRequest);
    }
}
