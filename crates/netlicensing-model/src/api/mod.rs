//! The HTTP API as data: every route the server answers, with its method, parameters, access rule and answer.
//!
//! [`routes`] is the single source of truth of the API's shape. The server registers exactly these routes (it
//! binds each [`Operation`] to a handler and nothing else), serves the OpenAPI document [`openapi::text`]
//! renders from them, and `cargo xtask codegen` writes that document (`docs/openapi.json`) and the endpoint
//! table of `docs/api.md` from them. A route therefore cannot exist without its description. The table lives
//! in this crate because it is wire vocabulary (paths, parameter names, item types), and so that rendering it
//! needs no HTTP or storage code.

pub mod openapi;
mod params;
mod resource;

pub use resource::{Offers, Resource, ResourceEntity, ResourceSpec, SPECS};

use crate::{
    entity::{Country, Entity, LicenseTypeItem, LicensingModelItem, ProductModuleValidation},
    types::{ApiKeyRole, WireEnum},
};

/// Base path of the API.
pub const BASE: &str = "/core/v2/rest";

/// An HTTP method the API uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Method {
    /// `GET`
    Get,
    /// `POST`
    Post,
    /// `PUT`
    Put,
    /// `DELETE`
    Delete,
}

impl Method {
    /// Every method, in documentation order.
    pub const ALL: [Method; 4] = [Method::Get, Method::Post, Method::Put, Method::Delete];

    /// The method's name (`GET`).
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
        }
    }
}

/// What a route does: the server binds each operation to its handler.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Operation {
    /// One page of a resource.
    List(Resource),
    /// One entity by number.
    Get(Resource),
    /// A new entity.
    Create(Resource),
    /// Changes to an entity.
    Update(Resource),
    /// Deleting an entity.
    Delete(Resource),
    /// `licensee/{number}/validate`
    Validate,
    /// `licensee/{number}/transfer`
    Transfer,
    /// `bundle/{number}/obtain`
    Obtain,
    /// `notification/{number}/deliveries`: the delivery log (an extension).
    Deliveries,
    /// `notification/{number}/resend`: a failed event queued again (an extension).
    Resend,
    /// `branding`: the vendor's branding (an extension).
    Branding,
    /// `POST branding`: changes to the vendor's branding (an extension).
    UpdateBranding,
    /// `utility/licenseTypes`
    LicenseTypes,
    /// `utility/licensingModels`
    LicensingModels,
    /// `utility/countries`
    Countries,
    /// `licensingmodel/PricingTable/render`: a Pricing Table module as HTML.
    PricingTableRender,
    /// `/health`
    Health,
    /// The OpenAPI document of these routes.
    OpenApi,
}

/// Who may call a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Access {
    /// Anyone, without credentials.
    Public,
    /// The vendor login, or an API key of this role or a higher one.
    Role(ApiKeyRole),
    /// The vendor login only.
    VendorLogin,
}

impl Access {
    /// The API key roles allowed, lowest first (none for the vendor login only and for public routes).
    pub fn api_key_roles(self) -> Vec<ApiKeyRole> {
        match self {
            Access::Role(least) => ApiKeyRole::ALL.iter().copied().filter(|role| *role >= least).collect(),
            Access::Public | Access::VendorLogin => Vec::new(),
        }
    }
}

/// The type of a parameter's value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParamType {
    /// Any text.
    Text,
    /// `true` or `false`.
    Boolean,
    /// A decimal integer.
    Integer,
    /// A decimal amount (`10.50`).
    Decimal,
    /// An ISO-8601 timestamp.
    Timestamp,
    /// One of these spellings.
    Enum(Vec<&'static str>),
    /// A comma-separated list, of these spellings when any are given.
    CommaList(Vec<&'static str>),
    /// JSON text.
    Json,
    /// Volume discounts `totalPrice;currency;amount[%]`, repeatable (`discount=a&discount=b`).
    Discounts,
}

impl ParamType {
    /// The spellings of a wire enum.
    pub fn of<T: WireEnum>() -> ParamType {
        ParamType::Enum(T::ALL.iter().map(|value| value.as_str()).collect())
    }

    /// A comma list of a wire enum's spellings.
    pub fn list_of<T: WireEnum>() -> ParamType {
        ParamType::CommaList(T::ALL.iter().map(|value| value.as_str()).collect())
    }
}

/// A request parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Param {
    /// Wire name, or a regular expression for indexed names when `pattern` is set.
    pub name: &'static str,
    /// Type of the value.
    pub ty: ParamType,
    /// Whether the request is refused without it.
    pub required: bool,
    /// Accepted for old clients; not to be used.
    pub deprecated: bool,
    /// `name` is a regular expression (`^productModuleNumber[0-9]*$`).
    pub pattern: bool,
    /// What it means.
    pub description: &'static str,
}

