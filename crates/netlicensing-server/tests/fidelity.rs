//! Wire fidelity (issue 13, items 1–7): what the official clients read and send, over HTTP.

use netlicensing_model::{Format, info::ErrorId};

use crate::common::{Api, TestServer};

/// A raw answer: status, headers and body text.
pub struct Raw {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: String,
}

/// Sends a request and returns the raw answer.
pub async fn raw(request: reqwest::RequestBuilder) -> Raw {
    let response = request.send().await.expect("request sent");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let body = response.text().await.expect("body read");
    Raw { status, headers, body }
}

/// A request of the demo vendor in the format.
pub fn demo_request(
    server: &TestServer,
    format: Format,
    method: reqwest::Method,
    path: &str,
) -> reqwest::RequestBuilder {
    reqwest::Client::new()
        .request(method, server.url(path))
        .basic_auth("demo", Some("demo"))
        .header("Accept", format.media_type())
}

/// The C++ client reads `ttl` at fixed positions (`YYYY-MM-DDTHH:MM:SS.mmmZ`): digits and separators in place.
fn assert_cpp_readable_ttl(ttl: &str) {
    assert_eq!(ttl.len(), 24, "ttl '{ttl}'");
    for (i, c) in ttl.chars().enumerate() {
        let expected = match i {
            4 | 7 => '-',
            10 => 'T',
            13 | 16 => ':',
            19 => '.',
            23 => 'Z',
            _ => {
                assert!(c.is_ascii_digit(), "ttl '{ttl}' position {i}");
                continue;
            }
        };
        assert_eq!(c, expected, "ttl '{ttl}' position {i}");
    }
}

