//! The customer portal under `/portal`: the page a licensee reaches from its token's `customerPortalURL`
//! (`/portal/do/{token}/licenseeLogin`, with the layout flags `header`, `footer` and `shop` in the query), and
//! its two forms: releasing a floating session and renewing in the shop. Every request resolves the token
//! again ([`netlicensing_core::Core::portal`]), so its expiry ends the session; handlers are thin over core's
//! `service::portal`.

mod view;

use actix_web::{HttpRequest, HttpResponse, web};
use netlicensing_core::{CoreError, service::portal::Portal};

use crate::{
    customer::{Chrome, Csrf, CustomerError, CustomerForm, CustomerSite, Flags, segment},
    render,
};

pub use view::OverviewPage;

/// Where the portal lives.
pub const PORTAL: &str = "/portal";

/// Registers the portal's routes (below [`PORTAL`]); any other path is a customer 404 page.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/do/{token}/licenseeLogin", web::get().to(overview))
        .route("/do/{token}/release", web::post().to(release))
        .route("/do/{token}/renew", web::post().to(renew));
}

/// `/portal/...` paths that are no portal page.
pub async fn no_page() -> Result<HttpResponse, CustomerError> {
    Err(CustomerError::NotFound("There is no such page. Open the link your vendor sent you.".into()))
}

/// `/portal/do/{token}` of a portal.
fn base(portal: &Portal) -> String {
    format!("{PORTAL}/do/{}", segment(&portal.token.token.number))
}

/// The messages a post may leave for the page (never text from the request).
const NOTICES: [(&str, &str); 2] =
    [("released", "The session was released; the seat is free again."), ("ended", "That session had ended already.")];

/// The page of a portal's location after a post, with a notice.
fn back(portal: &Portal, flags: Flags, notice: &str) -> HttpResponse {
    let flags = flags.query();
    let query = if flags.is_empty() { format!("notice={notice}") } else { format!("{flags}&notice={notice}") };
    render::see_other(&format!("{}/licenseeLogin?{query}", base(portal)))
}

/// `GET /portal/do/{token}/licenseeLogin`: the licensee's licenses, sessions, bindings and transactions.
async fn overview(
    site: web::Data<CustomerSite>,
    token: web::Path<String>,
    flags: Flags,
    csrf: Csrf,
    req: HttpRequest,
) -> Result<HttpResponse, CustomerError> {
    let core = &site.core;
    let portal = core.portal(&token).await?;
    let chrome = Chrome::load(core, portal.token.vendor, &portal.token.vendor_number, flags).await?;
    let overview = core.portal_overview(&portal).await?;
    let query = netlicensing_model::codec::Form::parse(req.query_string());
    let notice = query.get("notice").and_then(|v| NOTICES.iter().find(|(key, _)| *key == v)).map(|(_, text)| *text);
    let (modules, transactions) = view::modules_and_transactions(&overview);
    let page = OverviewPage {
        chrome,
        csrf: csrf.token.clone(),
        base: base(&portal),
        suffix: flags.suffix(),
        licensee: overview.licensee.number.clone(),
        name: overview.licensee.name.clone().unwrap_or_default(),
        product: overview.product.as_ref().and_then(|p| p.name.clone()).unwrap_or_default(),
        notice,
        shop: flags.shop,
        until: portal.token.token.expiration_time.map(view::moment).unwrap_or_default(),
        modules,
        transactions,
    };
    csrf.page(&page)
}

/// `POST /portal/do/{token}/release` (`module`, `session`): checks the session in, back to the page.
async fn release(
    site: web::Data<CustomerSite>,
    token: web::Path<String>,
    flags: Flags,
    posted: CustomerForm,
) -> Result<HttpResponse, CustomerError> {
    let portal = site.core.portal(&token).await?;
    let field = |name| posted.form.get(name).unwrap_or_default();
    match site.core.portal_release(&portal, field("module"), field("session")).await {
        Ok(()) => Ok(back(&portal, flags, "released")),
        Err(CoreError::NotFound(_)) => Ok(back(&portal, flags, "ended")),
        Err(error) => Err(error.into()),
    }
}

/// `POST /portal/do/{token}/renew`: a SHOP token for the licensee, and on to its shop page.
async fn renew(
    site: web::Data<CustomerSite>,
    token: web::Path<String>,
    _posted: CustomerForm,
) -> Result<HttpResponse, CustomerError> {
    let portal = site.core.portal(&token).await?;
    let shop = site.core.portal_shop_token(&portal).await?;
    let url = shop.shop_url.ok_or_else(|| CustomerError::NotFound("The shop is not available.".into()))?;
    Ok(render::see_other(&url))
}
