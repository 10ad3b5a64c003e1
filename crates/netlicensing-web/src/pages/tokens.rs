//! Tokens: the list (newest first, by type), API keys (a role and an optional customer scope; the key is shown
//! once, right after it is made, and only its first characters later), shop and portal links for a customer,
//! and revoking a token (deleting it: the API key, link or session stops working at once).
//!
//! An API key's number is the key itself, so no page after its creation carries it: the list and the revoke
//! pages name an API key by a fingerprint (`key-` and the start of its BLAKE2s hash) instead of its number.

use actix_web::{HttpResponse, web};
use askama::Template;
use netlicensing_core::{CoreError, Page};
use netlicensing_model::{
    entity::{Product, Token},
    types::{ApiKeyRole, TokenType, WireEnum},
};

use super::{FormPage, Nav, Pager, list_page, pages, products::encode, resource};
use crate::{
    Console,
    error::WebError,
    fields::{Field, FormState, Input},
    guard::{Posted, Signed},
    render,
    session::key_of,
};

/// The token list.
const LIST: &str = "/console/tokens";

/// Registers the token pages.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/tokens", web::get().to(list))
        .route("/tokens/api-key", web::get().to(api_key_form))
        .route("/tokens/api-key", web::post().to(create_api_key))
        .route("/tokens/link", web::get().to(link_form))
        .route("/tokens/link", web::post().to(create_link))
        .route("/tokens/{reference}/delete", web::get().to(confirm_revoke))
        .route("/tokens/{reference}/delete", web::post().to(revoke));
}

/// `?type=&page=`.
#[derive(Debug, Default, serde::Deserialize)]
pub struct ListQuery {
    #[serde(default, rename = "type")]
    kind: String,
    #[serde(default)]
    page: u64,
}

/// A token as the list shows it.
struct Row {
    /// The path segment naming it on the revoke pages.
    reference: String,
    /// Its number, or the start of an API key.
    shown: String,
    kind: String,
    role: String,
    customer: String,
    expires: String,
    active: bool,
    link: String,
}

/// Prefix of the reference of an API key.
const KEY_PREFIX: &str = "key-";

/// The fingerprint naming an API key in pages: the start of the hash of its number.
fn fingerprint(number: &str) -> String {
    format!("{KEY_PREFIX}{}", &key_of(number)[..16])
}

fn is_api_key(token: &Token) -> bool {
    token.token_type == Some(TokenType::ApiKey)
}

/// How a token is named in pages: the fingerprint of an API key, the number of any other token.
fn reference(token: &Token) -> String {
    if is_api_key(token) { fingerprint(&token.number) } else { token.number.clone() }
}

/// An API key shortened to its first characters (enough to tell keys apart, too few to use).
fn masked(number: &str) -> String {
    format!("{}…", number.chars().take(8).collect::<String>())
}

impl Row {
    fn of(token: Token) -> Self {
        Self {
            reference: reference(&token),
            shown: if is_api_key(&token) { masked(&token.number) } else { token.number.clone() },
            kind: token.token_type.unwrap_or_default().as_str().to_owned(),
            role: token
                .api_key_role
                .map(|r| r.as_str().trim_start_matches("ROLE_APIKEY_").to_owned())
                .unwrap_or_default(),
            customer: token.licensee_number.clone().unwrap_or_default(),
            expires: token
                .expiration_time
                .map_or_else(|| "never".to_owned(), |t| t.format("%Y-%m-%d %H:%M UTC").to_string()),
            active: token.active,
            link: token.shop_url.clone().or(token.customer_portal_url.clone()).unwrap_or_default(),
        }
    }
}

#[derive(Template)]
#[template(path = "tokens.html")]
struct ListPage {
    nav: Option<Nav>,
    kind: String,
    kinds: Vec<&'static str>,
    tokens: Vec<Row>,
    pager: Pager,
}

