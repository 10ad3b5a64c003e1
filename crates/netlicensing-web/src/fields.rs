//! Forms: the fields a page asks for (named as the API's parameters, so a form goes to core unchanged), the
//! values entered, and core's errors placed beside the field they are about.

use std::borrow::Cow;

use netlicensing_model::codec::Form;

/// How a field is entered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// One line of text.
    Text,
    /// A whole number.
    Number,
    /// A secret, never shown again.
    Password,
    /// Several lines of text.
    TextArea,
    /// A yes/no box; always sent (`true` or `false`), so that unticking it on an edit takes effect.
    Checkbox,
    /// One of a list: (value, label).
    Select(Vec<(String, String)>),
    /// Any of a list: (value, label), one checkbox each; sent as one comma-separated value.
    Many(Vec<(String, String)>),
}

/// A field of a form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// The API parameter it sets.
    pub name: &'static str,
    /// What the label says.
    pub label: &'static str,
    /// How it is entered.
    pub input: Input,
    /// What the rules are (shown under the field), if anything needs saying.
    pub help: Cow<'static, str>,
}

impl Field {
    /// A text field.
    pub fn text(name: &'static str, label: &'static str) -> Self {
        Self { name, label, input: Input::Text, help: Cow::Borrowed("") }
    }

    /// The same field with another input.
    pub fn input(mut self, input: Input) -> Self {
        self.input = input;
        self
    }

    /// The same field with help text.
    pub fn help(mut self, help: impl Into<Cow<'static, str>>) -> Self {
        self.help = help.into();
        self
    }

    /// Whether it is a checkbox.
    pub fn is_checkbox(&self) -> bool {
        self.input == Input::Checkbox
    }

    /// Whether it is a text area.
    pub fn is_textarea(&self) -> bool {
        self.input == Input::TextArea
    }

    /// The `type` of its `input` element.
    pub fn input_type(&self) -> &'static str {
        if self.input == Input::Password { "password" } else { "text" }
    }

    /// Whether it is a number.
    pub fn is_number(&self) -> bool {
        self.input == Input::Number
    }

    /// The choices of a select (none for other inputs).
    pub fn choices(&self) -> &[(String, String)] {
        match &self.input {
            Input::Select(choices) | Input::Many(choices) => choices,
            _ => &[],
        }
    }

    /// Whether it is a set of checkboxes ([`Input::Many`]).
    pub fn is_many(&self) -> bool {
        matches!(self.input, Input::Many(_))
    }

    /// The id of its element (`f-` and the name).
    pub fn id(&self) -> String {
        format!("f-{}", self.name)
    }
}

/// The values of a form and its errors: a field's error beside it, others above the form.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FormState {
    values: Vec<(String, String)>,
    errors: Vec<(String, String)>,
    /// An error no field is named in.
    pub general: Option<String>,
}

impl FormState {
    /// Values as given.
    pub fn with(values: impl IntoIterator<Item = (impl Into<String>, impl Into<String>)>) -> Self {
        Self { values: values.into_iter().map(|(k, v)| (k.into(), v.into())).collect(), ..Self::default() }
    }

    /// The value of a field (empty when none).
    pub fn value(&self, name: &str) -> &str {
        self.values.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str())
    }

    /// Whether a checkbox is ticked.
    pub fn checked(&self, name: &str) -> bool {
        self.value(name).eq_ignore_ascii_case("true")
    }

    /// Whether a choice of a set of checkboxes is ticked (the value is among the comma-separated ones).
    pub fn picked(&self, name: &str, choice: &str) -> bool {
        self.value(name).split(',').any(|v| v.trim() == choice)
    }

    /// The error shown beside a field.
    pub fn error(&self, name: &str) -> Option<&str> {
        self.errors.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// Whether any error is shown.
    pub fn failed(&self) -> bool {
        self.general.is_some() || !self.errors.is_empty()
    }

    /// Places an error beside the field it names, else above the form.
    pub fn fail(&mut self, message: &str, fields: &[Field]) {
        match field_named(message, fields) {
            Some(name) => self.errors.push((name.to_owned(), message.to_owned())),
            None => self.general = Some(message.to_owned()),
        }
    }

    /// The form of the fields as posted: checkboxes `true` or `false`, other fields as given. Blank ones are
    /// left out on create (`blanks` false: core applies its defaults) and sent on update (clearing the value),
    /// except a blank `number`, which keeps the number.
    pub fn posted(form: &Form, fields: &[Field], blanks: bool) -> (Self, Form) {
        let mut values = Vec::new();
        let mut out = Form::new();
        for field in fields {
            let given = form.get(field.name).unwrap_or_default().trim();
            let many: String;
            let value = if field.is_checkbox() {
                if given.is_empty() { "false" } else { "true" }
            } else if field.is_many() {
                many = form.get_all(field.name).map(str::trim).filter(|v| !v.is_empty()).collect::<Vec<_>>().join(",");
                many.as_str()
            } else {
                given
            };
            values.push((field.name.to_owned(), value.to_owned()));
            if !value.is_empty() || (blanks && field.name != "number") {
                out.push(field.name, value);
            }
        }
        (Self { values, ..Self::default() }, out)
    }
}

