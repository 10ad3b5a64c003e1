//! `product_discount`: a product's volume discounts (the `discount` lists), in order.

use sea_orm::entity::prelude::*;

/// One discount of a product.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "product_discount")]
pub struct Model {
    /// The product.
    #[sea_orm(primary_key, auto_increment = false)]
    pub product_id: i64,
    /// Position among the product's discounts (0-based).
    #[sea_orm(primary_key, auto_increment = false)]
    pub position: i32,
    /// Owning vendor.
    pub vendor_id: i64,
    /// `totalPrice` in minor units (cents).
    pub total_price_minor: i64,
    /// `currency`.
    pub currency: String,
    /// `amountFix`, as given.
    pub amount_fix: Option<String>,
    /// `amountPercent`.
    pub amount_percent: Option<String>,
}

/// Relations.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The product.
    #[sea_orm(
        belongs_to = "super::product::Entity",
        from = "Column::ProductId",
        to = "super::product::Column::Id",
        on_delete = "Cascade"
    )]
    Product,
}

impl Related<super::product::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Product.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