/// Where a route reads its parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Input {
    /// No parameters.
    None,
    /// The query string.
    Query,
    /// An `application/x-www-form-urlencoded` body.
    Form,
}

/// What a route answers on success.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Answer {
    /// One page of items of this type, with paging attributes.
    Page(&'static str),
    /// Every item of this type, as one page.
    All(&'static str),
    /// One item of this type.
    One(&'static str),
    /// The validation result: `ProductModuleValidation` items and a `ttl`.
    Validation,
    /// 204 without a body.
    NoContent,
    /// `text/plain` `OK`.
    Text,
    /// The OpenAPI document (`application/json`).
    OpenApi,
    /// An HTML fragment (`text/html`).
    Html,
}

/// One route: a method at a path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    /// The method.
    pub method: Method,
    /// Full path; `{number}` is the one path parameter.
    pub path: String,
    /// What it does.
    pub operation: Operation,
    /// Unique name of the operation (`listProducts`).
    pub operation_id: String,
    /// Group of related routes.
    pub tag: &'static str,
    /// One line.
    pub summary: String,
    /// More detail (Markdown).
    pub description: String,
    /// Who may call it.
    pub access: Access,
    /// Where its parameters go.
    pub input: Input,
    /// Its parameters, besides `{number}`.
    pub params: Vec<Param>,
    /// Whether further parameters are stored as custom properties (otherwise they are ignored).
    pub custom_properties: bool,
    /// What it answers.
    pub answer: Answer,
    /// Whether clients should stop using it.
    pub deprecated: bool,
}

impl Route {
    fn new(method: Method, path: String, operation: Operation, operation_id: impl Into<String>) -> Self {
        Route {
            method,
            path,
            operation,
            operation_id: operation_id.into(),
            tag: "Server",
            summary: String::new(),
            description: String::new(),
            access: Access::Public,
            input: Input::None,
            params: Vec::new(),
            custom_properties: false,
            answer: Answer::NoContent,
            deprecated: false,
        }
    }

    fn text(mut self, summary: impl Into<String>, description: impl Into<String>) -> Self {
        self.summary = summary.into();
        self.description = description.into();
        self
    }

    fn access(mut self, access: Access) -> Self {
        self.access = access;
        self
    }

    fn input(mut self, input: Input, params: Vec<Param>) -> Self {
        self.input = input;
        self.params = params;
        self
    }

    fn answer(mut self, answer: Answer) -> Self {
        self.answer = answer;
        self
    }

    fn tag(mut self, tag: &'static str) -> Self {
        self.tag = tag;
        self
    }

    /// Whether the path has the `{number}` parameter.
    pub fn has_number(&self) -> bool {
        self.path.contains("{number}")
    }
}

/// Every route of the server, in registration order.
pub fn routes() -> Vec<Route> {
    let mut out = Vec::new();
    for resource in Resource::ALL {
        resource_routes(&mut out, resource);
        match resource {
            Resource::Licensee => licensee_actions(&mut out),
            Resource::Bundle => out.push(obtain()),
            Resource::Notification => deliveries(&mut out),
            _ => {}
        }
    }
    branding(&mut out);
    utility(&mut out);
    out.push(pricing_table_render());
    let health = Route::new(Method::Get, "/health".into(), Operation::Health, "health")
        .text("Health check", "Answers `200 OK` (`text/plain`) once the server is up. No credentials needed.")
        .answer(Answer::Text);
    let openapi = Route::new(Method::Get, openapi::path(), Operation::OpenApi, "openApi")
        .text("This OpenAPI document", "The OpenAPI 3.1 description of every route. No credentials needed.")
        .answer(Answer::OpenApi);
    out.extend([health, openapi]);
    out
}

/// The list, get, create, update and delete routes a resource offers.
fn resource_routes(out: &mut Vec<Route>, r: Resource) {
    let collection = format!("{BASE}/{}", r.path());
    let item = format!("{collection}/{{number}}");
    let (ty, noun, offers) = (r.item_type(), r.noun(), r.offers());
    let plural = format!("{ty}s");
    out.push(
        Route::new(Method::Get, collection.clone(), Operation::List(r), format!("list{plural}"))
            .tag(ty)
            .text(format!("List {noun}s"), format!("One page of the vendor's {noun}s, selected by `filter`."))
            .access(r.read_access())
            .input(Input::Query, params::list(r))
            .answer(Answer::Page(ty)),
    );
    out.push(
        Route::new(Method::Get, item.clone(), Operation::Get(r), format!("get{ty}"))
            .tag(ty)
            .text(format!("Get a {noun}"), format!("The {noun} with this number."))
            .access(r.read_access())
            .answer(Answer::One(ty)),
    );
    let (create_access, create_note) = match r {
        Resource::Token => (
            Access::Role(ApiKeyRole::Licensee),
            " API keys (any role) may create `SHOP` tokens only, for their own licensee when they are limited \
             to one; every other token type needs the vendor login.",
        ),
        _ => (r.write_access(), ""),
    };
    if offers.create {
        let mut route = Route::new(Method::Post, collection, Operation::Create(r), format!("create{ty}"))
            .tag(ty)
            .text(format!("Create a {noun}"), format!("{}{create_note}", params::create_note(r)))
            .access(create_access)
            .input(Input::Form, params::fields(r, true))
            .answer(Answer::One(ty));
        route.custom_properties = true;
        out.push(route);
    }
    if offers.update {
        for (method, id, summary) in [
            (Method::Post, format!("update{ty}"), format!("Update a {noun}")),
            (Method::Put, format!("update{ty}Put"), format!("Update a {noun} (PUT)")),
        ] {
            let alias = if method == Method::Put { " `PUT` is accepted as an alias of `POST`." } else { "" };
            let description = format!(
                "Changes the parameters given and keeps the others. An empty value deletes a custom property.{alias}"
            );
            let mut route = Route::new(method, item.clone(), Operation::Update(r), id)
                .tag(ty)
                .text(summary, description)
                .access(r.write_access())
                .input(Input::Form, params::fields(r, false))
                .answer(Answer::One(ty));
            route.custom_properties = true;
            out.push(route);
        }
    }
    if offers.delete {
        out.push(
            Route::new(Method::Delete, item, Operation::Delete(r), format!("delete{ty}"))
                .tag(ty)
                .text(
                    format!("Delete a {noun}"),
                    format!(
                        "Deletes the {noun}. One in use is deleted only with `forceCascade=true`, together with \
                         what depends on it."
                    ),
                )
                .access(r.write_access())
                .input(Input::Query, vec![params::force_cascade()])
                .answer(Answer::NoContent),
        );
    }
}

/// `licensee/{number}/validate` (POST and the deprecated GET) and `licensee/{number}/transfer`.
fn licensee_actions(out: &mut Vec<Route>) {
    let validate = format!("{BASE}/licensee/{{number}}/validate");
    let description = "Validates the licensee's licenses for every module of its product. The path names the \
        licensee by number or alias; with `productNumber` on a product with `licenseeAutoCreate` an unknown \
        licensee is created. Module parameters are indexed: `productModuleNumber<N>` names a module and \
        `<parameter><N>` are its parameters (for example `sessionId0`, `action0`, `nodeSecret0`, \
        `usedQuantity0`). Other parameters become custom properties of a licensee created here.";
    let mut post = Route::new(Method::Post, validate.clone(), Operation::Validate, "validateLicensee")
        .tag("Licensee")
        .text("Validate a licensee", description)
        .access(Access::Role(ApiKeyRole::Licensee))
        .input(Input::Form, params::validate())
        .answer(Answer::Validation);
    post.custom_properties = true;
    let mut get = Route::new(Method::Get, validate, Operation::Validate, "validateLicenseeGet")
        .tag("Licensee")
        .text(
            "Validate a licensee (GET)",
            "The same as the `POST`, with the parameters in the query; the answer carries a `methodIsDeprecated` \
             warning.",
        )
        .access(Access::Role(ApiKeyRole::Licensee))
        .input(Input::Query, params::validate())
        .answer(Answer::Validation);
    get.custom_properties = true;
    get.deprecated = true;
    let transfer = Route::new(
        Method::Post,
        format!("{BASE}/licensee/{{number}}/transfer"),
        Operation::Transfer,
        "transferLicenses",
    )
    .tag("Licensee")
    .text(
        "Transfer licenses",
        "Moves every license of the source licensee (which must be `markedForTransfer`) to this licensee of the \
         same product.",
    )
    .access(Access::Role(ApiKeyRole::Licensee))
    .input(Input::Form, params::transfer())
    .answer(Answer::NoContent);
    out.extend([post, get, transfer]);
}

/// `bundle/{number}/obtain`.
fn obtain() -> Route {
    Route::new(Method::Post, format!("{BASE}/bundle/{{number}}/obtain"), Operation::Obtain, "obtainBundle")
        .tag("Bundle")
        .text(
            "Obtain a bundle",
            "Creates a license of every template of the bundle for the licensee, recorded in a transaction; \
             answers the licenses created.",
        )
        .access(Access::Role(ApiKeyRole::Operation))
        .input(Input::Form, params::obtain())
        .answer(Answer::All(crate::entity::License::TYPE))
}

/// `notification/{number}/deliveries` and `notification/{number}/resend`: this server's extensions.
fn deliveries(out: &mut Vec<Route>) {
    let log = Route::new(
        Method::Get,
        format!("{BASE}/notification/{{number}}/deliveries"),
        Operation::Deliveries,
        "listNotificationDeliveries",
    )
    .tag("Notification")
    .text(
        "List a notification's deliveries",
        "The delivery log of a webhook notification (an extension of this server): its latest 100 events, newest \
         first, each a `NotificationDelivery` item with `eventId` (sent as `webhook-id`), `event`, `status` \
         (`PENDING`, `SENT`, `FAILED`), `attempts`, `created`, `nextAttempt`, `lastAttempt` and `lastError`.",
    )
    .access(Resource::Notification.read_access())
    .answer(Answer::All(crate::entity::NotificationDelivery::TYPE));
    let resend = Route::new(
        Method::Post,
        format!("{BASE}/notification/{{number}}/resend"),
        Operation::Resend,
        "resendNotification",
    )
    .tag("Notification")
    .text(
        "Re-send a failed event",
        "Queues a `FAILED` event of the notification again (an extension of this server): it is sent \
                 with the same `webhook-id`, its attempts counted from zero.",
    )
    .access(Resource::Notification.write_access())
    .input(Input::Form, params::resend())
    .answer(Answer::NoContent);
    out.extend([log, resend]);
}

/// `GET` and `POST branding`: the vendor's branding for its shop and customer portal (this server's extension).
fn branding(out: &mut Vec<Route>) {
    let path = format!("{BASE}/branding");
    let ty = crate::entity::Branding::TYPE;
    let admin = Access::Role(ApiKeyRole::Admin);
    let get = Route::new(Method::Get, path.clone(), Operation::Branding, "getBranding")
        .tag(ty)
        .text(
            "Get the branding",
            "The vendor's branding for its shop and customer portal (an extension of this server): a `Branding` \
             item with `vendorNumber` and whichever of `name`, `logo`, `accentColor`, `email`, `website`, \
             `address`, `termsUrl`, `privacyUrl` and `imprintUrl` are set. The logo is served to browsers at \
             `/assets/logo/{vendorNumber}`.",
        )
        .access(admin)
        .answer(Answer::One(ty));
    let post = Route::new(Method::Post, path, Operation::UpdateBranding, "updateBranding")
        .tag(ty)
        .text(
            "Change the branding",
            "Changes the fields given and keeps the others; an empty value clears a field. Unknown fields and \
             values breaking a rule are refused and change nothing. Answers the branding as stored.",
        )
        .access(admin)
        .input(Input::Form, params::branding())
        .answer(Answer::One(ty));
    out.extend([get, post]);
}

/// `utility/licenseTypes`, `utility/licensingModels`, `utility/countries`.
fn utility(out: &mut Vec<Route>) {
    let read = Access::Role(ApiKeyRole::Analytics);
    out.push(
        Route::new(Method::Get, format!("{BASE}/utility/licenseTypes"), Operation::LicenseTypes, "listLicenseTypes")
            .tag("Utility")
            .text("List license types", "Every license type, as `LicenseType` items with a `name`.")
            .access(read)
            .answer(Answer::All(LicenseTypeItem::TYPE)),
    );
    out.push(
        Route::new(
            Method::Get,
            format!("{BASE}/utility/licensingModels"),
            Operation::LicensingModels,
            "listLicensingModels",
        )
        .tag("Utility")
        .text("List licensing models", "Every licensing model, as `LicensingModelProperties` items with a `name`.")
        .access(read)
        .answer(Answer::All(LicensingModelItem::TYPE)),
    );
    out.push(
        Route::new(Method::Get, format!("{BASE}/utility/countries"), Operation::Countries, "listCountries")
            .tag("Utility")
            .text("List countries", "One page of countries (`code`, `name`, `vatPercent`, `isEu`).")
            .access(read)
            .input(Input::Query, vec![params::filter("paging keys `page` and `items`, and property values")])
            .answer(Answer::Page(Country::TYPE)),
    );
}

/// `licensingmodel/PricingTable/render`.
fn pricing_table_render() -> Route {
    let path = format!("{BASE}/licensingmodel/PricingTable/render");
    Route::new(Method::Get, path, Operation::PricingTableRender, "renderPricingTable")
        .tag("ProductModule")
        .text(
            "Render a Pricing Table",
            "The plans of a Pricing Table module (its active templates that are not hidden) and its SKUs as an HTML \
             fragment `<div class=\"nlic-pricing-table\">`, in the CSS classes `nlic-column`, `nlic-plan-*` and \
             `nlic-sku-*`, to publish on the vendor's pages. Errors answer in XML or JSON as everywhere.",
        )
        .access(Access::Role(ApiKeyRole::Analytics))
        .input(Input::Query, params::pricing_table_render())
        .answer(Answer::Html)
}

/// The item type of validation results.
pub const VALIDATION_TYPE: &str = ProductModuleValidation::TYPE;

#[cfg(test)]
mod tests;
