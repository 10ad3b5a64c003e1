//! The typed schema: vendors; one table per resource with its standard properties in typed columns (money in
//! minor units, timestamps with time zone, enum spellings as checked text); custom properties in `attribute`;
//! aliases, floating sessions, node secrets, discounts, bundle templates and transaction licenses in tables
//! of their own. Every row has `created_at` / `updated_at`; every lookup the store makes has its index.
//!
//! This migration is frozen: later changes are new migrations.

use netlicensing_model::types::{
    ApiKeyRole, Currency, LicenseType, LicenseeSecretMode, LicensingModel, NodeSecretMode, PaymentProvider,
    TimeVolumePeriod, TokenType, TransactionSource, TransactionStatus, VatMode, WireEnum,
};
use sea_orm::DatabaseBackend;
use sea_orm_migration::{prelude::*, schema::*};

/// Creates the schema.
pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261130_000001_schema"
    }
}

/// The resource tables that carry custom properties in `attribute` (deleted with them by trigger).
const RESOURCES: &[&str] = &[
    "product",
    "product_module",
    "license_template",
    "licensee",
    "license",
    "bundle",
    "token",
    "transaction",
    "notification",
    "payment_method",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("vendor")
                    .col(big_pk_auto("id"))
                    .col(string_uniq("number"))
                    .col(string_uniq("login"))
                    .col(string("password_hash"))
                    .col(stamp("created_at"))
                    .col(stamp("updated_at"))
                    .to_owned(),
            )
            .await?;
        for table in tables() {
            create_resource(manager, table).await?;
        }
        for statement in side_tables() {
            manager.create_table(statement).await?;
        }
        for index in side_indexes() {
            manager.create_index(index).await?;
        }
        attribute_triggers(manager).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for name in [
            "attribute",
            "transaction_license",
            "bundle_template",
            "license_node",
            "license_session",
            "licensee_alias",
            "product_discount",
        ] {
            manager.drop_table(Table::drop().table(name).to_owned()).await?;
        }
        for name in RESOURCES.iter().rev() {
            manager.drop_table(Table::drop().table(*name).to_owned()).await?;
        }
        if manager.get_database_backend() == DatabaseBackend::Postgres {
            manager.get_connection().execute_unprepared("DROP FUNCTION IF EXISTS attribute_cleanup()").await?;
        }
        manager.drop_table(Table::drop().table("vendor").to_owned()).await
    }
}

fn stamp(name: &'static str) -> ColumnDef {
    timestamp_with_time_zone(name)
}

/// A resource table: its name, parents (foreign-key column, parent table), typed columns and enum checks.
struct Resource {
    name: &'static str,
    parents: &'static [(&'static str, &'static str)],
    columns: Vec<ColumnDef>,
    enums: Vec<(&'static str, Vec<&'static str>)>,
}

fn spellings<E: WireEnum>() -> Vec<&'static str> {
    E::ALL.iter().map(|v| v.as_str()).collect()
}

