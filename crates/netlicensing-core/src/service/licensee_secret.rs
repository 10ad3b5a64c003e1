//! The deprecated licensee secret (wiki `restful-api/licensee-secret.md`): a product's (or a module's own)
//! `licenseeSecretMode` decides whether the `licenseeSecret` validate parameter must match the licensee's
//! `licenseeSecret`. `DISABLED` ignores it; `PREDEFINED` needs the stored secret to match; `CLIENT` stores the first
//! secret sent and then works as `PREDEFINED`. A mismatch answers the full validation with every module it
//! concerns `valid=false`, no consumption, and the error info `licenseeSecretMismatch`.

use netlicensing_model::{
    Info,
    entity::{ProductModule, ProductModuleValidation},
    types::{InfoType, LicenseeSecretMode},
};

/// The error info of a mismatch.
pub(crate) fn mismatch_info() -> Info {
    Info::new(InfoType::Error, "licenseeSecretMismatch", "Licensee secret mismatch")
}

/// The mode that applies to a module: its own when set, otherwise its product's (none means `DISABLED`).
pub(crate) fn mode_of(product: Option<LicenseeSecretMode>, module: &ProductModule) -> LicenseeSecretMode {
    module.licensee_secret_mode.or(product).unwrap_or(LicenseeSecretMode::Disabled)
}

/// Whether validation of a module in that mode may go on, given the licensee's stored secret and the one sent.
/// In `CLIENT` mode with nothing stored yet, the secret sent is the one the licensee is bound to.
pub(crate) fn matches(mode: LicenseeSecretMode, stored: Option<&str>, given: Option<&str>) -> bool {
    match (mode, stored, given) {
        (LicenseeSecretMode::Disabled, _, _) => true,
        (_, Some(stored), Some(given)) => stored == given,
        (LicenseeSecretMode::Client, None, Some(_)) => true,
        _ => false,
    }
}

/// The secret a validation binds the licensee to: in `CLIENT` mode, nothing stored yet, a secret sent.
pub(crate) fn to_bind<'a>(
    modes: impl IntoIterator<Item = LicenseeSecretMode>,
    stored: Option<&str>,
    given: Option<&'a str>,
) -> Option<&'a str> {
    let client = modes.into_iter().any(|mode| mode == LicenseeSecretMode::Client);
    given.filter(|_| client && stored.is_none())
}

/// Marks a module's result invalid (and every feature or SKU in it).
pub(crate) fn invalidate(result: &mut ProductModuleValidation) {
    result.valid = Some(false);
    for list in &mut result.lists {
        for property in list.properties.iter_mut().filter(|p| p.name == "valid") {
            property.value = "false".into();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use LicenseeSecretMode::{Client, Disabled, Predefined};

    #[test]
    fn modes_decide_what_matches() {
        let cases = [
            (Disabled, None, Some("x"), true),
            (Disabled, Some("s"), Some("WRONG"), true),
            (Predefined, Some("s"), Some("s"), true),
            (Predefined, Some("s"), Some("WRONG"), false),
            (Predefined, Some("s"), None, false),
            (Predefined, None, Some("s"), false),
            (Client, None, Some("s"), true),
            (Client, None, None, false),
            (Client, Some("s"), Some("s"), true),
            (Client, Some("s"), Some("t"), false),
        ];
        for (mode, stored, given, expected) in cases {
            assert_eq!(matches(mode, stored, given), expected, "{mode:?} {stored:?} {given:?}");
        }
        assert_eq!(to_bind([Predefined, Client], None, Some("s")), Some("s"));
        assert_eq!(to_bind([Predefined], None, Some("s")), None);
        assert_eq!(to_bind([Client], Some("t"), Some("s")), None);
    }

    #[test]
    fn a_module_mode_wins_over_its_product() {
        let module = ProductModule { licensee_secret_mode: Some(Disabled), ..ProductModule::default() };
        assert_eq!(mode_of(Some(Predefined), &module), Disabled);
        assert_eq!(mode_of(Some(Client), &ProductModule::default()), Client);
        assert_eq!(mode_of(None, &ProductModule::default()), Disabled);
    }
}
