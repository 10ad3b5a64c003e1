//! `transaction`: list, get, create, update (no delete).

use netlicensing_model::entity::Transaction;

use crate::{Context, Filter, Page, Result};

const PATH: &str = "transaction";

/// Transactions: purchases and records of license changes.
#[derive(Debug, Clone, Copy)]
pub struct TransactionService<'a> {
    context: &'a Context,
}

impl<'a> TransactionService<'a> {
    /// The service over a context.
    pub fn new(context: &'a Context) -> Self {
        Self { context }
    }

    /// One page of transactions matching the filter (e.g. `status`, `shopOnly`).
    pub async fn list(self, filter: &Filter) -> Result<Page<Transaction>> {
        super::list(self.context, PATH, filter).await
    }

    /// The transaction with that number, with its license joins.
    pub async fn get(self, number: &str) -> Result<Transaction> {
        super::get(self.context, PATH, number).await
    }

    /// Creates a transaction.
    pub async fn create(self, transaction: &Transaction) -> Result<Transaction> {
        super::create(self.context, PATH, &super::entity_form(transaction)).await
    }

    /// Updates the transaction `number` with the given properties.
    pub async fn update(self, number: &str, transaction: &Transaction) -> Result<Transaction> {
        super::update(self.context, PATH, number, &super::entity_form(transaction)).await
    }
}
