//! The console's sessions in the database (`web_session`), so that every replica knows every session.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use netlicensing_core::{RepoError, VendorId};
use netlicensing_web::{SessionRow, SessionStore};
use sea_orm::{ActiveValue::Set, ColumnTrait, Condition, EntityTrait, QueryFilter, sea_query::Expr};

use super::{entity::web_session, errors::failure, store::SqlStore};

fn row_of(model: web_session::Model) -> SessionRow {
    SessionRow {
        key: model.key,
        vendor: VendorId(model.vendor_id),
        vendor_number: model.vendor_number,
        login: model.login,
        csrf: model.csrf,
        created: model.created_at,
        seen: model.seen_at,
    }
}

#[async_trait]
impl SessionStore for SqlStore {
    async fn insert(&self, row: &SessionRow) -> Result<(), RepoError> {
        let model = web_session::ActiveModel {
            key: Set(row.key.clone()),
            vendor_id: Set(row.vendor.0),
            vendor_number: Set(row.vendor_number.clone()),
            login: Set(row.login.clone()),
            csrf: Set(row.csrf.clone()),
            created_at: Set(row.created),
            seen_at: Set(row.seen),
        };
        web_session::Entity::insert(model).exec(self.connection()).await.map_err(failure)?;
        Ok(())
    }

    async fn get(&self, key: &str) -> Result<Option<SessionRow>, RepoError> {
        let found = web_session::Entity::find_by_id(key.to_owned()).one(self.connection()).await.map_err(failure)?;
        Ok(found.map(row_of))
    }

    async fn touch(&self, key: &str, seen: DateTime<Utc>) -> Result<(), RepoError> {
        web_session::Entity::update_many()
            .col_expr(web_session::Column::SeenAt, Expr::value(seen))
            .filter(web_session::Column::Key.eq(key))
            .exec(self.connection())
            .await
            .map_err(failure)?;
        Ok(())
    }

    async fn remove(&self, key: &str) -> Result<(), RepoError> {
        web_session::Entity::delete_by_id(key.to_owned()).exec(self.connection()).await.map_err(failure)?;
        Ok(())
    }

    async fn remove_vendor(&self, vendor: VendorId) -> Result<(), RepoError> {
        web_session::Entity::delete_many()
            .filter(web_session::Column::VendorId.eq(vendor.0))
            .exec(self.connection())
            .await
            .map_err(failure)?;
        Ok(())
    }

    async fn purge(&self, idle_before: DateTime<Utc>, created_before: DateTime<Utc>) -> Result<u64, RepoError> {
        let expired = Condition::any()
            .add(web_session::Column::SeenAt.lt(idle_before))
            .add(web_session::Column::CreatedAt.lt(created_before));
        let deleted =
            web_session::Entity::delete_many().filter(expired).exec(self.connection()).await.map_err(failure)?;
        Ok(deleted.rows_affected)
    }
}
