//! The parameters of each route: the create and update fields of every resource, list filters, and the
//! parameters of the actions. Names are the entities' wire names (`Entity::STANDARD`; a test keeps them in step).

use crate::types::{
    ApiKeyRole, Currency, FloatingAction, LicenseType, LicenseeSecretMode, LicensingModel, NodeSecretMode,
    NotificationEvent, NotificationProtocol, PaymentProvider, TimeVolumePeriod, TokenType, TransactionSource,
    TransactionStatus, VatMode, WireEnum,
};

use super::{Param, ParamType, Resource};

/// On which of create and update a field is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum On {
    Both,
    Create,
    Update,
}

/// A create/update field of a resource.
#[derive(Debug, Clone)]
pub(super) struct Field {
    pub on: On,
    pub param: Param,
}

fn field(name: &'static str, ty: ParamType, description: &'static str) -> Field {
    Field { on: On::Both, param: Param { name, ty, required: false, deprecated: false, pattern: false, description } }
}

impl Field {
    /// Required on create (always optional on update).
    fn required(mut self) -> Self {
        self.param.required = true;
        self
    }

    fn on(mut self, on: On) -> Self {
        self.on = on;
        self
    }

    fn deprecated(mut self) -> Self {
        self.param.deprecated = true;
        self
    }
}

use ParamType::{Boolean, Decimal, Discounts, Integer, Json, Text, Timestamp};

/// `number` and `active`, which every resource with create has.
fn number_active(generated: &'static str, active: &'static str) -> [Field; 3] {
    [
        field("number", Text, generated).on(On::Create),
        field("number", Text, "A new number for the entity.").on(On::Update),
        field("active", Boolean, active),
    ]
}

/// The create (`create = true`) or update fields of a resource.
pub(super) fn fields(resource: Resource, create: bool) -> Vec<Param> {
    table(resource)
        .into_iter()
        .filter(|f| f.on == On::Both || (f.on == On::Create) == create)
        .map(|f| Param { required: f.param.required && create, ..f.param })
        .collect()
}

/// What create requires beyond the fields, in prose.
pub(super) fn create_note(resource: Resource) -> String {
    let rule = match resource {
        Resource::LicenseTemplate => {
            " `TIMEVOLUME` templates need `timeVolume`, `FLOATING` ones `maxSessions`, `QUANTITY` ones `quantity` \
             (Node-Locked: `quota`); a price above zero needs a currency."
        }
        Resource::License => {
            " The licensee and the template must belong to the same product; unset values come from the template."
        }
        Resource::Transaction => " Only `SHOP` transactions are created through the API.",
        Resource::Notification => " A `WEBHOOK` notification needs a valid `endpoint` URL.",
        _ => "",
    };
    format!("Creates a {}. Parameters that are not standard become custom properties.{rule}", resource.noun())
}