/// The field an error message is about: the one whose name in quotes (`'name'`), label or spelled-out name
/// (`productNumber` → "product number") the message contains, the mention ending last (then the longest) winning.
pub fn field_named<'a>(message: &str, fields: &'a [Field]) -> Option<&'a str> {
    let message = message.to_lowercase();
    // Ranked by where the mention ends, then by its length: in "Product name is required" the field is the
    // name (the product is the entity), in "Product number is not provided" the longer "product number".
    let mut best: Option<((usize, usize), &str)> = None;
    for field in fields {
        let keys = [format!("'{}'", field.name.to_lowercase()), field.label.to_lowercase(), spelled(field.name)];
        for key in keys.iter().filter(|key| !key.is_empty()) {
            let Some(start) = message.rfind(key.as_str()) else { continue };
            let rank = (start + key.len(), key.len());
            if best.is_none_or(|(best_rank, _)| rank > best_rank) {
                best = Some((rank, field.name));
            }
        }
    }
    best.map(|(_, name)| name)
}

/// `productNumber` → `product number`.
fn spelled(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_uppercase() {
            out.push(' ');
        }
        out.extend(c.to_lowercase());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields() -> Vec<Field> {
        vec![
            Field::text("number", "Number"),
            Field::text("name", "Name"),
            Field::text("productNumber", "Product"),
            Field::text("licensingModel", "Licensing model"),
            Field::text("active", "Active").input(Input::Checkbox),
        ]
    }

    #[test]
    fn errors_go_beside_the_field_they_name() {
        let fields = fields();
        assert_eq!(field_named("Product name is required", &fields), Some("name"));
        assert_eq!(field_named("The number 'P1' is already used by another entity", &fields), Some("number"));
        assert_eq!(field_named("Product number is not provided", &fields), Some("productNumber"));
        assert_eq!(field_named("property 'licensingModel' has an invalid value 'x'", &fields), Some("licensingModel"));
        assert_eq!(field_named("Something else entirely", &fields), None);
        let mut state = FormState::default();
        state.fail("Something else entirely", &fields);
        state.fail("Product name is required", &fields);
        assert_eq!(state.general.as_deref(), Some("Something else entirely"));
        assert_eq!(state.error("name"), Some("Product name is required"));
        assert!(state.failed());
    }

    #[test]
    fn posted_forms_send_checkboxes_always_and_blanks_never() {
        let form = Form::parse("number=&name=+Tool+&active=on&csrf=x");
        let (state, out) = FormState::posted(&form, &fields(), false);
        assert_eq!(out.encode(), "name=Tool&active=true");
        assert_eq!(state.value("name"), "Tool");
        assert!(state.checked("active"));
        let (state, out) = FormState::posted(&Form::parse("name=A"), &fields(), true);
        assert_eq!(out.encode(), "name=A&productNumber=&licensingModel=&active=false");
        assert!(!state.checked("active"));
    }

    #[test]
    fn many_checkboxes_are_one_comma_separated_value() {
        let choices = vec![("E1".to_owned(), "One".to_owned()), ("E2".to_owned(), "Two".to_owned())];
        let fields = vec![Field::text("licenseTemplateNumbers", "Templates").input(Input::Many(choices))];
        let form = Form::parse("licenseTemplateNumbers=E1&licenseTemplateNumbers=E2&licenseTemplateNumbers=");
        let (state, out) = FormState::posted(&form, &fields, false);
        assert_eq!(out.encode(), "licenseTemplateNumbers=E1%2CE2");
        assert!(state.picked("licenseTemplateNumbers", "E2") && !state.picked("licenseTemplateNumbers", "E"));
        let (_, out) = FormState::posted(&Form::new(), &fields, true);
        assert_eq!(out.encode(), "licenseTemplateNumbers=");
    }
}