async fn ttl_form(server: &TestServer, format: Format) {
    let api = Api::demo(server, format);
    let tag = format!("T{format:?}");
    api.post("product", &format!("number=P{tag}&name=T&licenseeAutoCreate=true")).await;
    api.post("productmodule", &format!("number=M{tag}&productNumber=P{tag}&name=F&licensingModel=MultiFeature")).await;
    let request = demo_request(server, format, reqwest::Method::POST, &format!("licensee/L{tag}/validate"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(format!("productNumber=P{tag}"));
    let answer = raw(request).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    let ttl = match format {
        Format::Json => {
            let json: serde_json::Value = serde_json::from_str(&answer.body).expect("JSON");
            json["ttl"].as_str().unwrap_or_else(|| panic!("ttl is a string: {}", json["ttl"])).to_owned()
        }
        Format::Xml => {
            let start = answer.body.find("ttl=\"").expect("a ttl attribute") + 5;
            answer.body[start..].split('"').next().unwrap_or_default().to_owned()
        }
    };
    assert_cpp_readable_ttl(&ttl);
    let decoded = api.post(&format!("licensee/L{tag}/validate"), &format!("productNumber=P{tag}")).await;
    assert!(decoded.doc.ttl.is_some_and(|t| t > chrono::Utc::now()), "the ttl reads back as a future instant");
}

#[tokio::test]
async fn ttl_is_an_iso_date_time_in_both_formats() {
    crate::each_backend_and_format!(ttl_form);
}

/// A product in a licensee-secret mode with a Try & Buy module and an automatic evaluation template.
async fn secret_product(api: &Api<'_>, product: &str, mode: &str) {
    let created = api
        .post("product", &format!("number={product}&name=S&licenseeAutoCreate=true&licenseeSecretMode={mode}"))
        .await;
    assert_eq!(created.status, 200, "{:?}", created.doc);
    api.post("productmodule", &format!("number=M{product}&productNumber={product}&name=T&licensingModel=TryAndBuy"))
        .await;
    api.post(
        "licensetemplate",
        &format!(
            "number=E{product}&productModuleNumber=M{product}&name=Eval&licenseType=TIMEVOLUME&timeVolume=14\
             &timeVolumePeriod=DAY&automatic=true"
        ),
    )
    .await;
}

/// Validates and returns (module valid, the mismatch error present).
async fn secret_validate(api: &Api<'_>, licensee: &str, form: &str) -> (Option<String>, bool) {
    let answer = api.post(&format!("licensee/{licensee}/validate"), form).await;
    assert_eq!(answer.status, 200, "{:?}", answer.doc);
    let mismatch = answer.doc.errors().any(|e| e.id.as_deref() == Some("licenseeSecretMismatch"));
    let valid = answer.doc.items().first().and_then(|i| i.property("valid")).map(str::to_owned);
    (valid, mismatch)
}

async fn licensee_secret(server: &TestServer, format: Format) {
    let api = Api::demo(server, format);
    let tag = format!("{format:?}");
    let ok = (Some("true".to_owned()), false);
    let mismatch = (Some("false".to_owned()), true);

    let predefined = format!("PSP{tag}");
    secret_product(&api, &predefined, "PREDEFINED").await;
    api.post("licensee", &format!("number=LP{tag}&productNumber={predefined}&licenseeSecret=s3cret")).await;
    assert_eq!(secret_validate(&api, &format!("LP{tag}"), "licenseeSecret=WRONG").await, mismatch);
    assert_eq!(secret_validate(&api, &format!("LP{tag}"), "").await, mismatch, "a secret is required");
    assert_eq!(secret_validate(&api, &format!("LP{tag}"), "licenseeSecret=s3cret").await, ok);

    let client = format!("PSC{tag}");
    secret_product(&api, &client, "CLIENT").await;
    let first = format!("productNumber={client}&licenseeSecret=A1");
    assert_eq!(secret_validate(&api, &format!("LC{tag}"), &first).await, ok, "the first secret binds");
    let stored = api.get(&format!("licensee/LC{tag}")).await;
    assert_eq!(stored.property("licenseeSecret"), Some("A1"));
    assert_eq!(secret_validate(&api, &format!("LC{tag}"), "licenseeSecret=B2").await, mismatch);
    assert_eq!(secret_validate(&api, &format!("LC{tag}"), "licenseeSecret=A1").await, ok);

    let disabled = format!("PSD{tag}");
    secret_product(&api, &disabled, "DISABLED").await;
    api.post("licensee", &format!("number=LD{tag}&productNumber={disabled}&licenseeSecret=s3cret")).await;
    assert_eq!(secret_validate(&api, &format!("LD{tag}"), "licenseeSecret=WRONG").await, ok, "ignored");
}

#[tokio::test]
async fn licensee_secret_is_enforced_in_both_formats() {
    crate::each_backend_and_format!(licensee_secret);
}

/// Serves the API over the test server's database with these CORS origins; returns its base URL and handle.
fn serve_with_origins(server: &TestServer, origins: &[&str]) -> (String, actix_web::dev::ServerHandle) {
    let store = std::sync::Arc::new(server.db.store());
    let state = netlicensing_server::state::AppState::new(store)
        .expect("state")
        .with_cors_origins(origins.iter().map(|o| o.to_string()).collect());
    let state = actix_web::web::Data::new(state);
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    let base = format!("http://{}", listener.local_addr().expect("bound"));
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            let running = netlicensing_server::start(state, listener, 1).expect("server starts");
            sender.send(running.handle()).ok();
            running.await.ok();
        })
    });
    (base, receiver.recv().expect("server handle"))
}

fn preflight(url: &str, origin: &str) -> reqwest::RequestBuilder {
    reqwest::Client::new()
        .request(reqwest::Method::OPTIONS, url)
        .header("Origin", origin)
        .header("Access-Control-Request-Method", "POST")
        .header("Access-Control-Request-Headers", "authorization,content-type")
}

/// A header of a raw answer.
pub fn header<'a>(answer: &'a Raw, name: &str) -> Option<&'a str> {
    answer.headers.get(name).map(|v| v.to_str().unwrap_or_default())
}