async fn list(
    signed: Signed,
    console: web::Data<Console>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, WebError> {
    let query = query.into_inner();
    let kind = TokenType::ALL.iter().find(|t| t.as_str() == query.kind).map(WireEnum::as_str).unwrap_or_default();
    let conditions: Vec<(&str, &str)> = if kind.is_empty() { Vec::new() } else { vec![("tokenType", kind)] };
    let (tokens, total) = list_page::<Token>(&console.core, &signed, &conditions, query.page, true).await?;
    let pager = Pager { page: query.page, pages: pages(total), total, query: format!("type={kind}&") };
    let page = ListPage {
        nav: Nav::of(&signed, "tokens"),
        kind: kind.to_owned(),
        kinds: TokenType::ALL.iter().map(WireEnum::as_str).collect(),
        tokens: tokens.into_iter().map(Row::of).collect(),
        pager,
    };
    render::page(&page)
}

fn role_label(role: ApiKeyRole) -> &'static str {
    match role {
        ApiKeyRole::Licensee => "LICENSEE: validate, transfer, shop tokens",
        ApiKeyRole::Analytics => "ANALYTICS: and read everything",
        ApiKeyRole::Operation => "OPERATION: and change customers and licenses",
        ApiKeyRole::Maintenance => "MAINTENANCE: and change products, modules, templates, bundles",
        ApiKeyRole::Admin => "ADMIN: and transactions, payment methods, notifications",
    }
}

fn api_key_fields() -> Vec<Field> {
    let roles = ApiKeyRole::ALL.iter().map(|r| (r.as_str().to_owned(), role_label(*r).to_owned())).collect();
    vec![
        Field::text("apiKeyRole", "Role")
            .input(Input::Select(roles))
            .help("What the key may do; each role includes the ones above it. Managing tokens needs the vendor login."),
        Field::text("licenseeNumber", "Limit to customer")
            .help("Optional: the number of the one customer the key may act on."),
    ]
}

fn api_key_page(signed: &Signed, state: FormState) -> FormPage {
    FormPage::new(
        signed,
        "tokens",
        "New API key",
        "/console/tokens/api-key",
        LIST,
        "Make API key",
        api_key_fields(),
        state,
    )
    .intro("Programs authenticate with an API key as the password of the login 'apiKey'. The key is shown once.")
}

async fn api_key_form(signed: Signed) -> Result<HttpResponse, WebError> {
    render::page(&api_key_page(&signed, FormState::with([("apiKeyRole", ApiKeyRole::Licensee.as_str())])))
}

async fn create_api_key(posted: Posted, console: web::Data<Console>) -> Result<HttpResponse, WebError> {
    let signed = &posted.signed;
    let (core, caller) = (console.core.clone(), signed.caller.clone());
    let extra = [("tokenType", TokenType::ApiKey.as_str())];
    let made = resource::attempt(&posted, &api_key_fields(), false, &extra, move |form| async move {
        core.create_token(&caller, &form).await
    })
    .await?;
    match made {
        Ok(token) => render::page(&resource::SecretPage::new(
            signed,
            "tokens",
            "API key made",
            "Copy the key now: it is not shown again. Use it as the password of the login 'apiKey'.",
            "API key",
            token.number,
            LIST,
        )),
        Err((status, state)) => render::page_with(status, &api_key_page(signed, state)),
    }
}

async fn link_fields(console: &Console, signed: &Signed) -> Result<Vec<Field>, WebError> {
    let products: Page<Product> = console.core.list(&signed.caller, None, &[("items", "1000")]).await?;
    let mut choices = vec![(String::new(), "(none)".to_owned())];
    choices.extend(
        products
            .items
            .into_iter()
            .map(|p| (p.number.clone(), format!("{} ({})", p.name.unwrap_or_default(), p.number))),
    );
    let kinds = vec![
        (TokenType::Shop.as_str().to_owned(), "Shop (SHOP token)".to_owned()),
        (TokenType::Action.as_str().to_owned(), "Customer portal (ACTION token)".to_owned()),
    ];
    Ok(vec![
        Field::text("tokenType", "Link to").input(Input::Select(kinds)).help(
            "A shop link lets the customer buy licenses; a portal link signs the customer in to the portal. \
             Both last 30 minutes, except a shop link for a product without a customer, which stays valid.",
        ),
        Field::text("licenseeNumber", "Customer number")
            .help("The customer the link is for (required, except for a shop link for a product)."),
        Field::text("productNumber", "Product").input(Input::Select(choices)).help("Shop links: the product to offer."),
        Field::text("successURL", "Return address after a purchase").help("Shop links, optional."),
        Field::text("cancelURL", "Return address after a cancelled purchase").help("Shop links, optional."),
    ])
}

