//! Transaction: a purchase or an automatic record of a change, joined to the licenses it touched.

use chrono::{DateTime, Utc};

use crate::{
    document::{Item, List, Property},
    error::CodecError,
    types::{Currency, Money, PaymentProvider, TransactionSource, TransactionStatus},
};

use super::{Entity, ItemReader, ItemWriter};

/// A transaction (`item type="Transaction"`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Transaction {
    /// Vendor-unique number.
    pub number: String,
    /// Always true for transactions.
    pub active: bool,
    /// Pending, closed or cancelled.
    pub status: Option<TransactionStatus>,
    /// What created the transaction.
    pub source: Option<TransactionSource>,
    /// Total of a shop transaction.
    pub grand_total: Option<Money>,
    /// Discount of a shop transaction.
    pub discount: Option<Money>,
    /// Currency of the amounts.
    pub currency: Option<Currency>,
    /// Creation time (`datecreated`; input also `dateCreated`).
    pub date_created: Option<DateTime<Utc>>,
    /// Closing time (`dateclosed`; input also `dateClosed`).
    pub date_closed: Option<DateTime<Utc>>,
    /// Payment provider used.
    pub payment_method: Option<PaymentProvider>,
    /// Licensee of the transaction.
    pub licensee_number: Option<String>,
    /// True when licenses are joined to it (read-only).
    pub in_use: Option<bool>,
    /// Number of the vendor (read-only).
    pub vendor_number: Option<String>,
    /// The licenses the transaction touched (`list name="licenseTransactionJoin"`).
    pub license_transaction_joins: Vec<LicenseTransactionJoin>,
    /// Custom properties, in order.
    pub custom: Vec<Property>,
    /// Lists other than the joins, as they came.
    pub other_lists: Vec<List>,
}

/// One license of a transaction.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LicenseTransactionJoin {
    /// License number.
    pub license_number: String,
    /// Transaction number.
    pub transaction_number: String,
}

const JOIN: &str = "licenseTransactionJoin";

impl Entity for Transaction {
    const TYPE: &'static str = "Transaction";
    const STANDARD: &'static [&'static str] = &[
        "number",
        "active",
        "status",
        "source",
        "grandTotal",
        "discount",
        "currency",
        "datecreated",
        "dateCreated",
        "dateclosed",
        "dateClosed",
        "paymentMethod",
        "licenseeNumber",
        "inUse",
        "vendorNumber",
    ];
    const READ_ONLY: &'static [&'static str] = &["inUse", "vendorNumber"];

    fn from_item(item: Item) -> Result<Self, CodecError> {
        let mut r = ItemReader::new(item, Self::TYPE)?;
        Ok(Self {
            number: r.required_text("number")?,
            active: r.required("active")?,
            status: r.value("status")?,
            source: r.value("source")?,
            grand_total: r.value("grandTotal")?,
            discount: r.value("discount")?,
            currency: r.value("currency")?,
            date_created: r.value_any(&["datecreated", "dateCreated"])?,
            date_closed: r.value_any(&["dateclosed", "dateClosed"])?,
            payment_method: r.value("paymentMethod")?,
            licensee_number: r.text("licenseeNumber"),
            in_use: r.value("inUse")?,
            vendor_number: r.text("vendorNumber"),
            license_transaction_joins: r.lists(JOIN).into_iter().map(join_from_list).collect::<Result<_, _>>()?,
            custom: r.custom(),
            other_lists: r.other_lists(),
        })
    }

    fn to_item(&self) -> Item {
        let mut w = ItemWriter::new();
        w.put("number", &self.number)
            .put("active", &self.active)
            .opt("status", &self.status)
            .opt("source", &self.source)
            .opt("grandTotal", &self.grand_total)
            .opt("discount", &self.discount)
            .opt("currency", &self.currency)
            .opt("datecreated", &self.date_created)
            .opt("dateclosed", &self.date_closed)
            .opt("paymentMethod", &self.payment_method)
            .opt("licenseeNumber", &self.licensee_number)
            .opt("inUse", &self.in_use)
            .opt("vendorNumber", &self.vendor_number)
            .custom(&self.custom);
        for join in &self.license_transaction_joins {
            let mut list = ItemWriter::new();
            list.put("licenseNumber", &join.license_number).put("transactionNumber", &join.transaction_number);
            w.list(list.finish_list(JOIN));
        }
        w.lists(&self.other_lists).finish(Self::TYPE)
    }
}

fn join_from_list(list: List) -> Result<LicenseTransactionJoin, CodecError> {
    let mut r = ItemReader::from_parts(list.properties, list.lists);
    Ok(LicenseTransactionJoin {
        license_number: r.required_text("licenseNumber")?,
        transaction_number: r.required_text("transactionNumber")?,
    })
}
