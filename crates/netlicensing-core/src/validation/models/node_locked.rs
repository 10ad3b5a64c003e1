//! Node-Locked: the active licenses' `quota` is the number of nodes; the nodes' secrets are stored on the
//! licenses as `nodeSecret0`, `nodeSecret1`, … The request sends `nodeSecret<N>`. With the module's
//! `nodeSecretMode` PREDEFINED (the default) the secret must be one the vendor stored; with CLIENT an unknown
//! secret is stored while the quota has room. Valid when the secret is (now) known. Warning level from the slots
//! in use, as for Floating.

use netlicensing_model::{Property, entity::License, types::NodeSecretMode};

use super::{
    super::{EngineError, LicenseUpdate, ModuleInput, Outcome},
    floating::pool_level,
};

/// Prefix of the stored secrets on a license.
const SECRET: &str = "nodeSecret";

/// Fills a Node-Locked outcome.
pub fn validate(input: &ModuleInput<'_>, outcome: &mut Outcome) -> Result<(), EngineError> {
    let licenses: Vec<&License> = input.active_licenses().collect();
    let quota = |l: &License| i64::from(l.quota.or_else(|| input.template_of(l).and_then(|t| t.quota)).unwrap_or(0));
    let secrets = |l: &License| -> Vec<(u32, String)> {
        l.custom
            .iter()
            .filter_map(|p| Some((p.name.strip_prefix(SECRET)?.parse().ok()?, p.value.clone())))
            .filter(|(_, v): &(u32, String)| !v.is_empty())
            .collect()
    };
    let total: i64 = licenses.iter().map(|l| quota(l)).sum();
    let mut used: i64 = licenses.iter().map(|l| secrets(l).len() as i64).sum();
    let secret = input.params.and_then(|p| p.get("nodeSecret")).filter(|s| !s.is_empty());
    let known = secret.is_some_and(|s| licenses.iter().any(|l| secrets(l).iter().any(|(_, v)| v == s)));
    let mut valid = known;
    if let (Some(secret), false) = (secret, known)
        && input.module.node_secret_mode == Some(NodeSecretMode::Client)
        && let Some(license) = licenses.iter().find(|l| (secrets(l).len() as i64) < quota(l))
    {
        let taken: Vec<u32> = secrets(license).into_iter().map(|(i, _)| i).collect();
        let slot = (0..).find(|i| !taken.contains(i)).unwrap_or(0);
        outcome.updates.push(LicenseUpdate {
            license_number: license.number.clone(),
            property: Property::new(format!("{SECRET}{slot}"), secret),
        });
        used += 1;
        valid = true;
    }
    outcome.result.valid = Some(valid);
    outcome.result.warning_level = Some(pool_level(used, total));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{Fixture, check, check_outcome};

    fn base(mode: &str) -> Fixture {
        Fixture::new("NodeLocked").module(&[("nodeSecretMode", mode)]).template("E", "QUANTITY", &[("quota", "2")])
    }

    #[test]
    fn predefined_secrets_must_match() {
        let stored = || base("PREDEFINED").license_numbered("L1", "E", &[("nodeSecret0", "SecretGivenByVendor")]);
        check(stored().params(&[("nodeSecret", "SecretGivenByVendor")]), "valid=true warningLevel=GREEN");
        check(stored().params(&[("nodeSecret", "other")]), "valid=false warningLevel=GREEN");
        check(stored(), "valid=false warningLevel=GREEN");
    }

    #[test]
    fn client_secrets_are_stored_while_the_quota_allows() {
        let one = || base("CLIENT").license_numbered("L1", "E", &[("nodeSecret0", "A")]);
        let out = check_outcome(one().params(&[("nodeSecret", "B")]), "valid=true warningLevel=YELLOW");
        assert_eq!(
            (out.updates[0].property.name.as_str(), out.updates[0].property.value.as_str()),
            ("nodeSecret1", "B")
        );
        let full = || base("CLIENT").license_numbered("L1", "E", &[("nodeSecret0", "A"), ("nodeSecret1", "B")]);
        let out = check_outcome(full().params(&[("nodeSecret", "C")]), "valid=false warningLevel=YELLOW");
        assert!(out.updates.is_empty());
        check(full().params(&[("nodeSecret", "B")]), "valid=true warningLevel=YELLOW");
    }
}