fn table(resource: Resource) -> Vec<Field> {
    let mut out: Vec<Field> = Vec::new();
    match resource {
        Resource::Product => {
            out.extend(number_active(
                "Vendor-unique number; generated when omitted.",
                "False disables new licensees and licenses (default true).",
            ));
            out.extend([
                field("name", Text, "Product name.").required(),
                field("version", Text, "Product version (default empty)."),
                field(
                    "licenseeAutoCreate",
                    Boolean,
                    "True creates unknown licensees on their first validation (default false).",
                ),
                field("description", Text, "Description (HTML allowed)."),
                field("licensingInfo", Text, "Licensing information such as an EULA (HTML allowed)."),
                field("licenseeSecretMode", ParamType::of::<LicenseeSecretMode>(), "Licensee-secret mode.")
                    .deprecated(),
                field("vatMode", ParamType::of::<VatMode>(), "Whether prices include VAT."),
                field(
                    "discount",
                    Discounts,
                    "A volume discount `totalPrice;currency;amount`, the amount fixed (`10;EUR;1.50`) or a percentage \
                     (`100;EUR;5%`); repeat for several. On update the discounts given replace all; one empty \
                     `discount=` removes them.",
                ),
            ]);
        }
        Resource::ProductModule => {
            out.extend(number_active(
                "Vendor-unique number; generated when omitted.",
                "False disables the module (default true).",
            ));
            out.extend([
                field("productNumber", Text, "The product the module belongs to.").required().on(On::Create),
                field("name", Text, "Module name.").required(),
                field(
                    "licensingModel",
                    ParamType::of::<LicensingModel>(),
                    "Licensing model (legacy names such as `TimeVolume` are read as the current model).",
                )
                .required(),
                field("maxCheckoutValidity", Integer, "Floating: longest validity of a check-out, in seconds."),
                field("yellowThreshold", Integer, "Rental: days left from which the warning level is yellow."),
                field("redThreshold", Integer, "Rental: days left from which the warning level is red."),
                field("nodeSecretMode", ParamType::of::<NodeSecretMode>(), "Node-Locked: how node secrets are set."),
                field("licenseeSecretMode", ParamType::of::<LicenseeSecretMode>(), "Licensee-secret mode.")
                    .deprecated(),
                field("skudef", Json, "Pricing Table: the SKU definitions."),
            ]);
        }
        Resource::LicenseTemplate => {
            out.extend(number_active(
                "Vendor-unique number; generated when omitted.",
                "False disables the template (default true).",
            ));
            out.extend([
                field("productModuleNumber", Text, "The product module the template belongs to.")
                    .required()
                    .on(On::Create),
                field("name", Text, "Name of the licensed item or plan.").required(),
                field("licenseType", ParamType::of::<LicenseType>(), "Type of the licenses made from it.").required(),
                field("price", Decimal, "Price of a license."),
                field("currency", ParamType::of::<Currency>(), "Currency of the price."),
                field(
                    "automatic",
                    Boolean,
                    "True gives every new licensee a license automatically (price 0; default false).",
                ),
                field("hidden", Boolean, "True hides the template from the shop (default false)."),
                field(
                    "hideLicenses",
                    Boolean,
                    "True hides its licenses from the customer; they still validate (default false).",
                ),
                field("timeVolume", Integer, "TIMEVOLUME: length of validity in periods."),
                field(
                    "timeVolumePeriod",
                    ParamType::of::<TimeVolumePeriod>(),
                    "TIMEVOLUME: unit of the time volume (default DAY).",
                ),
                field("maxSessions", Integer, "FLOATING: concurrent sessions per license."),
                field("quantity", Integer, "QUANTITY: credits or quota per license (-1: unlimited, Quota)."),
                field("quota", Integer, "Node-Locked: number of nodes per license."),
                field("gracePeriod", Boolean, "Subscription: whether a grace period applies."),
                field("description", Text, "Description (Pricing Table plans)."),
                field("skus", Json, "Pricing Table: SKU values of the plan."),
            ]);
        }
        Resource::Licensee => {
            out.extend(number_active(
                "Vendor-unique number (up to 1000 characters); generated when omitted.",
                "False disables validation and new licenses (default true).",
            ));
            out.extend([
                field("productNumber", Text, "The licensee's product (must be active).").required().on(On::Create),
                field("name", Text, "Name of the licensee."),
                field(
                    "markedForTransfer",
                    Boolean,
                    "True lets another licensee take over its licenses (default false).",
                ),
                field("licenseeSecret", Text, "Licensee secret.").deprecated(),
                field(
                    "aliases",
                    Json,
                    "Alternative unique identifiers usable in validate, as a JSON array of strings.",
                ),
            ]);
        }
        Resource::License => {
            out.extend(number_active(
                "Vendor-unique number; generated when omitted.",
                "Inactive licenses are ignored by validation (default true).",
            ));
            out.extend([
                field("licenseeNumber", Text, "The licensee holding the license.").required().on(On::Create),
                field("licenseTemplateNumber", Text, "The template the license is made from.")
                    .required()
                    .on(On::Create),
                field("transactionNumber", Text, "Joins the license to this transaction."),
                field("name", Text, "Name (default: the template's)."),
                field(
                    "hidden",
                    Boolean,
                    "True hides the license in the shop (default: the template's `hideLicenses`).",
                ),
                field("startDate", Timestamp, "TIMEVOLUME: start of validity, or `now` (default now on create)."),
                field("timeVolume", Integer, "TIMEVOLUME: length of validity in periods (default: the template's)."),
                field("timeVolumePeriod", ParamType::of::<TimeVolumePeriod>(), "TIMEVOLUME: unit of the time volume."),
                field("gracePeriod", Boolean, "TIMEVOLUME: whether a grace period applies (default: the template's)."),
                field("parentFeature", Text, "Rental: number of the FEATURE license this one extends."),
                field("parentfeature", Text, "Input spelling of `parentFeature`.").deprecated(),
                field("maxSessions", Integer, "FLOATING: concurrent sessions (default: the template's)."),
                field("quantity", Integer, "QUANTITY: credits or quota (default: the template's)."),
                field("usedQuantity", Integer, "Pay-per-Use: credits consumed."),
                field("quota", Integer, "Node-Locked: number of nodes (default: the template's)."),
            ]);
        }
        Resource::Bundle => {
            out.extend(number_active(
                "Vendor-unique number; generated when omitted.",
                "False means it cannot be obtained (default true).",
            ));
            out.extend([
                field("name", Text, "Bundle name.").required(),
                field("description", Text, "Description."),
                field("price", Decimal, "Price of the bundle."),
                field("currency", ParamType::of::<Currency>(), "Currency of the price (only with a price)."),
                field(
                    "licenseTemplateNumbers",
                    ParamType::CommaList(Vec::new()),
                    "Templates of the bundle, comma-separated; they must exist and belong to one product.",
                ),
                field(
                    "licenseTemplatesNumbers",
                    ParamType::CommaList(Vec::new()),
                    "Old spelling of `licenseTemplateNumbers`.",
                )
                .deprecated(),
                field(
                    "licenseTemplateNumber",
                    ParamType::CommaList(Vec::new()),
                    "Another spelling of `licenseTemplateNumbers`.",
                )
                .deprecated(),
            ]);
        }
        Resource::Notification => {
            out.extend(number_active(
                "Vendor-unique number; generated when omitted.",
                "Only active notifications are delivered (default true).",
            ));
            out.extend([
                field("name", Text, "Name.").required(),
                field("protocol", ParamType::of::<NotificationProtocol>(), "Delivery protocol.").required(),
                field("endpoint", Text, "Where deliveries go (an http or https URL)."),
                field("events", ParamType::list_of::<NotificationEvent>(), "Events subscribed to, comma-separated.")
                    .required(),
                field("payload", Text, "Payload template."),
            ]);
        }
        Resource::Transaction => {
            out.extend([
                field("number", Text, "Vendor-unique number; generated when omitted.").on(On::Create),
                field("number", Text, "A new number for the transaction.").on(On::Update),
                field("status", ParamType::of::<TransactionStatus>(), "Status of the transaction.").required(),
                field(
                    "source",
                    ParamType::Enum(vec![TransactionSource::Shop.as_str()]),
                    "What created it: `SHOP` (the server records the others itself).",
                )
                .required()
                .on(On::Create),
                field("licenseeNumber", Text, "The licensee of the transaction."),
                field("grandTotal", Decimal, "Total of a shop transaction (with `currency`)."),
                field("discount", Decimal, "Discount of a shop transaction (with `currency`)."),
                field("currency", ParamType::of::<Currency>(), "Currency of the amounts."),
                field("dateCreated", Timestamp, "Creation time (default now).").on(On::Create),
                field("datecreated", Timestamp, "Another spelling of `dateCreated` (the one answers use).")
                    .on(On::Create),
                field("dateClosed", Timestamp, "Closing time (default now for a closed transaction)."),
                field("dateclosed", Timestamp, "Another spelling of `dateClosed` (the one answers use)."),
                field("paymentMethod", ParamType::of::<PaymentProvider>(), "Payment provider used."),
            ]);
        }
        Resource::PaymentMethod => {
            out.extend([
                field("number", Text, "Must equal the number in the path when given.").on(On::Update),
                field("active", Boolean, "Whether the shop offers the payment method."),
            ]);
        }
        Resource::Token => {
            out.extend([
                field("tokenType", ParamType::of::<TokenType>(), "Kind of token (default DEFAULT)."),
                field(
                    "licenseeNumber",
                    Text,
                    "SHOP and ACTION: the licensee the token is for (required, except for a permanent shop token); \
                     APIKEY: the only licensee the key may act on.",
                ),
                field(
                    "expirationTime",
                    Timestamp,
                    "When the token stops working (default 30 minutes ahead; API keys and permanent shop tokens \
                     do not expire).",
                ),
                field("action", Text, "ACTION: `licenseeLogin` (required)."),
                field(
                    "apiKeyRole",
                    ParamType::of::<ApiKeyRole>(),
                    "APIKEY: role of the key (default ROLE_APIKEY_LICENSEE).",
                ),
                field(
                    "privateKey",
                    Text,
                    "APIKEY: PKCS#8 PEM private key; XML validate answers to the key are then signed. Never returned.",
                ),
                field("successURL", Text, "SHOP: where the shop returns after a purchase."),
                field("successURLTitle", Text, "SHOP: title of the success link."),
                field("cancelURL", Text, "SHOP: where the shop returns on cancel."),
                field("cancelURLTitle", Text, "SHOP: title of the cancel link."),
                field("bundleNumber", Text, "SHOP: bundle offered by a bundle shop token."),
                field("bundlePrice", Decimal, "SHOP: individual price of that bundle."),
                field("productNumber", Text, "SHOP: product of a permanent shop token (one without `licenseeNumber`)."),
                field("predefinedShoppingItem", Text, "SHOP: predefined shopping item of a permanent shop token."),
            ]);
            for f in &mut out {
                f.on = On::Create;
            }
        }
    }
    out
}

