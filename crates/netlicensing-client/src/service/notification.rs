//! `notification`: list, get, create, update, delete.

use netlicensing_model::entity::Notification;

use crate::{Context, Filter, Page, Result};

const PATH: &str = "notification";

/// Notifications: webhook subscriptions to events.
#[derive(Debug, Clone, Copy)]
pub struct NotificationService<'a> {
    context: &'a Context,
}

impl<'a> NotificationService<'a> {
    /// The service over a context.
    pub fn new(context: &'a Context) -> Self {
        Self { context }
    }

    /// One page of notifications matching the filter.
    pub async fn list(self, filter: &Filter) -> Result<Page<Notification>> {
        super::list(self.context, PATH, filter).await
    }

    /// The notification with that number.
    pub async fn get(self, number: &str) -> Result<Notification> {
        super::get(self.context, PATH, number).await
    }

    /// Creates a notification.
    pub async fn create(self, notification: &Notification) -> Result<Notification> {
        super::create(self.context, PATH, &super::entity_form(notification)).await
    }

    /// Updates the notification `number` with the given properties.
    pub async fn update(self, number: &str, notification: &Notification) -> Result<Notification> {
        super::update(self.context, PATH, number, &super::entity_form(notification)).await
    }

    /// Deletes the notification.
    pub async fn delete(self, number: &str) -> Result<()> {
        super::delete(self.context, PATH, number, None).await
    }
}