fn tables() -> Vec<Resource> {
    vec![
        Resource {
            name: "product",
            parents: &[],
            columns: vec![
                text_null("name"),
                text_null("version"),
                boolean_null("licensee_auto_create"),
                text_null("description"),
                text_null("licensing_info"),
                text_null("licensee_secret_mode"),
                text_null("vat_mode"),
            ],
            enums: vec![
                ("licensee_secret_mode", spellings::<LicenseeSecretMode>()),
                ("vat_mode", spellings::<VatMode>()),
            ],
        },
        Resource {
            name: "product_module",
            parents: &[("product_id", "product")],
            columns: vec![
                text_null("name"),
                text_null("licensing_model"),
                big_integer_null("max_checkout_validity"),
                big_integer_null("yellow_threshold"),
                big_integer_null("red_threshold"),
                text_null("node_secret_mode"),
                text_null("licensee_secret_mode"),
                text_null("skudef"),
            ],
            enums: vec![
                ("licensing_model", spellings::<LicensingModel>()),
                ("node_secret_mode", spellings::<NodeSecretMode>()),
                ("licensee_secret_mode", spellings::<LicenseeSecretMode>()),
            ],
        },
        Resource {
            name: "license_template",
            parents: &[("product_module_id", "product_module")],
            columns: vec![
                text_null("name"),
                text_null("license_type"),
                big_integer_null("price_minor"),
                text_null("currency"),
                boolean_null("automatic"),
                boolean_null("hidden"),
                boolean_null("hide_licenses"),
                text_null("time_volume_period"),
                big_integer_null("time_volume"),
                big_integer_null("max_sessions"),
                big_integer_null("quantity"),
                big_integer_null("quota"),
                boolean_null("grace_period"),
                text_null("description"),
                text_null("skus"),
            ],
            enums: vec![
                ("license_type", spellings::<LicenseType>()),
                ("currency", spellings::<Currency>()),
                ("time_volume_period", spellings::<TimeVolumePeriod>()),
            ],
        },
        Resource {
            name: "licensee",
            parents: &[("product_id", "product")],
            columns: vec![text_null("name"), boolean_null("marked_for_transfer"), text_null("licensee_secret")],
            enums: vec![],
        },
        Resource {
            name: "license",
            parents: &[("licensee_id", "licensee"), ("license_template_id", "license_template")],
            columns: vec![
                text_null("name"),
                big_integer_null("price_minor"),
                text_null("currency"),
                boolean_null("hidden"),
                boolean_null("grace_period"),
                text_null("time_volume_period"),
                big_integer_null("time_volume"),
                timestamp_with_time_zone_null("start_date"),
                text_null("parent_feature"),
                big_integer_null("max_sessions"),
                big_integer_null("quantity"),
                big_integer_null("used_quantity"),
                big_integer_null("quota"),
                text_null("transaction_number"),
            ],
            enums: vec![("currency", spellings::<Currency>()), ("time_volume_period", spellings::<TimeVolumePeriod>())],
        },
        Resource {
            name: "bundle",
            parents: &[],
            columns: vec![
                text_null("name"),
                big_integer_null("price_minor"),
                text_null("currency"),
                text_null("description"),
            ],
            enums: vec![("currency", spellings::<Currency>())],
        },
        Resource {
            name: "token",
            parents: &[],
            columns: vec![
                timestamp_with_time_zone_null("expiration_time"),
                text_null("token_type"),
                text_null("action"),
                text_null("api_key_role"),
                text_null("success_url"),
                text_null("success_url_title"),
                text_null("cancel_url"),
                text_null("cancel_url_title"),
                text_null("bundle_number"),
                big_integer_null("bundle_price_minor"),
                text_null("product_number"),
                text_null("predefined_shopping_item"),
                text_null("private_key"),
                text_null("licensee_number"),
                text_null("shop_url"),
                text_null("customer_portal_url"),
                text_null("vendor_number"),
            ],
            enums: vec![("token_type", spellings::<TokenType>()), ("api_key_role", spellings::<ApiKeyRole>())],
        },
        Resource {
            name: "transaction",
            parents: &[],
            columns: vec![
                text_null("status"),
                text_null("source"),
                big_integer_null("grand_total_minor"),
                big_integer_null("discount_minor"),
                text_null("currency"),
                timestamp_with_time_zone_null("date_created"),
                timestamp_with_time_zone_null("date_closed"),
                text_null("payment_method"),
                text_null("licensee_number"),
            ],
            enums: vec![
                ("status", spellings::<TransactionStatus>()),
                ("source", spellings::<TransactionSource>()),
                ("currency", spellings::<Currency>()),
                ("payment_method", spellings::<PaymentProvider>()),
            ],
        },
        Resource {
            name: "notification",
            parents: &[],
            columns: vec![
                text_null("name"),
                text_null("protocol"),
                text_null("endpoint"),
                text_null("events"),
                text_null("payload"),
            ],
            enums: vec![],
        },
        Resource { name: "payment_method", parents: &[], columns: vec![], enums: vec![] },
    ]
}

async fn create_resource(manager: &SchemaManager<'_>, resource: Resource) -> Result<(), DbErr> {
    let name = resource.name;
    let mut create = Table::create();
    create
        .table(name)
        .col(big_pk_auto("id"))
        .col(big_integer("vendor_id"))
        .col(text("number"))
        .col(boolean("active"))
        .foreign_key(
            ForeignKey::create()
                .name(format!("fk_{name}_vendor"))
                .from(name, "vendor_id")
                .to("vendor", "id")
                .on_delete(ForeignKeyAction::Cascade),
        );
    for (column, parent) in resource.parents {
        create.col(big_integer(*column)).foreign_key(
            ForeignKey::create()
                .name(format!("fk_{name}_{column}"))
                .from(name, *column)
                .to(*parent, "id")
                .on_delete(ForeignKeyAction::Cascade),
        );
    }
    for column in resource.columns {
        create.col(column);
    }
    create.col(stamp("created_at")).col(stamp("updated_at"));
    for (column, values) in &resource.enums {
        create.check(Expr::col(*column).is_null().or(Expr::col(*column).is_in(values.iter().copied())));
    }
    manager.create_table(create.to_owned()).await?;
    let index = |suffix: &str| Index::create().name(format!("ix_{name}_{suffix}")).table(name).to_owned();
    // Lookups by number, pages in id order, and each parent's children, all within the vendor.
    manager.create_index(index("vendor_number").col("vendor_id").col("number").unique().to_owned()).await?;
    manager.create_index(index("vendor_id").col("vendor_id").col("id").to_owned()).await?;
    // `filter=active=...` pages and counts without reading the rows.
    manager.create_index(index("vendor_active").col("vendor_id").col("active").to_owned()).await?;
    for (column, _) in resource.parents {
        manager.create_index(index(column).col("vendor_id").col(*column).to_owned()).await?;
    }
    if name == "token" {
        // API keys are looked up by number across vendors.
        manager.create_index(index("number").col("number").to_owned()).await?;
    }
    Ok(())
}

fn fk(
    table: &'static str,
    column: &'static str,
    to: &'static str,
    action: ForeignKeyAction,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{table}_{column}"))
        .from(table, column)
        .to(to, "id")
        .on_delete(action)
        .to_owned()
}