/// The `filter` query parameter, with what it may select.
pub(super) fn filter(keys: &'static str) -> Param {
    let description = match keys {
        "" => FILTER,
        keys => keys,
    };
    Param { name: "filter", ty: Text, required: false, deprecated: false, pattern: false, description }
}

const FILTER: &str = "`key=value` pairs separated by `;`: `page` (0-based) and `items` (page size, default 100, at \
                      most 1000), `number`, `active`, parent numbers, or any property name (exact match).";

/// The query parameters of a list: `filter` and the parent numbers clients also send plainly.
pub(super) fn list(resource: Resource) -> Vec<Param> {
    let mut out = vec![filter("")];
    let parents: &[(&str, &str)] = match resource {
        Resource::ProductModule | Resource::Licensee => &[("productNumber", "Only those of this product.")],
        Resource::LicenseTemplate => &[
            ("productNumber", "Only those of this product."),
            ("productModuleNumber", "Only those of this product module."),
        ],
        Resource::License => &[
            ("productNumber", "Only those of this product."),
            ("productModuleNumber", "Only those of this product module."),
            ("licenseeNumber", "Only those of this licensee."),
            ("licenseTemplateNumber", "Only those made from this template."),
        ],
        _ => &[],
    };
    out.extend(parents.iter().map(|(name, description)| Param {
        name,
        ty: Text,
        required: false,
        deprecated: false,
        pattern: false,
        description,
    }));
    out
}

