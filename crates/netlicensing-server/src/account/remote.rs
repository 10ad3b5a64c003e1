//! Reading a vendor account from a NetLicensing-compatible server through `netlicensing-client`: every page of
//! every list, kind after kind in the account file's order. The client retries 429 and 5xx answers with
//! backoff ([`RETRY`]); 401 and 403 stop the import with [`AccountError::Refused`]. Pages are fetched while the
//! previous ones are written (a short queue between the two).

use std::time::Duration;

use netlicensing_client::{Context, Filter, Format, RetryPolicy};
use netlicensing_core::record::Kind;
use netlicensing_model::{Item, account::ORDER};
use tokio::sync::mpsc::Sender;

use super::{AccountError, ImportOptions};

/// Items asked for per page (the largest page our server serves; a server serving fewer says so in its
/// paging, which is followed).
pub const PAGE: u64 = 1000;

/// Retries of a failed page: up to 8, from half a second doubling to 30 s (about two minutes in all).
pub const RETRY: RetryPolicy =
    RetryPolicy { max_retries: 8, initial_backoff: Duration::from_millis(500), max_backoff: Duration::from_secs(30) };

/// What the reader sends to the writer.
#[derive(Debug)]
pub enum Fetched {
    /// A kind starts, with its total as the source counts it.
    Kind(Kind, u64),
    /// A page of the kind's items.
    Page(Kind, Vec<Item>),
    /// A kind the credentials cannot read, with the reason.
    Unreadable(Kind, String),
}

/// The client context for the source of the options.
pub fn context(options: &ImportOptions, url: &str) -> Result<Context, AccountError> {
    let builder = Context::builder().base_url(url).format(Format::Json).retry(RETRY).timeout(Duration::from_secs(120));
    let builder = match (&options.login, &options.password, &options.api_key) {
        (_, _, Some(key)) => builder.api_key(key.clone()),
        (Some(login), Some(password), None) => builder.basic_auth(login.clone(), password.clone()),
        _ => return Err(AccountError::NoRemoteCredentials),
    };
    builder.build().map_err(|source| AccountError::Remote { what: "the source".into(), source })
}

/// Reads every kind's every page and sends them; stops at the first error (sent too) or when the writer
/// hangs up.
pub async fn fetch(context: Context, api_key: bool, out: Sender<Result<Fetched, AccountError>>) {
    if let Err(error) = fetch_all(&context, api_key, &out).await {
        out.send(Err(error)).await.ok();
    }
}

async fn fetch_all(
    context: &Context,
    api_key: bool,
    out: &Sender<Result<Fetched, AccountError>>,
) -> Result<(), AccountError> {
    for kind in ORDER {
        if kind == Kind::Token && api_key {
            let why = "tokens can be listed with the vendor login only (--login/--password), not an API key";
            if out.send(Ok(Fetched::Unreadable(kind, why.into()))).await.is_err() {
                return Ok(());
            }
            continue;
        }
        let mut page = 0;
        loop {
            let filter = Filter::new().page(page).items(PAGE);
            let answer = context.list_items(kind.path(), &filter).await.map_err(|source| match source.status() {
                Some(status @ (401 | 403)) => AccountError::Refused { status, what: format!("the {}s", kind.noun()) },
                _ => AccountError::Remote { what: format!("the {}s (page {page})", kind.noun()), source },
            })?;
            if page == 0 && out.send(Ok(Fetched::Kind(kind, answer.total_items()))).await.is_err() {
                return Ok(());
            }
            // The paging decides; an empty page or the last page by count ends the kind even if a server says more.
            let more = answer.has_next() && !answer.is_empty() && page + 1 < answer.total_pages();
            if out.send(Ok(Fetched::Page(kind, answer.items))).await.is_err() {
                return Ok(());
            }
            if !more {
                break;
            }
            page += 1;
        }
    }
    Ok(())
}