fn side_tables() -> Vec<TableCreateStatement> {
    vec![
        Table::create()
            .table("product_discount")
            .col(big_integer("product_id"))
            .col(integer("position"))
            .col(big_integer("vendor_id"))
            .col(big_integer("total_price_minor"))
            .col(text("currency"))
            .col(text_null("amount_fix"))
            .col(text_null("amount_percent"))
            .primary_key(Index::create().col("product_id").col("position"))
            .foreign_key(&mut fk("product_discount", "product_id", "product", ForeignKeyAction::Cascade))
            .to_owned(),
        Table::create()
            .table("licensee_alias")
            .col(big_integer("vendor_id"))
            .col(text("alias"))
            .col(big_integer("licensee_id"))
            .col(integer("position"))
            .primary_key(Index::create().col("vendor_id").col("alias"))
            .foreign_key(&mut fk("licensee_alias", "licensee_id", "licensee", ForeignKeyAction::Cascade))
            .to_owned(),
        Table::create()
            .table("license_session")
            .col(big_integer("license_id"))
            .col(text("session_id"))
            .col(big_integer("vendor_id"))
            .col(text("expires"))
            .primary_key(Index::create().col("license_id").col("session_id"))
            .foreign_key(&mut fk("license_session", "license_id", "license", ForeignKeyAction::Cascade))
            .to_owned(),
        Table::create()
            .table("license_node")
            .col(big_integer("license_id"))
            .col(integer("slot"))
            .col(big_integer("vendor_id"))
            .col(text("secret"))
            .primary_key(Index::create().col("license_id").col("slot"))
            .foreign_key(&mut fk("license_node", "license_id", "license", ForeignKeyAction::Cascade))
            .to_owned(),
        Table::create()
            .table("bundle_template")
            .col(big_integer("bundle_id"))
            .col(integer("position"))
            .col(big_integer("vendor_id"))
            .col(text("license_template_number"))
            .col(big_integer_null("license_template_id"))
            .primary_key(Index::create().col("bundle_id").col("position"))
            .foreign_key(&mut fk("bundle_template", "bundle_id", "bundle", ForeignKeyAction::Cascade))
            .foreign_key(&mut fk(
                "bundle_template",
                "license_template_id",
                "license_template",
                ForeignKeyAction::SetNull,
            ))
            .to_owned(),
        Table::create()
            .table("transaction_license")
            .col(big_integer("transaction_id"))
            .col(integer("position"))
            .col(big_integer("vendor_id"))
            .col(text("license_number"))
            .col(big_integer_null("license_id"))
            .primary_key(Index::create().col("transaction_id").col("position"))
            .foreign_key(&mut fk("transaction_license", "transaction_id", "transaction", ForeignKeyAction::Cascade))
            .foreign_key(&mut fk("transaction_license", "license_id", "license", ForeignKeyAction::SetNull))
            .to_owned(),
        Table::create()
            .table("attribute")
            .col(text("kind"))
            .col(big_integer("entity_id"))
            .col(text("name"))
            .col(big_integer("vendor_id"))
            .col(integer("position"))
            .col(text("value"))
            .primary_key(Index::create().col("kind").col("entity_id").col("name"))
            .foreign_key(&mut fk("attribute", "vendor_id", "vendor", ForeignKeyAction::Cascade))
            .to_owned(),
    ]
}

fn side_indexes() -> Vec<IndexCreateStatement> {
    let index =
        |table: &'static str, name: &str| Index::create().name(format!("ix_{table}_{name}")).table(table).to_owned();
    vec![
        index("licensee_alias", "licensee").col("licensee_id").to_owned(),
        index("bundle_template", "license_template").col("license_template_id").to_owned(),
        index("transaction_license", "license").col("license_id").to_owned(),
        // Filters on a custom property.
        index("attribute", "vendor_kind_name_value").col("vendor_id").col("kind").col("name").col("value").to_owned(),
    ]
}

/// `attribute` rows go with their entity, however it is deleted (directly or by a cascade).
async fn attribute_triggers(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    let db = manager.get_connection();
    let postgres = manager.get_database_backend() == DatabaseBackend::Postgres;
    if postgres {
        db.execute_unprepared(
            "CREATE FUNCTION attribute_cleanup() RETURNS trigger LANGUAGE plpgsql AS $$ \
             BEGIN DELETE FROM attribute WHERE kind = TG_ARGV[0] AND entity_id = OLD.id; RETURN NULL; END $$",
        )
        .await?;
    }
    for table in RESOURCES {
        let sql = if postgres {
            format!(
                "CREATE TRIGGER trg_{table}_attribute AFTER DELETE ON \"{table}\" FOR EACH ROW \
                 EXECUTE FUNCTION attribute_cleanup('{table}')"
            )
        } else {
            format!(
                "CREATE TRIGGER trg_{table}_attribute AFTER DELETE ON \"{table}\" BEGIN \
                 DELETE FROM attribute WHERE kind = '{table}' AND entity_id = OLD.id; END"
            )
        };
        db.execute_unprepared(&sql).await?;
    }
    Ok(())
}