async fn cors(server: &TestServer, format: Format) {
    let origin = "https://app.example.com";
    let validate = server.url("licensee/I001-DEMO/validate");
    let answer = raw(preflight(&validate, origin)).await;
    assert!(answer.status == 200 || answer.status == 204, "preflight: {} {}", answer.status, answer.body);
    assert_eq!(header(&answer, "access-control-allow-origin"), Some("*"));
    assert!(header(&answer, "access-control-allow-methods").is_some_and(|m| m.contains("POST")));
    let allowed = header(&answer, "access-control-allow-headers").unwrap_or_default().to_ascii_lowercase();
    assert!(allowed.contains("authorization") && allowed.contains("content-type"), "{allowed}");
    assert_eq!(header(&answer, "access-control-allow-credentials"), None, "the API never uses cookies");

    let list = demo_request(server, format, reqwest::Method::GET, "product").header("Origin", origin);
    let answer = raw(list).await;
    assert_eq!((answer.status, header(&answer, "access-control-allow-origin")), (200, Some("*")));
    let unauthorized = reqwest::Client::new()
        .get(server.url("product"))
        .header("Accept", format.media_type())
        .header("Origin", origin);
    let answer = raw(unauthorized).await;
    assert_eq!(answer.status, 401);
    assert_eq!(header(&answer, "access-control-allow-origin"), Some("*"), "errors carry CORS headers too");
    assert!(header(&answer, "access-control-expose-headers").is_some_and(|h| h.contains("www-authenticate")));

    let health = raw(reqwest::Client::new().get(format!("{}/health", server.base)).header("Origin", origin)).await;
    assert_eq!((health.status, header(&health, "access-control-allow-origin")), (200, None), "outside the API");

    // A configured list: its origins only.
    let (base, handle) = serve_with_origins(server, &[origin, "http://localhost:3000"]);
    let url = format!("{base}{}/licensee/I001-DEMO/validate", netlicensing_model::api::BASE);
    let answer = raw(preflight(&url, "http://localhost:3000")).await;
    assert_eq!(header(&answer, "access-control-allow-origin"), Some("http://localhost:3000"));
    let answer = raw(preflight(&url, "https://evil.example")).await;
    assert_eq!(header(&answer, "access-control-allow-origin"), None, "not a configured origin");
    let foreign = reqwest::Client::new()
        .get(format!("{base}{}/product", netlicensing_model::api::BASE))
        .basic_auth("demo", Some("demo"))
        .header("Origin", "https://evil.example");
    let answer = raw(foreign).await;
    assert_eq!((answer.status, header(&answer, "access-control-allow-origin")), (200, None));
    handle.stop(false).await;

    // None: no CORS headers at all.
    let (base, handle) = serve_with_origins(server, &[]);
    let url = format!("{base}{}/product", netlicensing_model::api::BASE);
    let answer = raw(reqwest::Client::new().get(url).basic_auth("demo", Some("demo")).header("Origin", origin)).await;
    assert_eq!((answer.status, header(&answer, "access-control-allow-origin")), (200, None));
    handle.stop(false).await;
}

#[tokio::test]
async fn the_rest_api_answers_cross_origin_requests() {
    crate::each_backend_and_format!(cors);
}

/// The sources of the vendor's transactions for a licensee, in order, with their `inUse`.
async fn sources(api: &Api<'_>, licensee: &str) -> Vec<(String, String)> {
    let answer = api.get(&format!("transaction?filter=licenseeNumber%3D{licensee}")).await;
    assert_eq!(answer.status, 200, "{:?}", answer.doc);
    let property = |item: &netlicensing_model::Item, name: &str| item.property(name).unwrap_or_default().to_owned();
    answer.doc.items().iter().map(|t| (property(t, "source"), property(t, "inUse"))).collect()
}

