//! Notifications: webhook subscriptions to events.

use netlicensing_model::{codec::Form, entity::Notification, types::NotificationProtocol};

use super::{Core, CreateSpec};
use crate::{
    caller::Caller,
    error::{CoreError, CoreResult},
};

impl Core {
    /// Creates a notification: `name`, `events` and `protocol` are required; a webhook needs a valid URL.
    pub async fn create_notification(&self, caller: &Caller, form: &Form) -> CoreResult<Notification> {
        let spec = CreateSpec { parent: None, required: &[], defaults: &[], skip: &[] };
        self.create_with(caller, form, spec, |notification: &mut Notification, _, _| check(notification)).await
    }

    /// Updates a notification; the same rules hold for the result.
    pub async fn update_notification(&self, caller: &Caller, number: &str, form: &Form) -> CoreResult<Notification> {
        self.update_with(caller, number, form, &[], |notification: &mut Notification, _| check(notification)).await
    }
}

fn check(notification: &Notification) -> CoreResult<()> {
    let invalid = |message: &str| Err(CoreError::Validation(message.to_owned()));
    if notification.name.as_deref().is_none_or(str::is_empty) {
        return invalid("Notification name is required.");
    }
    if notification.events.as_ref().is_none_or(Vec::is_empty) {
        return invalid("Notification events are required.");
    }
    match notification.protocol {
        None => invalid("Notification type is required."),
        Some(NotificationProtocol::Webhook) if !notification.endpoint.as_deref().is_some_and(valid_url) => {
            invalid("Notification endpoint must be a valid URL.")
        }
        Some(NotificationProtocol::Webhook) => Ok(()),
    }
}

/// An absolute http(s) URL with a host and no whitespace.
fn valid_url(url: &str) -> bool {
    let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"));
    rest.is_some_and(|rest| {
        let host = rest.split(['/', '?', '#']).next().unwrap_or("");
        let host = host.rsplit('@').next().unwrap_or("");
        !host.is_empty() && !url.chars().any(char::is_whitespace)
    })
}

#[cfg(test)]
mod tests {
    use super::valid_url;

    #[test]
    fn webhook_urls() {
        assert!(valid_url("https://example.com/hook"));
        assert!(valid_url("http://www.test.test"));
        for bad in ["", "ftp://x", "https://", "https:///path", "https://a b", "example.com"] {
            assert!(!valid_url(bad), "{bad}");
        }
    }
}