fn link_page(signed: &Signed, fields: Vec<Field>, state: FormState) -> FormPage {
    FormPage::new(signed, "tokens", "New shop or portal link", "/console/tokens/link", LIST, "Make link", fields, state)
}

async fn link_form(signed: Signed, console: web::Data<Console>) -> Result<HttpResponse, WebError> {
    let fields = link_fields(&console, &signed).await?;
    render::page(&link_page(&signed, fields, FormState::with([("tokenType", TokenType::Shop.as_str())])))
}

async fn create_link(posted: Posted, console: web::Data<Console>) -> Result<HttpResponse, WebError> {
    let signed = &posted.signed;
    let fields = link_fields(&console, signed).await?;
    let portal = posted.form.get("tokenType") == Some(TokenType::Action.as_str());
    let extra: &[(&str, &str)] = if portal { &[("action", "licenseeLogin")] } else { &[] };
    let (core, caller) = (console.core.clone(), signed.caller.clone());
    let made = resource::attempt(&posted, &fields, false, extra, move |form| async move {
        core.create_token(&caller, &form).await
    })
    .await?;
    match made {
        Ok(token) => {
            let link = token.shop_url.or(token.customer_portal_url).unwrap_or_default();
            let intro = if portal {
                "Send this link to the customer: it opens the customer portal, signed in."
            } else {
                "Send this link to the customer: it opens the shop."
            };
            render::page(&resource::SecretPage::new(signed, "tokens", "Link made", intro, "Link", link, LIST))
        }
        Err((status, state)) => render::page_with(status, &link_page(signed, fields, state)),
    }
}

/// The token a page names: an API key by its fingerprint, any other token by its number.
async fn find(console: &Console, signed: &Signed, reference: &str) -> Result<Token, WebError> {
    if !reference.starts_with(KEY_PREFIX) {
        return Ok(console.core.get(&signed.caller, reference).await?);
    }
    let mut page = 0u64;
    loop {
        let number = page.to_string();
        let plain = [("tokenType", TokenType::ApiKey.as_str()), ("items", "1000"), ("page", number.as_str())];
        let keys: Page<Token> = console.core.list(&signed.caller, None, &plain).await?;
        if let Some(key) = keys.items.iter().find(|t| fingerprint(&t.number) == reference) {
            return Ok(key.clone());
        }
        if keys.items.is_empty() || !keys.paging.has_next {
            return Err(CoreError::not_found("token").into());
        }
        page += 1;
    }
}

fn what(token: &Token) -> String {
    if is_api_key(token) {
        format!("API key {}", masked(&token.number))
    } else {
        format!("{} token {}", token.token_type.unwrap_or_default().as_str(), token.number)
    }
}

async fn confirm_revoke(
    signed: Signed,
    console: web::Data<Console>,
    reference: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let token = find(&console, &signed, &reference).await?;
    let action = format!("{LIST}/{}/delete", encode(&reference));
    render::page(&resource::ask(&signed, "tokens", what(&token), "token", false, (action, LIST.to_owned()), None))
}

async fn revoke(
    posted: Posted,
    console: web::Data<Console>,
    reference: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let token = find(&console, &posted.signed, &reference).await?;
    console.core.delete::<Token>(&posted.signed.caller, &token.number, None).await?;
    Ok(render::see_other(LIST))
}