async fn auto_transactions(server: &TestServer, format: Format) {
    let api = Api::demo(server, format);
    let tag = format!("{format:?}");
    api.post("product", &format!("number=PA{tag}&name=A&licenseeAutoCreate=true")).await;
    api.post("productmodule", &format!("number=MA{tag}&productNumber=PA{tag}&name=S&licensingModel=Subscription"))
        .await;
    api.post(
        "licensetemplate",
        &format!(
            "number=EA{tag}&productModuleNumber=MA{tag}&name=Month&licenseType=TIMEVOLUME&timeVolume=1\
             &timeVolumePeriod=MONTH&automatic=true"
        ),
    )
    .await;
    let owned = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
        pairs.iter().map(|(s, u)| ((*s).to_owned(), (*u).to_owned())).collect()
    };

    let licensee = format!("LA{tag}");
    assert_eq!(api.post("licensee", &format!("number={licensee}&productNumber=PA{tag}")).await.status, 200);
    assert_eq!(sources(&api, &licensee).await, owned(&[("AUTO_LICENSEE_CREATE", "false")]));
    let listed = api.get(&format!("transaction?filter=licenseeNumber%3D{licensee}")).await;
    let first = &listed.doc.items()[0];
    assert_eq!((first.property("status"), first.property("vendorNumber")), (Some("CLOSED"), Some("VDEMO")));
    let license = api.post("license", &format!("licenseeNumber={licensee}&licenseTemplateNumber=EA{tag}")).await;
    assert_eq!(license.status, 200, "{:?}", license.doc);
    let license = license.property("number").expect("a license number").to_owned();
    assert_eq!(api.post(&format!("license/{license}"), "name=Renamed").await.status, 200);
    assert_eq!(
        sources(&api, &licensee).await,
        owned(&[("AUTO_LICENSEE_CREATE", "false"), ("AUTO_LICENSE_CREATE", "true"), ("AUTO_LICENSE_UPDATE", "true")])
    );
    assert_eq!(api.delete(&format!("license/{license}")).await.status, 204);
    let after_delete = sources(&api, &licensee).await;
    assert_eq!(after_delete.last().map(|(s, _)| s.as_str()), Some("AUTO_LICENSE_DELETE"));

    let created = format!("LV{tag}");
    let validated = api.post(&format!("licensee/{created}/validate"), &format!("productNumber=PA{tag}")).await;
    assert_eq!(validated.status, 200);
    assert_eq!(sources(&api, &created).await, owned(&[("AUTO_LICENSEE_VALIDATE", "true")]), "joined to its license");
    let again = api.post(&format!("licensee/{created}/validate"), "").await;
    assert_eq!(again.status, 200);
    assert_eq!(sources(&api, &created).await.len(), 1, "a validation that creates nothing records nothing");
    assert_eq!(api.delete(&format!("licensee/{created}?forceCascade=true")).await.status, 204);
    let deleted = sources(&api, &created).await;
    assert_eq!(deleted.last().map(|(s, _)| s.as_str()), Some("AUTO_LICENSEE_DELETE"));

    let shop = api.post("transaction", &format!("number=TS{tag}&status=CLOSED&source=SHOP")).await;
    assert_eq!(shop.status, 200);
    let only = api.get("transaction?filter=shopOnly%3Dtrue%3Bitems%3D1000").await;
    assert!(!only.doc.items().is_empty(), "the SHOP transaction is listed");
    assert!(only.doc.items().iter().all(|t| t.property("source") == Some("SHOP")), "{:?}", only.doc);
    let all = api.get("transaction?filter=shopOnly%3Dfalse%3Bitems%3D1000").await;
    assert!(all.doc.items().len() > only.doc.items().len());
    api.get("transaction?filter=shopOnly%3Dmaybe").await.assert_error(400, ErrorId::MalformedRequest);
}

#[tokio::test]
async fn changes_to_licenses_are_recorded_by_transactions() {
    crate::each_backend_and_format!(auto_transactions);
}

async fn warning_level_summary(server: &TestServer, format: Format) {
    let api = Api::demo(server, format);
    let tag = format!("{format:?}");
    api.post("product", &format!("number=PW{tag}&name=W")).await;
    api.post("productmodule", &format!("number=MU{tag}&productNumber=PW{tag}&name=C&licensingModel=PayPerUse")).await;
    api.post("productmodule", &format!("number=MF{tag}&productNumber=PW{tag}&name=F&licensingModel=MultiFeature"))
        .await;
    api.post(
        "licensetemplate",
        &format!("number=EU{tag}&productModuleNumber=MU{tag}&name=P&licenseType=QUANTITY&quantity=10"),
    )
    .await;
    api.post("licensee", &format!("number=LW{tag}&productNumber=PW{tag}")).await;
    api.post("license", &format!("licenseeNumber=LW{tag}&licenseTemplateNumber=EU{tag}")).await;
    let summary = || async {
        let licensee = api.get(&format!("licensee/LW{tag}")).await;
        assert_eq!(licensee.status, 200);
        licensee.property("warningLevelSummary").map(|s| serde_json::from_str::<serde_json::Value>(s).expect("JSON"))
    };
    assert_eq!(summary().await, None, "no validation yet");
    let path = format!("licensee/LW{tag}/validate");
    assert_eq!(api.post(&path, "").await.status, 200);
    let green = serde_json::json!({"RED": [], "YELLOW": [], "GREEN": [format!("MU{tag}"), format!("MF{tag}")]});
    assert_eq!(summary().await, Some(green.clone()));
    let used = format!("productModuleNumber0=MU{tag}&usedQuantity0=8");
    assert_eq!(api.post(&path, &used).await.status, 200);
    let yellow = serde_json::json!({"RED": [], "YELLOW": [format!("MU{tag}")], "GREEN": [format!("MF{tag}")]});
    assert_eq!(summary().await, Some(yellow), "kept current as the level changes");
    let listed = api.get(&format!("licensee?filter=number%3DLW{tag}")).await;
    assert!(listed.doc.items()[0].property("warningLevelSummary").is_some_and(|s| s.contains("YELLOW")));
    api.post(&format!("licensee/LW{tag}"), "warningLevelSummary=%7B%7D&name=N").await;
    assert!(summary().await.is_some_and(|s| s["YELLOW"].as_array().is_some_and(|y| y.len() == 1)), "read-only");

    // A license changed: a dry run refreshes the level, as on the hosted service.
    api.post("license", &format!("licenseeNumber=LW{tag}&licenseTemplateNumber=EU{tag}")).await;
    assert_eq!(api.post(&path, "dryRun=true").await.status, 200);
    assert_eq!(summary().await, Some(green));
}

