//! `token`: list, get, create, delete.

use netlicensing_model::entity::Token;

use crate::{Context, Filter, Page, Result};

const PATH: &str = "token";

/// Tokens: API keys, shop tokens and customer-portal action tokens. List, get and delete need Basic
/// authentication.
#[derive(Debug, Clone, Copy)]
pub struct TokenService<'a> {
    context: &'a Context,
}

impl<'a> TokenService<'a> {
    /// The service over a context.
    pub fn new(context: &'a Context) -> Self {
        Self { context }
    }

    /// One page of tokens matching the filter (e.g. `tokenType`).
    pub async fn list(self, filter: &Filter) -> Result<Page<Token>> {
        super::list(self.context, PATH, filter).await
    }

    /// The token with that number.
    pub async fn get(self, number: &str) -> Result<Token> {
        super::get(self.context, PATH, number).await
    }

    /// Creates a token; its `number` is the new API key or token value.
    pub async fn create(self, token: &Token) -> Result<Token> {
        super::create(self.context, PATH, &super::entity_form(token)).await
    }

    /// Deletes (revokes) the token.
    pub async fn delete(self, number: &str) -> Result<()> {
        super::delete(self.context, PATH, number, None).await
    }
}
