//! `web_session`: the web console's sessions (see `netlicensing_web::session`).

use sea_orm::entity::prelude::*;

/// A signed-in browser.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "web_session")]
pub struct Model {
    /// The hash of the cookie's id (hex).
    #[sea_orm(primary_key, auto_increment = false)]
    pub key: String,
    /// The vendor signed in.
    pub vendor_id: i64,
    /// That vendor's number.
    pub vendor_number: String,
    /// The login signed in with.
    pub login: String,
    /// The session's CSRF token.
    pub csrf: String,
    /// When the session began.
    pub created_at: DateTimeUtc,
    /// When it was last used.
    pub seen_at: DateTimeUtc,
}

/// Sessions belong to a vendor (the foreign key cascades).
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
