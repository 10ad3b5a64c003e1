//! Transactions: shop transactions created through the API, and the licenses joined to them.

use chrono::{DateTime, Utc};
use netlicensing_model::{
    List,
    codec::Form,
    entity::{Entity, LicenseTransactionJoin, Transaction},
    types::{TransactionSource, TransactionStatus, WireValue},
};

use super::{
    Core, Resource, assign_number, find,
    input::{Input, base_item, merge_form},
    numbering, stored_properties,
};
use crate::{
    caller::Caller,
    error::{CoreError, CoreResult},
    record::{Kind, Links, NewRecord},
    repo::Tx,
};

/// Name of the list joining a license to a transaction.
const JOIN: &str = "licenseTransactionJoin";

impl Core {
    /// Creates a transaction: `status` and `source` are required and only `SHOP` transactions are created
    /// through the API; amounts need a currency; `datecreated` defaults to now, and so does `dateclosed` for
    /// a closed transaction.
    pub async fn create_transaction(&self, caller: &Caller, form: &Form) -> CoreResult<Transaction> {
        caller.require(Transaction::WRITE)?;
        let input = Input::new(form);
        input.required("status", "Transaction status is required")?;
        let source: TransactionSource =
            input.value("source")?.ok_or_else(|| CoreError::Malformed("Transaction source is required".into()))?;
        if source != TransactionSource::Shop {
            return Err(CoreError::IllegalOperation(format!(
                "Transactions of source {source} are written by the service; the API creates SHOP transactions"
            )));
        }
        let mut tx = self.store().write().await?;
        if let Some(licensee) = input.text("licenseeNumber") {
            find(tx.as_mut(), caller, Kind::Licensee, licensee).await?;
        }
        let number = assign_number(tx.as_mut(), caller, Kind::Transaction, input.text("number")).await?;
        let item = base_item(Transaction::TYPE, &number, true);
        let mut transaction: Transaction =
            merge_form(item, form, &["number", "active", "vendorNumber", "licenseTransactionJoin"])?;
        transaction.date_created.get_or_insert_with(|| self.now());
        self.settle(&mut transaction)?;
        transaction.vendor_number = Some(caller.vendor_number.clone());
        let created = self.insert(tx.as_mut(), caller, &transaction, Links::default()).await?;
        tx.commit().await?;
        Ok(created)
    }

    /// Updates a transaction; its source, creation date and vendor stay. A `licenseeNumber` must name one of
    /// the caller's licensees, as on create.
    pub async fn update_transaction(&self, caller: &Caller, number: &str, form: &Form) -> CoreResult<Transaction> {
        caller.require(Transaction::WRITE)?;
        if let Some(licensee) = Input::new(form).text("licenseeNumber") {
            let mut tx = self.store().read().await?;
            find(tx.as_mut(), caller, Kind::Licensee, licensee).await?;
        }
        let now = self.now();
        let skip = &["active", "source", "vendorNumber", "datecreated", "dateCreated", "licenseTransactionJoin"];
        self.update_with(caller, number, form, skip, |transaction: &mut Transaction, _| {
            if transaction.status == Some(TransactionStatus::Closed) {
                transaction.date_closed.get_or_insert(now);
            }
            check_amounts(transaction)
        })
        .await
    }

    fn settle(&self, transaction: &mut Transaction) -> CoreResult<()> {
        if transaction.status == Some(TransactionStatus::Closed) {
            transaction.date_closed.get_or_insert_with(|| self.now());
        }
        check_amounts(transaction)
    }
}

/// Amounts need a currency.
fn check_amounts(transaction: &Transaction) -> CoreResult<()> {
    if (transaction.grand_total.is_some() || transaction.discount.is_some()) && transaction.currency.is_none() {
        return Err(CoreError::Malformed(
            "'grandTotal' and 'discount' must be accompanied with the 'currency' field".into(),
        ));
    }
    Ok(())
}

/// Writes a closed transaction that the service records itself (`AUTO_*`, `OBTAIN_BUNDLE`) for a licensee,
/// joined to the licenses it touched; returns its number.
pub(crate) async fn record_auto(
    tx: &mut dyn Tx,
    caller: &Caller,
    now: DateTime<Utc>,
    source: TransactionSource,
    licensee_number: Option<&str>,
    licenses: &[&str],
) -> CoreResult<String> {
    let build = |number: &str| {
        let transaction = Transaction {
            number: number.to_owned(),
            active: true,
            status: Some(TransactionStatus::Closed),
            source: Some(source),
            date_created: Some(now),
            date_closed: Some(now),
            licensee_number: licensee_number.map(str::to_owned),
            // Shown from the caller when read (never stored: one row less per change).
            vendor_number: None,
            license_transaction_joins: licenses
                .iter()
                .map(|license| LicenseTransactionJoin {
                    license_number: (*license).to_owned(),
                    transaction_number: number.to_owned(),
                })
                .collect(),
            ..Transaction::default()
        };
        let (properties, lists) = stored_properties(Kind::Transaction, &transaction);
        NewRecord { number: number.to_owned(), active: true, links: Links::default(), properties, lists }
    };
    let (number, _) = numbering::insert_numbered(tx, caller.vendor, Kind::Transaction, &build).await?;
    Ok(number)
}

/// Joins a license to a transaction of the caller (`transactionNumber` on license create and update).
pub(crate) async fn join_license(
    tx: &mut dyn Tx,
    caller: &Caller,
    transaction_number: &str,
    license_number: &str,
) -> CoreResult<()> {
    let mut record = find(tx, caller, Kind::Transaction, transaction_number).await?;
    let joined = record.lists.iter().any(|l| l.name == JOIN && l.property("licenseNumber") == Some(license_number));
    if !joined {
        let mut join = List::new(JOIN);
        join.push("licenseNumber", license_number);
        join.push("transactionNumber", record.number.as_str());
        record.lists.push(join);
        tx.update(caller.vendor, Kind::Transaction, &record).await?;
    }
    Ok(())
}

/// Whether a transaction record has licenses joined (its `inUse`).
pub(crate) fn has_joins(lists: &[List]) -> bool {
    lists.iter().any(|l| l.name == JOIN)
}

/// `inUse` text of a transaction.
pub(crate) fn in_use_text(lists: &[List]) -> String {
    has_joins(lists).to_wire().into_owned()
}