#[tokio::test]
async fn licensees_carry_the_warning_level_summary_of_their_last_validation() {
    crate::each_backend_and_format!(warning_level_summary);
}

/// Sets a vendor's validation TTL as an operator does: with the binary on SQLite, through the core otherwise.
async fn set_ttl(server: &TestServer, core: &netlicensing_core::Core, login: &str, ttl: &str) {
    if let Some(file) = server.db.sqlite_file() {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_netlicensing-server"))
            .args(["vendor", "ttl", "--login", login, "--validation-ttl", ttl])
            .arg(format!("--database-url=sqlite://{}", file.display()))
            .output()
            .expect("the binary runs");
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    } else {
        let parsed = netlicensing_core::service::vendor_settings::parse_ttl(ttl).expect("a TTL");
        core.set_validation_ttl(login, Some(parsed)).await.expect("TTL set");
    }
}

/// A new vendor (with the TTL setting, when given) with a product of a Multi-Feature module.
async fn ttl_vendor<'a>(
    server: &'a TestServer,
    core: &netlicensing_core::Core,
    format: Format,
    name: &str,
    ttl: Option<&str>,
) -> Api<'a> {
    let login = format!("{name}-{format:?}").to_lowercase();
    let store = core.store().as_ref();
    netlicensing_server::create_vendor(store, &login, "secret", &login.to_uppercase()).await.expect("vendor");
    if let Some(ttl) = ttl {
        set_ttl(server, core, &login, ttl).await;
    }
    let api = Api::login(server, format, &login, "secret");
    api.post("product", "number=P&name=T&licenseeAutoCreate=true").await;
    api.post("productmodule", "number=MF&productNumber=P&name=F&licensingModel=MultiFeature").await;
    api
}

async fn vendor_ttl(server: &TestServer, format: Format) {
    // One store beside the server's (on PostgreSQL each store keeps a listening connection).
    let core = netlicensing_core::Core::new(std::sync::Arc::new(server.db.store()));
    let core = &core;
    let ttl_of = |answer: &crate::common::Answer| {
        answer.doc.ttl.unwrap_or_else(|| panic!("{}: {:?}", answer.status, answer.doc)) - chrono::Utc::now()
    };
    let api = ttl_vendor(server, core, format, "ttl-default", None).await;
    let default = ttl_of(&api.post("licensee/L1/validate", "productNumber=P").await);
    assert!(default > chrono::Duration::hours(23) && default <= chrono::Duration::days(1), "{default}");

    let api = ttl_vendor(server, core, format, "ttl-five", Some("5m")).await;
    let five = ttl_of(&api.post("licensee/L1/validate", "productNumber=P").await);
    assert!(five > chrono::Duration::minutes(4) && five <= chrono::Duration::minutes(5), "{five}");

    // Still capped by the earliest expiry in the answer: a 14-day evaluation under a 30-day TTL.
    let api = ttl_vendor(server, core, format, "ttl-month", Some("30d")).await;
    let month = ttl_of(&api.post("licensee/L1/validate", "productNumber=P").await);
    assert!(month > chrono::Duration::days(29), "{month}");
    api.post("productmodule", "number=MT&productNumber=P&name=T&licensingModel=TryAndBuy").await;
    api.post(
        "licensetemplate",
        "number=ET&productModuleNumber=MT&name=Eval&licenseType=TIMEVOLUME&timeVolume=14&timeVolumePeriod=DAY\
         &automatic=true",
    )
    .await;
    let answer = api.post("licensee/L1/validate", "").await;
    let trial = answer.doc.items().iter().find(|i| i.property("productModuleNumber") == Some("MT")).expect("MT");
    let expires = trial.property("evaluationExpires").expect("evaluationExpires");
    let ttl = answer.doc.ttl.expect("a ttl");
    assert_eq!(netlicensing_model::types::timestamp::format(&ttl), expires);
}

