//! The customer portal: what an ACTION token with `action=licenseeLogin` shows its licensee, and the few
//! changes it may make, each through the service the API uses with the token's rights (a LICENSEE-role key
//! limited to the licensee, see [`CustomerToken::caller`]).
//!
//! - [`Core::portal`] resolves the token on every page and post, so its expiry ends the session.
//! - [`Core::portal_overview`]: the licensee's licenses per module of its product, with what validation says
//!   now (a preview: nothing is stored, not even the warning level summary), each license's expiry and
//!   remaining quantity, the live floating sessions and the node-locked bindings; and the latest transactions.
//!   Licenses the vendor hides from customers (`hidden`, or a template with `hideLicenses`) are not shown.
//! - [`Core::portal_release`] checks a floating session in (a validation with `action=checkIn`), only one the
//!   licensee holds on a module of its product.
//! - [`Core::portal_shop_token`] makes a SHOP token for the licensee (the renewal link), returning to the
//!   portal afterwards.

use chrono::{DateTime, Utc};
use netlicensing_model::{
    codec::Form,
    entity::{
        License, LicenseTemplate, Licensee, ModuleParameters, Product, ProductModule, ProductModuleValidation, Token,
        Transaction, ValidationParameters,
    },
    types::{FloatingAction, LicenseType, TokenType, WireEnum},
};

use super::{
    Core,
    customer::{CustomerToken, TokenRefusal},
};
use crate::{
    caller::Caller,
    error::{CoreError, CoreResult},
};

/// The action of a portal token.
pub const LICENSEE_LOGIN: &str = "licenseeLogin";

/// Transactions the portal lists, newest first.
pub const TRANSACTIONS_SHOWN: u64 = 20;

/// A live portal token: its licensee's portal may be shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Portal {
    /// The token, with its vendor.
    pub token: CustomerToken,
    /// The licensee it opens.
    pub licensee: String,
}

impl Portal {
    /// The caller of the portal's changes: the token's rights (its licensee only).
    pub fn caller(&self) -> Caller {
        self.token.caller()
    }

    /// The vendor's login as reader of the licensee's own data (never handed out of this module).
    fn reader(&self) -> Caller {
        Caller::vendor(self.token.vendor, self.token.vendor_number.clone())
    }
}

/// Everything the portal page shows.
#[derive(Debug, Clone, PartialEq)]
pub struct PortalOverview {
    /// The licensee.
    pub licensee: Licensee,
    /// Its product.
    pub product: Option<Product>,
    /// The product's active modules, in order, with the licensee's licenses.
    pub modules: Vec<PortalModule>,
    /// The latest transactions of the licensee (at most [`TRANSACTIONS_SHOWN`]), newest first.
    pub transactions: Vec<Transaction>,
}

/// One module of the licensee's product.
#[derive(Debug, Clone, PartialEq)]
pub struct PortalModule {
    /// The module.
    pub module: ProductModule,
    /// What validation says for it now.
    pub result: Option<ProductModuleValidation>,
    /// The licensee's licenses of the module the customer may see.
    pub licenses: Vec<PortalLicense>,
    /// Live floating sessions, earliest expiry first.
    pub sessions: Vec<FloatingSession>,
    /// Node-locked bindings.
    pub nodes: Vec<NodeBinding>,
}

/// A license as the portal shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct PortalLicense {
    /// The license.
    pub license: License,
    /// Its template's name.
    pub template_name: Option<String>,
    /// Its license type (the template's).
    pub license_type: Option<LicenseType>,
    /// When a time-volume license ends.
    pub expires: Option<DateTime<Utc>>,
    /// Credits left on a quantity license (its quantity less what is used).
    pub remaining: Option<i64>,
}

/// A checked-out floating session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FloatingSession {
    /// The session id the software checked out with.
    pub id: String,
    /// When it ends unless renewed.
    pub expires: DateTime<Utc>,
    /// The license holding it.
    pub license: String,
}

/// A node a node-locked license is bound to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeBinding {
    /// The license.
    pub license: String,
    /// The node's secret (the software's machine id).
    pub secret: String,
}

impl Core {
    /// The portal of a token: an active, unexpired ACTION token with `action=licenseeLogin` and a licensee.
    pub async fn portal(&self, token: &str) -> Result<Portal, TokenRefusal> {
        let found = self.customer_token(token, TokenType::Action).await?;
        if found.token.action.as_deref() != Some(LICENSEE_LOGIN) {
            return Err(TokenRefusal::WrongKind);
        }
        let licensee = found.licensee().ok_or(TokenRefusal::WrongKind)?.to_owned();
        Ok(Portal { token: found, licensee })
    }