/// `forceCascade` of a delete.
pub(super) fn force_cascade() -> Param {
    Param {
        name: "forceCascade",
        ty: Boolean,
        required: false,
        deprecated: false,
        pattern: false,
        description: "True deletes what depends on the entity too; without it an entity in use is not deleted.",
    }
}

fn param(name: &'static str, ty: ParamType, required: bool, description: &'static str) -> Param {
    Param { name, ty, required, deprecated: false, pattern: false, description }
}

/// The parameters of validate.
pub(super) fn validate() -> Vec<Param> {
    let indexed = |name: &'static str, ty: ParamType, description: &'static str| Param {
        name,
        ty,
        required: false,
        deprecated: false,
        pattern: true,
        description,
    };
    vec![
        param("productNumber", Text, false, "Product of the licensee; needed when validate may create the licensee."),
        param("licenseeName", Text, false, "Name of a licensee that validate creates."),
        Param { deprecated: true, ..param("licenseeSecret", Text, false, "Licensee secret.") },
        param("dryRun", Boolean, false, "True validates without changing anything."),
        param("forOfflineUse", Boolean, false, "True adds the licensee item for offline use to the answer."),
        indexed(
            "^productModuleNumber[0-9]*$",
            Text,
            "`productModuleNumber<N>`: the module that parameters with index N are for (without an index: module 0).",
        ),
        indexed("^sessionId[0-9]*$", Text, "Floating: the session to check out or in."),
        indexed("^action[0-9]*$", ParamType::of::<FloatingAction>(), "Floating: check a session out or in."),
        indexed("^nodeSecret[0-9]*$", Text, "Node-Locked: the secret of the calling node."),
        indexed("^usedQuantity[0-9]*$", Integer, "Pay-per-Use: credits used (post-pay; written off even beyond zero)."),
        indexed("^paygUsedQuantity[0-9]*$", Integer, "Pay-per-Use: another spelling of `usedQuantity`."),
        indexed(
            "^reserveQuantity[0-9]*$",
            Integer,
            "Pay-per-Use: credits to reserve (pre-pay; only if that many remain).",
        ),
        indexed(
            "^maxCheckoutValidity[0-9]*$",
            Integer,
            "Floating: wished validity of this check-out, in seconds (at most the module's).",
        ),
    ]
}