#[tokio::test]
async fn the_validation_ttl_is_a_vendor_setting() {
    crate::each_backend_and_format!(vendor_ttl);
}

async fn pricing_table_render(server: &TestServer, format: Format) {
    let api = Api::demo(server, format);
    let tag = format!("{format:?}");
    api.post("product", &format!("number=PT{tag}&name=T")).await;
    let skudef = r#"{"skudef":[{"number":"USERS","name":"Team Members","type":"QUOTA"},{"number":"API","name":"API <Access>","type":"FEATURE"}]}"#;
    // The JSON holds no `&`, `=`, `+` or `%`: the form helper sends it as it is.
    let encode = |text: &str| text.to_owned();
    let module = api
        .post(
            "productmodule",
            &format!(
                "number=MT{tag}&productNumber=PT{tag}&name=Plans&licensingModel=PricingTable&skudef={}",
                encode(skudef)
            ),
        )
        .await;
    assert_eq!(module.status, 200, "{:?}", module.doc);
    for (number, extra, skus) in [
        ("FREE", "price=0&currency=EUR&description=Start+here", r#"{"USERS":"1","API":false}"#),
        ("PRO", "price=9.90&currency=EUR", r#"{"USERS":"-1","API":true}"#),
        ("SECRET", "hidden=true", r#"{"USERS":"5","API":true}"#),
    ] {
        let created = api
            .post(
                "licensetemplate",
                &format!(
                    "number={number}{tag}&productModuleNumber=MT{tag}&name={number}&licenseType=FEATURE&{extra}&skus={}",
                    encode(skus)
                ),
            )
            .await;
        assert_eq!(created.status, 200, "{:?}", created.doc);
    }
    let path = format!("licensingmodel/PricingTable/render?productModuleNumber=MT{tag}");
    let request = demo_request(server, format, reqwest::Method::GET, &path).header("Accept", "text/html");
    let answer = raw(request).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert!(header(&answer, "content-type").is_some_and(|c| c.starts_with("text/html")));
    let html = &answer.body;
    assert!(html.starts_with(r#"<div class="nlic-pricing-table">"#), "{html}");
    for needle in [
        "nlic-column-skus",
        r#"nlic-sku-quota nlic-sku-USERS"><span class="nlic-sku-description">Team Members</span>"#,
        "API &lt;Access&gt;",
        &format!("nlic-column-FREE{tag}"),
        &format!("nlic-column-PRO{tag}"),
        r#"<div class="nlic-plan-description">Start here</div>"#,
        r#"<div class="nlic-plan-price">9.90 EUR</div>"#,
        r#"<span class="nlic-sku-quota-item">Unlimited</span>"#,
        "nlic-sku-feature-value-enabled",
        "nlic-sku-feature-value-disabled",
    ] {
        assert!(html.contains(needle), "{needle} in {html}");
    }
    assert!(!html.contains("SECRET"), "hidden plans are not offered");

    api.get("licensingmodel/PricingTable/render").await.assert_error(400, ErrorId::MalformedRequest);
    api.get("licensingmodel/PricingTable/render?productModuleNumber=NOPE").await.assert_error(404, ErrorId::NotFound);
    api.post("productmodule", &format!("number=MX{tag}&productNumber=PT{tag}&name=X&licensingModel=MultiFeature"))
        .await;
    let other_model = api.get(&format!("licensingmodel/PricingTable/render?productModuleNumber=MX{tag}")).await;
    other_model.assert_error(400, ErrorId::IllegalOperation);
    Api::login(server, format, "other", "other").get(&path).await.assert_error(404, ErrorId::NotFound);
}

#[tokio::test]
async fn pricing_tables_render_as_html() {
    crate::each_backend_and_format!(pricing_table_render);
}
