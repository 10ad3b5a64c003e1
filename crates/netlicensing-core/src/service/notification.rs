//! Notifications: webhook subscriptions to events, their signing secrets and delivery logs.

use std::sync::Arc;

use async_trait::async_trait;
use base64::Engine as _;
use netlicensing_model::{
    Property,
    codec::Form,
    entity::{Notification, NotificationDelivery},
    types::NotificationProtocol,
};

use super::{Core, CreateSpec, Resource, find};
use crate::{
    caller::Caller,
    error::{CoreError, CoreResult},
    record::Kind,
    repo::Delivery,
};

/// The property keeping a notification's signing secret: stored, shown only in the answer that created it.
pub const SECRET: &str = "signingSecret";

/// A policy for webhook endpoints beyond their syntax (the server's: HTTPS, no private addresses), checked
/// when a notification is created or updated and again before every delivery.
#[async_trait]
pub trait EndpointCheck: Send + Sync {
    /// Why the endpoint is refused, if it is.
    async fn refuse(&self, url: &str) -> Option<String>;
}

impl Core {
    /// Creates a notification: `name`, `events` and `protocol` are required; a webhook needs a valid URL that
    /// the endpoint policy accepts. The answer carries the new signing secret (`signingSecret`), the only time
    /// it is shown.
    pub async fn create_notification(&self, caller: &Caller, form: &Form) -> CoreResult<Notification> {
        caller.require(Notification::WRITE)?;
        self.check_endpoint(form.get("endpoint")).await?;
        let secret = new_secret()?;
        let spec = CreateSpec { parent: None, required: &[], defaults: &[], skip: &[SECRET] };
        let given = secret.clone();
        let mut created = self
            .create_with(caller, form, spec, move |notification: &mut Notification, _, _| {
                notification.custom.retain(|p| p.name != SECRET);
                notification.custom.push(Property::new(SECRET, given));
                check(notification)
            })
            .await?;
        created.custom.push(Property::new(SECRET, secret));
        Ok(created)
    }

    /// Updates a notification; the same rules hold for the result (its secret stays).
    pub async fn update_notification(&self, caller: &Caller, number: &str, form: &Form) -> CoreResult<Notification> {
        caller.require(Notification::WRITE)?;
        self.check_endpoint(form.get("endpoint")).await?;
        self.update_with(caller, number, form, &[SECRET], |notification: &mut Notification, _| check(notification))
            .await
    }

    /// The delivery log of a notification: its latest events, newest first.
    pub async fn notification_deliveries(
        &self,
        caller: &Caller,
        number: &str,
    ) -> CoreResult<Vec<NotificationDelivery>> {
        caller.require(Notification::READ)?;
        let mut tx = self.store().read().await?;
        let notification = find(tx.as_mut(), caller, Kind::Notification, number).await?;
        drop(tx);
        let log = self.store().deliveries(caller.vendor, notification.id).await?;
        Ok(log.into_iter().map(shown).collect())
    }

    /// Queues a failed event of a notification again.
    pub async fn resend_delivery(&self, caller: &Caller, number: &str, event_id: &str) -> CoreResult<()> {
        caller.require(Notification::WRITE)?;
        if event_id.is_empty() {
            return Err(CoreError::Malformed("Parameter 'eventId' is required".into()));
        }
        let mut tx = self.store().read().await?;
        let notification = find(tx.as_mut(), caller, Kind::Notification, number).await?;
        drop(tx);
        if self.store().resend(caller.vendor, notification.id, event_id).await? {
            Ok(())
        } else {
            Err(CoreError::not_found("failed event"))
        }
    }

    async fn check_endpoint(&self, endpoint: Option<&str>) -> CoreResult<()> {
        match (&self.endpoints, endpoint) {
            (Some(policy), Some(url)) if valid_url(url) => match policy.refuse(url).await {
                Some(reason) => Err(CoreError::Validation(format!("Notification endpoint refused: {reason}"))),
                None => Ok(()),
            },
            _ => Ok(()),
        }
    }

    /// The endpoint policy, if one is set.
    pub fn endpoint_check(&self) -> Option<&Arc<dyn EndpointCheck>> {
        self.endpoints.as_ref()
    }
}

/// A delivery as the API shows it.
fn shown(delivery: Delivery) -> NotificationDelivery {
    NotificationDelivery {
        event_id: delivery.event_id,
        event: delivery.event,
        status: delivery.status.as_str().to_owned(),
        attempts: delivery.attempts,
        created: Some(delivery.created),
        next_attempt: delivery.next_attempt,
        last_attempt: delivery.last_attempt,
        last_error: delivery.last_error,
    }
}

/// A new signing secret: `whsec_` and 32 random bytes in base64.
fn new_secret() -> CoreResult<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(CoreError::Random)?;
    Ok(format!("whsec_{}", base64::engine::general_purpose::STANDARD.encode(bytes)))
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