    /// What the portal shows (see the module documentation). Reads only.
    pub async fn portal_overview(&self, portal: &Portal) -> CoreResult<PortalOverview> {
        let reader = portal.reader();
        let licensee: Licensee = self.get(&reader, &portal.licensee).await?;
        let number = licensee.number.as_str();
        let product = match &licensee.product_number {
            Some(product) => Some(self.get::<Product>(&reader, product).await?),
            None => None,
        };
        let preview = self.validate_preview(&portal.caller(), number, &ValidationParameters::default()).await?;
        let licenses = self.list::<License>(&reader, None, &[("licenseeNumber", number), ("items", "1000")]).await?;
        let mut modules = Vec::new();
        if let Some(product) = &product {
            let plain = [("productNumber", product.number.as_str()), ("items", "1000")];
            let templates = self.list::<LicenseTemplate>(&reader, None, &plain).await?.items;
            for module in self.list::<ProductModule>(&reader, None, &plain).await?.items {
                if !module.active {
                    continue;
                }
                let result = preview.modules.iter().find(|r| r.product_module_number == module.number).cloned();
                let mine: Vec<&License> = licenses
                    .items
                    .iter()
                    .filter(|l| l.product_module_number.as_deref() == Some(module.number.as_str()))
                    .collect();
                modules.push(self.portal_module(module, result, &mine, &templates));
            }
        }
        let transactions = self.latest_transactions(&reader, number).await?;
        Ok(PortalOverview { licensee, product, modules, transactions })
    }

    /// One module's part of the portal.
    fn portal_module(
        &self,
        module: ProductModule,
        result: Option<ProductModuleValidation>,
        licenses: &[&License],
        templates: &[LicenseTemplate],
    ) -> PortalModule {
        let now = self.now();
        let template_of =
            |l: &License| templates.iter().find(|t| Some(&t.number) == l.license_template_number.as_ref());
        let mut shown = Vec::new();
        let (mut sessions, mut nodes) = (Vec::new(), Vec::new());
        for license in licenses {
            let template = template_of(license);
            let custom = super::license_detail::split(license);
            sessions.extend(custom.sessions.into_iter().filter(|s| s.expires > now));
            nodes.extend(custom.nodes);
            let hidden = license.hidden == Some(true) || template.is_some_and(|t| t.hide_licenses == Some(true));
            if hidden {
                continue;
            }
            let license_type = template.and_then(|t| t.license_type);
            let expires = super::license_detail::expiry(license, template);
            let quantity = license.quantity.or(template.and_then(|t| t.quantity));
            let remaining = quantity.map(|q| q.max(0).saturating_sub(license.used_quantity.unwrap_or(0)));
            shown.push(PortalLicense {
                license: (*license).clone(),
                template_name: template.and_then(|t| t.name.clone()),
                license_type,
                expires,
                remaining,
            });
        }
        sessions.sort_by_key(|s| s.expires);
        PortalModule { module, result, licenses: shown, sessions, nodes }
    }

    /// The licensee's newest transactions, newest first.
    async fn latest_transactions(&self, reader: &Caller, licensee: &str) -> CoreResult<Vec<Transaction>> {
        let mine = ("licenseeNumber", licensee);
        let total = self.list::<Transaction>(reader, None, &[mine, ("items", "1")]).await?.paging.total_items;
        if total == 0 {
            return Ok(Vec::new());
        }
        // The newest are at the end, in id order: the last page of that size and the one before it.
        let size = TRANSACTIONS_SHOWN;
        let last = (total - 1) / size;
        let mut found = Vec::new();
        for page in last.saturating_sub(1)..=last {
            let page = page.to_string();
            let items = size.to_string();
            found.extend(
                self.list::<Transaction>(reader, None, &[mine, ("page", &page), ("items", &items)]).await?.items,
            );
        }
        found.reverse();
        found.truncate(size as usize);
        Ok(found)
    }

    /// Checks in the licensee's floating session `session` on module `module` (a validation with
    /// `action=checkIn`, as the licensee's software would send). Only a live session the licensee holds on a
    /// module of its product may be released; anything else is `NotFound`.
    pub async fn portal_release(&self, portal: &Portal, module: &str, session: &str) -> CoreResult<()> {
        let overview = self.portal_overview(portal).await?;
        let held = overview
            .modules
            .iter()
            .filter(|m| m.module.number == module)
            .any(|m| m.sessions.iter().any(|s| s.id == session));
        if !held {
            return Err(CoreError::NotFound("There is no such session (it may have ended already)".into()));
        }
        let action = FloatingAction::CheckIn.as_str();
        let params = ValidationParameters {
            modules: vec![ModuleParameters::new(module).with("sessionId", session).with("action", action)],
            ..ValidationParameters::default()
        };
        self.validate(&portal.caller(), &portal.licensee, &params).await?;
        Ok(())
    }

    /// A SHOP token for the portal's licensee (its `shopURL` is the renewal link); the shop returns to the
    /// portal (`successURL` and `cancelURL` are the portal token's `customerPortalURL`).
    pub async fn portal_shop_token(&self, portal: &Portal) -> CoreResult<Token> {
        let mut form = Form::new();
        form.push("tokenType", TokenType::Shop.as_str()).push("licenseeNumber", portal.licensee.as_str());
        if let Some(back) = &portal.token.token.customer_portal_url {
            form.push("successURL", back.as_str()).push("successURLTitle", "Back to your licenses");
            form.push("cancelURL", back.as_str()).push("cancelURLTitle", "Back to your licenses");
        }
        self.create_token(&portal.caller(), &form).await
    }
}

#[cfg(test)]
#[path = "portal_tests.rs"]
mod tests;
