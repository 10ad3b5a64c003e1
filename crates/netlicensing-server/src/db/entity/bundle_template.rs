//! `bundle_template`: the license templates of a bundle, in order. The number is kept as the vendor gave it;
//! the link is cleared when the template is deleted (the bundle then reports it as stale).

use sea_orm::entity::prelude::*;

/// One template of a bundle.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "bundle_template")]
pub struct Model {
    /// The bundle.
    #[sea_orm(primary_key, auto_increment = false)]
    pub bundle_id: i64,
    /// Position in the bundle (0-based).
    #[sea_orm(primary_key, auto_increment = false)]
    pub position: i32,
    /// Owning vendor.
    pub vendor_id: i64,
    /// The template's number as given.
    pub license_template_number: String,
    /// The template, while it exists.
    pub license_template_id: Option<i64>,
}

/// Relations.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The bundle.
    #[sea_orm(
        belongs_to = "super::bundle::Entity",
        from = "Column::BundleId",
        to = "super::bundle::Column::Id",
        on_delete = "Cascade"
    )]
    Bundle,
    /// The template.
    #[sea_orm(
        belongs_to = "super::license_template::Entity",
        from = "Column::LicenseTemplateId",
        to = "super::license_template::Column::Id",
        on_delete = "SetNull"
    )]
    LicenseTemplate,
}

impl Related<super::bundle::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Bundle.def()
    }
}

impl Related<super::license_template::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::LicenseTemplate.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