/// The parameters of the Pricing Table export.
pub(super) fn pricing_table_render() -> Vec<Param> {
    vec![param("productModuleNumber", Text, true, "The Pricing Table module.")]
}

/// The parameters of transfer.
pub(super) fn transfer() -> Vec<Param> {
    vec![param("sourceLicenseeNumber", Text, true, "The licensee whose licenses move (must be marked for transfer).")]
}

/// The parameters of re-sending a notification's event.
pub(super) fn resend() -> Vec<Param> {
    vec![param("eventId", Text, true, "The `eventId` of a `FAILED` event of the notification's delivery log.")]
}

/// The parameters of obtain.
pub(super) fn obtain() -> Vec<Param> {
    vec![
        param("licenseeNumber", Text, true, "The licensee that gets the licenses."),
        param("transactionNumber", Text, false, "Records the licenses in this transaction instead of a new one."),
    ]
}

/// The fields of a branding update (all optional; an empty value clears one).
pub(super) fn branding() -> Vec<Param> {
    vec![
        param("name", Text, false, "The name customers see (at most 100 characters; default: the vendor number)."),
        param(
            "logo",
            Text,
            false,
            "The logo as a `data:image/<png|jpeg|gif|webp|svg+xml>;base64,...` URL of at most 128 KiB.",
        ),
        param("accentColor", Text, false, "The accent colour of buttons and links, `#rrggbb`."),
        param("email", Text, false, "Contact e-mail address shown on the vendor card."),
        param("website", Text, false, "The vendor's web site, an `http://` or `https://` URL."),
        param("address", Text, false, "Postal address: at most 6 lines (separated by line breaks) of 100 characters."),
        param("termsUrl", Text, false, "Terms and conditions, an `http://` or `https://` URL."),
        param("privacyUrl", Text, false, "Privacy policy, an `http://` or `https://` URL."),
        param("imprintUrl", Text, false, "Imprint (legal notice), an `http://` or `https://` URL."),
        param(
            "vendorType",
            Text,
            false,
            "`PRIVATE` (the default: the shop charges no VAT) or `COMPANY` (the shop applies the EU VAT rules; needs \
             `countryCode`).",
        ),
        param("countryCode", Text, false, "The country the vendor is established in (ISO 3166-1 alpha-2, e.g. `DE`)."),
        param("vatId", Text, false, "The vendor's VAT identification number, shown on order confirmations."),
    ]
}
