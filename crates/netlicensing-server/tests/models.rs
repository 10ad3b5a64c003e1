//! Every licensing model over HTTP, in XML and JSON, on every backend: what `licensee/{n}/validate` answers
//! (validity, expiry, warning levels, lists), the changes validation makes to licenses, and that a dry run gives
//! the same answer but makes none.
//!
//! Forms and paths are written with `~` for the format's suffix (`P~` is `P-Xml` or `P-Json`), so both formats
//! build their own catalogue on one server. A module's result is compared as one line: its properties in wire
//! order (without number, name and model, which are checked apart) and its lists in brackets.

use chrono::{DateTime, Duration, SecondsFormat, Utc};
use netlicensing_model::{Format, Item, info::ErrorId};

use crate::common::{Answer, Api, TestServer};

/// One format's catalogue on the server.
struct Shop<'a> {
    api: Api<'a>,
    suffix: String,
    model: &'static str,
}

impl<'a> Shop<'a> {
    fn new(server: &'a TestServer, format: Format, model: &'static str) -> Self {
        Self { api: Api::demo(server, format), suffix: format!("-{format:?}"), model }
    }

    /// A text with `~` replaced by the format's suffix.
    fn fill(&self, text: &str) -> String {
        text.replace('~', &self.suffix)
    }

    /// POSTs a form that must succeed; returns the item.
    async fn create(&self, path: &str, form: &str) -> Item {
        let answer = self.api.post(&self.fill(path), &self.fill(form)).await;
        assert_eq!(answer.status, 200, "POST {path} {form}: {:?}", answer.doc);
        answer.doc.items().first().cloned().expect("an item")
    }

    /// Validates a licensee; the answer must be 200.
    async fn validate(&self, licensee: &str, form: &str) -> Answer {
        let answer = self.api.post(&self.fill(&format!("licensee/{licensee}/validate")), &self.fill(form)).await;
        assert_eq!(answer.status, 200, "validate {licensee} {form}: {:?}", answer.doc);
        answer
    }

    /// The result of one module in an answer, checked to be of the shop's model.
    fn module(&self, answer: &Answer, module: &str) -> Item {
        let number = self.fill(module);
        let item = answer
            .doc
            .items()
            .iter()
            .find(|i| i.property("productModuleNumber") == Some(number.as_str()))
            .unwrap_or_else(|| panic!("no result for {number}: {:?}", answer.doc))
            .clone();
        assert_eq!(item.ty, "ProductModuleValidation");
        assert_eq!(item.property("licensingModel"), Some(self.model), "{item:?}");
        item
    }

    /// Validates a licensee and returns the result of one module.
    async fn result(&self, licensee: &str, form: &str, module: &str) -> Item {
        let answer = self.validate(licensee, form).await;
        self.module(&answer, module)
    }

    /// Asserts the line of a module's result, with `~` filled in the expectation.
    fn assert_line(&self, item: &Item, expected: &str) {
        assert_eq!(line(item), self.fill(expected), "{:?}", self.api.format);
    }

    /// The licensee's licenses, oldest first.
    async fn licenses(&self, licensee: &str) -> Vec<Item> {
        let answer = self.api.get(&self.fill(&format!("license?filter=licenseeNumber%3D{licensee}"))).await;
        assert_eq!(answer.status, 200, "{:?}", answer.doc);
        answer.doc.items().to_vec()
    }

    /// One license of the licensee, by number.
    async fn license(&self, licensee: &str, number: &str) -> Item {
        let number = self.fill(number);
        let licenses = self.licenses(licensee).await;
        licenses.into_iter().find(|l| l.property("number") == Some(number.as_str())).expect("the license")
    }
}

/// A module result as one line: `valid=… <model properties> warningLevel=… [LIST k=v …] …`.
fn line(item: &Item) -> String {
    let common = ["productModuleNumber", "productModuleName", "licensingModel"];
    let mut parts: Vec<String> = item
        .properties
        .iter()
        .filter(|p| !common.contains(&p.name.as_str()))
        .map(|p| format!("{}={}", p.name, p.value))
        .collect();
    for list in &item.lists {
        let inner: Vec<String> = list.properties.iter().map(|p| format!("{}={}", p.name, p.value)).collect();
        parts.push(format!("[{} {}]", list.name, inner.join(" ")));
    }
    parts.join(" ")
}

/// The properties of an item whose names start with a prefix, as sorted `name=value`.
fn properties_with(item: &Item, prefix: &str) -> Vec<String> {
    let mut found: Vec<String> = item
        .properties
        .iter()
        .filter(|p| p.name.starts_with(prefix))
        .map(|p| format!("{}={}", p.name, p.value))
        .collect();
    found.sort();
    found
}

/// Whole seconds `days` days before now.
fn days_ago(days: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(Utc::now().timestamp(), 0).expect("a moment") - Duration::days(days)
}

/// A moment as a request parameter: `2024-01-01T00:00:00Z`.
fn input(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// A moment as the server writes it: `2024-01-01T00:00:00.000Z`.
fn wire(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

fn parse(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text).unwrap_or_else(|e| panic!("{text}: {e}")).with_timezone(&Utc)
}

/// Asserts a wire timestamp within `[from, to]` (the server writes milliseconds: 1 ms of slack below).
fn assert_within(text: &str, from: DateTime<Utc>, to: DateTime<Utc>) {
    let at = parse(text);
    assert!(from - Duration::milliseconds(1) <= at && at <= to, "{text} not within {from} .. {to}");
}

async fn try_and_buy(server: &TestServer, format: Format) {
    let s = &Shop::new(server, format, "TryAndBuy");
    s.create("product", "number=PT~&name=T&licenseeAutoCreate=true").await;
    s.create("productmodule", "number=MT~&productNumber=PT~&name=Trial&licensingModel=TryAndBuy").await;
    s.create(
        "licensetemplate",
        "number=ET~&productModuleNumber=MT~&name=Eval&licenseType=TIMEVOLUME&timeVolume=14&timeVolumePeriod=DAY\
         &automatic=true",
    )
    .await;
    s.create("licensetemplate", "number=EB~&productModuleNumber=MT~&name=Buy&licenseType=FEATURE").await;

    // A dry run for an unknown licensee answers with the evaluation it would start, and stores nothing.
    let before = Utc::now();
    let dry = s.result("IA~", "productNumber=PT~&dryRun=true", "MT~").await;
    let after = Utc::now();
    let expires = dry.property("evaluationExpires").expect("evaluationExpires").to_owned();
    assert_within(&expires, before + Duration::days(14), after + Duration::days(14));
    s.assert_line(&dry, &format!("valid=true evaluation=true evaluationExpires={expires} warningLevel=YELLOW"));
    s.api.get(&s.fill("licensee/IA~")).await.assert_error(404, ErrorId::NotFound);

    // The first validation creates the licensee and its evaluation license, starting now; later ones nothing.
    let before = Utc::now();
    let first = s.result("IA~", "productNumber=PT~", "MT~").await;
    let after = Utc::now();
    let licenses = s.licenses("IA~").await;
    assert_eq!(licenses.len(), 1, "{licenses:?}");
    assert_eq!(licenses[0].property("licenseTemplateNumber"), Some(s.fill("ET~").as_str()));
    let start = licenses[0].property("startDate").expect("startDate");
    assert_within(start, before, after);
    let evaluating = format!(
        "valid=true evaluation=true evaluationExpires={} warningLevel=YELLOW",
        wire(parse(start) + Duration::days(14))
    );
    s.assert_line(&first, &evaluating);
    s.assert_line(&s.result("IA~", "", "MT~").await, &evaluating);
    assert_eq!(s.licenses("IA~").await.len(), 1, "the evaluation license is created once");

    // An existing licensee without the evaluation license: a dry run does not create it, validation does.
    s.create("licensee", "number=IC~&productNumber=PT~").await;
    let dry = s.result("IC~", "dryRun=true", "MT~").await;
    assert_eq!((dry.property("valid"), dry.property("evaluation")), (Some("true"), Some("true")));
    assert!(s.licenses("IC~").await.is_empty(), "a dry run creates no license");
    s.result("IC~", "", "MT~").await;
    assert_eq!(s.licenses("IC~").await.len(), 1);

    // An evaluation that started 20 days ago is over: RED until the feature is bought, then GREEN.
    s.create("licensee", "number=IB~&productNumber=PT~").await;
    let start = days_ago(20);
    s.create("license", &format!("licenseeNumber=IB~&licenseTemplateNumber=ET~&startDate={}", input(start))).await;
    let expired =
        format!("valid=false evaluation=true evaluationExpires={} warningLevel=RED", wire(start + Duration::days(14)));
    s.assert_line(&s.result("IB~", "", "MT~").await, &expired);
    s.assert_line(&s.result("IB~", "dryRun=true", "MT~").await, &expired);
    s.create("license", "licenseeNumber=IB~&licenseTemplateNumber=EB~").await;
    s.assert_line(&s.result("IB~", "", "MT~").await, "valid=true evaluation=false warningLevel=GREEN");
}

#[tokio::test]
async fn try_and_buy_evaluates_from_the_first_validation_until_expiry_or_purchase() {
    crate::each_backend_and_format!(try_and_buy);
}

async fn subscription(server: &TestServer, format: Format) {
    let s = &Shop::new(server, format, "Subscription");
    s.create("product", "number=PS~&name=S").await;
    s.create("productmodule", "number=MS~&productNumber=PS~&name=Sub&licensingModel=Subscription").await;
    s.create(
        "licensetemplate",
        "number=ES~&productModuleNumber=MS~&name=Days&licenseType=TIMEVOLUME&timeVolume=30&timeVolumePeriod=DAY",
    )
    .await;
    let subscribe = move |licensee: &'static str, start: DateTime<Utc>, extra: &'static str| async move {
        s.create(
            "license",
            &format!("licenseeNumber={licensee}&licenseTemplateNumber=ES~&startDate={}{extra}", input(start)),
        )
        .await;
    };

    // 5 of 30 days used: GREEN; 25 of 30 (83 %): YELLOW; 31: expired, RED.
    s.create("licensee", "number=IG~&productNumber=PS~").await;
    let start = days_ago(5);
    subscribe("IG~", start, "").await;
    let expected = format!("valid=true expires={} warningLevel=GREEN", wire(start + Duration::days(30)));
    s.assert_line(&s.result("IG~", "", "MS~").await, &expected);
    s.assert_line(&s.result("IG~", "dryRun=true", "MS~").await, &expected);

    s.create("licensee", "number=IY~&productNumber=PS~").await;
    let start = days_ago(25);
    subscribe("IY~", start, "").await;
    let expected = format!("valid=true expires={} warningLevel=YELLOW", wire(start + Duration::days(30)));
    s.assert_line(&s.result("IY~", "", "MS~").await, &expected);

    s.create("licensee", "number=IR~&productNumber=PS~").await;
    s.assert_line(&s.result("IR~", "", "MS~").await, "valid=false warningLevel=RED");
    subscribe("IR~", days_ago(31), "").await;
    s.assert_line(&s.result("IR~", "", "MS~").await, "valid=false warningLevel=RED");
    subscribe("IR~", days_ago(1), "&active=false").await;
    s.assert_line(&s.result("IR~", "", "MS~").await, "valid=false warningLevel=RED");

    // A renewal bought before expiry chains on: 60 days from the first start, 25 of them used (GREEN).
    s.create("licensee", "number=IC~&productNumber=PS~").await;
    let start = days_ago(25);
    subscribe("IC~", start, "").await;
    subscribe("IC~", days_ago(10), "").await;
    let expected = format!("valid=true expires={} warningLevel=GREEN", wire(start + Duration::days(60)));
    s.assert_line(&s.result("IC~", "", "MS~").await, &expected);
}

#[tokio::test]
async fn subscription_chains_renewals_and_warns_towards_expiry() {
    crate::each_backend_and_format!(subscription);
}

async fn rental(server: &TestServer, format: Format) {
    let s = &Shop::new(server, format, "Rental");
    s.create("product", "number=PR~&name=R").await;
    s.create(
        "productmodule",
        "number=MR~&productNumber=PR~&name=Rent&licensingModel=Rental&yellowThreshold=10&redThreshold=3",
    )
    .await;
    s.create("licensetemplate", "number=EF~&productModuleNumber=MR~&name=Car&licenseType=FEATURE").await;
    s.create(
        "licensetemplate",
        "number=EV~&productModuleNumber=MR~&name=Month&licenseType=TIMEVOLUME&timeVolume=30&timeVolumePeriod=DAY",
    )
    .await;
    let feature = move |licensee: &'static str, number: &'static str| async move {
        s.create("license", &format!("number={number}&licenseeNumber={licensee}&licenseTemplateNumber=EF~")).await;
    };
    let rent = move |licensee: &'static str, parent: &'static str, start: DateTime<Utc>| async move {
        s.create(
            "license",
            &format!(
                "licenseeNumber={licensee}&licenseTemplateNumber=EV~&parentFeature={parent}&startDate={}",
                input(start)
            ),
        )
        .await;
    };

    // Days left: 25 (> 10: green), 5 (> 3: yellow), 2 (red, still valid), none (expired: red); module: the worst.
    s.create("licensee", "number=IR~&productNumber=PR~").await;
    for number in ["FA~", "FB~", "FC~", "FD~"] {
        feature("IR~", number).await;
    }
    let (a, b, c) = (days_ago(5), days_ago(25), days_ago(28));
    rent("IR~", "FA~", a).await;
    rent("IR~", "FB~", b).await;
    rent("IR~", "FC~", c).await;
    rent("IR~", "FD~", days_ago(31)).await;
    let ends = |start: DateTime<Utc>| wire(start + Duration::days(30));
    s.assert_line(
        &s.result("IR~", "", "MR~").await,
        &format!(
            "warningLevel=RED [FA~ valid=true expires={} expirationWarningLevel=green] \
             [FB~ valid=true expires={} expirationWarningLevel=yellow] \
             [FC~ valid=true expires={} expirationWarningLevel=red] [FD~ valid=false expirationWarningLevel=red]",
            ends(a),
            ends(b),
            ends(c)
        ),
    );

    // One green feature: GREEN; a second one in its yellow days: YELLOW; renewed before expiry: GREEN again.
    s.create("licensee", "number=IK~&productNumber=PR~").await;
    feature("IK~", "FK~").await;
    s.assert_line(&s.result("IK~", "", "MR~").await, "warningLevel=RED [FK~ valid=false expirationWarningLevel=red]");
    let k = days_ago(5);
    rent("IK~", "FK~", k).await;
    let green_k = format!("[FK~ valid=true expires={} expirationWarningLevel=green]", ends(k));
    s.assert_line(&s.result("IK~", "", "MR~").await, &format!("warningLevel=GREEN {green_k}"));
    feature("IK~", "FL~").await;
    let l = days_ago(25);
    rent("IK~", "FL~", l).await;
    s.assert_line(
        &s.result("IK~", "", "MR~").await,
        &format!("warningLevel=YELLOW {green_k} [FL~ valid=true expires={} expirationWarningLevel=yellow]", ends(l)),
    );
    rent("IK~", "FL~", days_ago(1)).await;
    s.assert_line(
        &s.result("IK~", "", "MR~").await,
        &format!(
            "warningLevel=GREEN {green_k} [FL~ valid=true expires={} expirationWarningLevel=green]",
            wire(l + Duration::days(60))
        ),
    );
}

#[tokio::test]
async fn rental_reports_each_feature_with_its_expiry_and_warning_level() {
    crate::each_backend_and_format!(rental);
}

async fn floating(server: &TestServer, format: Format) {
    let s = &Shop::new(server, format, "Floating");
    s.create("product", "number=PF~&name=F").await;
    s.create(
        "productmodule",
        "number=MF~&productNumber=PF~&name=Seats&licensingModel=Floating&maxCheckoutValidity=600",
    )
    .await;
    s.create("licensetemplate", "number=EF~&productModuleNumber=MF~&name=Two&licenseType=FLOATING&maxSessions=2").await;
    s.create("licensee", "number=IF~&productNumber=PF~").await;
    // The license holds a session that expired long ago: it does not count, and goes with the next action.
    s.create(
        "license",
        "number=LF~&licenseeNumber=IF~&licenseTemplateNumber=EF~&sessionId_old=2020-01-01T00:00:00.000Z",
    )
    .await;
    let sessions = move || async move { properties_with(&s.license("IF~", "LF~").await, "sessionId_") };
    let old = ["sessionId_old=2020-01-01T00:00:00.000Z"];
    assert_eq!(sessions().await, old);
    s.assert_line(&s.result("IF~", "", "MF~").await, "valid=true warningLevel=GREEN");

    // Check-out, as a dry run (nothing stored) and for real (stored with its expiry).
    let out =
        |session: &str, extra: &str| format!("productModuleNumber0=MF~&sessionId0={session}&action0=checkOut{extra}");
    let before = Utc::now();
    let dry = s.result("IF~", &out("s1", "&dryRun=true"), "MF~").await;
    let expiry = dry.property("expirationTimestamp").expect("expirationTimestamp").to_owned();
    assert_within(&expiry, before + Duration::seconds(600), Utc::now() + Duration::seconds(600));
    s.assert_line(&dry, &format!("valid=true expirationTimestamp={expiry} warningLevel=GREEN"));
    assert_eq!(sessions().await, old, "a dry run checks nothing out");

    let before = Utc::now();
    let first = s.result("IF~", &out("s1", ""), "MF~").await;
    let expiry_s1 = first.property("expirationTimestamp").expect("expirationTimestamp").to_owned();
    assert_within(&expiry_s1, before + Duration::seconds(600), Utc::now() + Duration::seconds(600));
    s.assert_line(&first, &format!("valid=true expirationTimestamp={expiry_s1} warningLevel=GREEN"));
    assert_eq!(sessions().await, [format!("sessionId_s1={expiry_s1}")], "stored; the expired session is gone");

    // The request may shorten the validity; the pool of 2 is then full (YELLOW) and refuses a third session.
    let before = Utc::now();
    let second = s.result("IF~", &out("s2", "&maxCheckoutValidity0=60"), "MF~").await;
    let expiry_s2 = second.property("expirationTimestamp").expect("expirationTimestamp").to_owned();
    assert_within(&expiry_s2, before + Duration::seconds(60), Utc::now() + Duration::seconds(60));
    s.assert_line(&second, &format!("valid=true expirationTimestamp={expiry_s2} warningLevel=YELLOW"));
    s.assert_line(&s.result("IF~", &out("s3", ""), "MF~").await, "valid=false warningLevel=YELLOW");
    let held = [format!("sessionId_s1={expiry_s1}"), format!("sessionId_s2={expiry_s2}")];
    assert_eq!(sessions().await, held);

    // A session already held is extended, even with the pool full.
    let before = Utc::now();
    let again = s.result("IF~", &out("s1", "&maxCheckoutValidity0=120"), "MF~").await;
    let expiry_s1 = again.property("expirationTimestamp").expect("expirationTimestamp").to_owned();
    assert_within(&expiry_s1, before + Duration::seconds(120), Utc::now() + Duration::seconds(120));
    s.assert_line(&again, &format!("valid=true expirationTimestamp={expiry_s1} warningLevel=YELLOW"));
    let held = [format!("sessionId_s1={expiry_s1}"), format!("sessionId_s2={expiry_s2}")];
    assert_eq!(sessions().await, held);

    // Check-in answers valid=false; as a dry run it keeps the session, for real it frees a seat.
    let check_in = "productModuleNumber0=MF~&sessionId0=s1&action0=checkIn";
    s.assert_line(&s.result("IF~", &format!("{check_in}&dryRun=true"), "MF~").await, "valid=false warningLevel=GREEN");
    assert_eq!(sessions().await, held, "a dry run checks nothing in");
    s.assert_line(&s.result("IF~", check_in, "MF~").await, "valid=false warningLevel=GREEN");
    assert_eq!(sessions().await, [format!("sessionId_s2={expiry_s2}")]);
    let third = s.result("IF~", &out("s3", ""), "MF~").await;
    assert_eq!((third.property("valid"), third.property("warningLevel")), (Some("true"), Some("YELLOW")));

    s.api
        .post(&s.fill("licensee/IF~/validate"), &s.fill("productModuleNumber0=MF~&sessionId0=s4&action0=borrow"))
        .await
        .assert_error(400, ErrorId::MalformedRequest);
    s.api
        .post(&s.fill("licensee/IF~/validate"), &s.fill("productModuleNumber0=MF~&action0=checkOut"))
        .await
        .assert_error(400, ErrorId::MalformedRequest);

    // A pool of 10 (the license's own maxSessions): GREEN below 8 seats, YELLOW from 8, RED when exhausted.
    s.create("licensee", "number=IT~&productNumber=PF~").await;
    s.create("license", "number=LT~&licenseeNumber=IT~&licenseTemplateNumber=EF~&maxSessions=10").await;
    for seat in 1..=11 {
        let answer = s.validate("IT~", &format!("productModuleNumber0=MF~&sessionId0=t{seat}&action0=checkOut")).await;
        let result = s.module(&answer, "MF~");
        let level = match seat {
            1..=7 => "GREEN",
            8 | 9 => "YELLOW",
            _ => "RED",
        };
        let valid = if seat <= 10 { "true" } else { "false" };
        assert_eq!((result.property("valid"), result.property("warningLevel")), (Some(valid), Some(level)), "{seat}");
        assert_eq!(result.property("expirationTimestamp").is_some(), seat <= 10, "{seat}");
    }
    assert_eq!(properties_with(&s.license("IT~", "LT~").await, "sessionId_").len(), 10);
}

#[tokio::test]
async fn floating_checks_sessions_out_and_in_until_the_pool_is_exhausted() {
    crate::each_backend_and_format!(floating);
}

async fn multi_feature(server: &TestServer, format: Format) {
    let s = &Shop::new(server, format, "MultiFeature");
    s.create("product", "number=PM~&name=M").await;
    s.create("productmodule", "number=MM~&productNumber=PM~&name=Features&licensingModel=MultiFeature").await;
    s.create("licensetemplate", "number=EL~&productModuleNumber=MM~&name=Lite&licenseType=FEATURE").await;
    s.create("licensetemplate", "number=EP~&productModuleNumber=MM~&name=Pro&licenseType=FEATURE").await;
    s.create(
        "licensetemplate",
        "number=EV~&productModuleNumber=MM~&name=Period&licenseType=TIMEVOLUME&timeVolume=1&timeVolumePeriod=DAY",
    )
    .await;
    s.create("licensee", "number=IM~&productNumber=PM~").await;

    // One list per FEATURE template (not the time-volume one); valid with an active license of it.
    let expect = |lite: bool, pro: bool| {
        format!("warningLevel=GREEN [EL~ valid={lite} featureName=Lite] [EP~ valid={pro} featureName=Pro]")
    };
    s.assert_line(&s.result("IM~", "", "MM~").await, &expect(false, false));
    s.create("license", "licenseeNumber=IM~&licenseTemplateNumber=EL~").await;
    s.assert_line(&s.result("IM~", "", "MM~").await, &expect(true, false));
    s.create("license", "number=LP~&licenseeNumber=IM~&licenseTemplateNumber=EP~&active=false").await;
    s.assert_line(&s.result("IM~", "dryRun=true", "MM~").await, &expect(true, false));
    s.create("license/LP~", "active=true").await;
    s.assert_line(&s.result("IM~", "", "MM~").await, &expect(true, true));
}

#[tokio::test]
async fn multi_feature_lists_every_feature_template() {
    crate::each_backend_and_format!(multi_feature);
}

async fn pay_per_use(server: &TestServer, format: Format) {
    let s = &Shop::new(server, format, "PayPerUse");
    s.create("product", "number=PU~&name=U").await;
    s.create("productmodule", "number=MU~&productNumber=PU~&name=Credits&licensingModel=PayPerUse").await;
    s.create("licensetemplate", "number=EU~&productModuleNumber=MU~&name=Pack&licenseType=QUANTITY&quantity=10").await;
    s.create("licensee", "number=IU~&productNumber=PU~").await;
    s.create("license", "number=LU~&licenseeNumber=IU~&licenseTemplateNumber=EU~").await;
    let used = move || async move { s.license("IU~", "LU~").await.property("usedQuantity").map(str::to_owned) };
    let ask = move |form: &'static str| async move {
        let answer = s.validate("IU~", form).await;
        (line(&s.module(&answer, "MU~")), answer)
    };
    let post = |amount: u32| format!("productModuleNumber0=MU~&usedQuantity0={amount}");
    let reserve = |amount: u32| format!("productModuleNumber0=MU~&reserveQuantity0={amount}");

    assert_eq!(ask("").await.0, "valid=true remainingQuantity=10 warningLevel=GREEN");
    // A dry run answers what the write-off would leave, and writes nothing off.
    let (dry, _) = ask("productModuleNumber0=MU~&usedQuantity0=3&dryRun=true").await;
    assert_eq!(dry, "valid=true remainingQuantity=7 warningLevel=GREEN");
    assert_eq!(used().await, None);
    assert_eq!(ask("").await.0, "valid=true remainingQuantity=10 warningLevel=GREEN");

    // Post-paid use and a pre-paid reservation are written off; 8 of 10 used is YELLOW.
    let answer = s.validate("IU~", &post(3)).await;
    s.assert_line(&s.module(&answer, "MU~"), "valid=true remainingQuantity=7 warningLevel=GREEN");
    assert!(answer.doc.infos.is_empty(), "{:?}", answer.doc.infos);
    assert_eq!(used().await.as_deref(), Some("3"));
    s.assert_line(&s.result("IU~", &reserve(5), "MU~").await, "valid=true remainingQuantity=2 warningLevel=YELLOW");
    assert_eq!(used().await.as_deref(), Some("8"));

    // A reservation beyond what remains is refused and changes nothing; a dry one leaves nothing either.
    s.assert_line(&s.result("IU~", &reserve(3), "MU~").await, "valid=false remainingQuantity=2 warningLevel=YELLOW");
    assert_eq!(used().await.as_deref(), Some("8"));
    let dry = s.result("IU~", &format!("{}&dryRun=true", reserve(2)), "MU~").await;
    s.assert_line(&dry, "valid=true remainingQuantity=0 warningLevel=RED");
    assert_eq!(used().await.as_deref(), Some("8"));

    // Post-paid use beyond what remains is still written off, with a warning.
    let answer = s.validate("IU~", &post(5)).await;
    s.assert_line(&s.module(&answer, "MU~"), "valid=false remainingQuantity=-3 warningLevel=RED");
    let warning = answer.doc.infos.iter().find(|i| i.id.as_deref() == Some("usedQuantityExceedsRemaining"));
    assert!(warning.is_some_and(|w| !w.value.is_empty()), "{:?}", answer.doc.infos);
    assert_eq!(used().await.as_deref(), Some("13"));
    assert_eq!(ask("").await.0, "valid=false remainingQuantity=-3 warningLevel=RED");
    s.api
        .post(&s.fill("licensee/IU~/validate"), &s.fill("productModuleNumber0=MU~&usedQuantity0=-1"))
        .await
        .assert_error(400, ErrorId::MalformedRequest);
    assert_eq!(used().await.as_deref(), Some("13"));

    // Credits are taken license by license, oldest first.
    s.create("licensee", "number=IV~&productNumber=PU~").await;
    s.create("license", "number=LV1~&licenseeNumber=IV~&licenseTemplateNumber=EU~&usedQuantity=8").await;
    s.create("license", "number=LV2~&licenseeNumber=IV~&licenseTemplateNumber=EU~").await;
    let answer = s.validate("IV~", "productModuleNumber0=MU~&reserveQuantity0=5").await;
    s.assert_line(&s.module(&answer, "MU~"), "valid=true remainingQuantity=7 warningLevel=GREEN");
    let taken: Vec<_> = s.licenses("IV~").await.iter().map(|l| l.property("usedQuantity").map(str::to_owned)).collect();
    assert_eq!(taken, [Some("10".to_owned()), Some("3".to_owned())]);
}

#[tokio::test]
async fn pay_per_use_writes_off_used_and_reserved_quantities() {
    crate::each_backend_and_format!(pay_per_use);
}

async fn quota(server: &TestServer, format: Format) {
    let s = &Shop::new(server, format, "Quota");
    s.create("product", "number=PQ~&name=Q").await;
    s.create("productmodule", "number=MQ~&productNumber=PQ~&name=Quota&licensingModel=Quota").await;
    s.create("licensetemplate", "number=EQ~&productModuleNumber=MQ~&name=Ten&licenseType=QUANTITY&quantity=10").await;
    s.create("licensee", "number=IQ~&productNumber=PQ~").await;
    let license = move |extra: &'static str| async move {
        s.create("license", &format!("licenseeNumber=IQ~&licenseTemplateNumber=EQ~{extra}")).await;
    };

    s.assert_line(&s.result("IQ~", "", "MQ~").await, "valid=false quota=0 warningLevel=RED");
    license("").await;
    s.assert_line(&s.result("IQ~", "", "MQ~").await, "valid=true quota=10 warningLevel=GREEN");
    license("&quantity=25").await;
    s.assert_line(&s.result("IQ~", "", "MQ~").await, "valid=true quota=35 warningLevel=GREEN");
    license("&quantity=100&active=false").await;
    s.assert_line(&s.result("IQ~", "", "MQ~").await, "valid=true quota=35 warningLevel=GREEN");
    license("&quantity=-1").await;
    s.assert_line(&s.result("IQ~", "", "MQ~").await, "valid=true quota=-1 warningLevel=GREEN");
}

#[tokio::test]
async fn quota_sums_the_quantities_of_active_licenses() {
    crate::each_backend_and_format!(quota);
}

async fn node_locked(server: &TestServer, format: Format) {
    let s = &Shop::new(server, format, "NodeLocked");
    s.create("product", "number=PN~&name=N").await;
    s.create(
        "productmodule",
        "number=MNP~&productNumber=PN~&name=Vendor&licensingModel=NodeLocked&nodeSecretMode=PREDEFINED",
    )
    .await;
    s.create(
        "productmodule",
        "number=MNC~&productNumber=PN~&name=Client&licensingModel=NodeLocked&nodeSecretMode=CLIENT",
    )
    .await;
    s.create("licensetemplate", "number=ENP~&productModuleNumber=MNP~&name=Two&licenseType=QUANTITY&quota=2").await;
    s.create("licensetemplate", "number=ENC~&productModuleNumber=MNC~&name=Two&licenseType=QUANTITY&quota=2").await;
    s.create("licensee", "number=IN~&productNumber=PN~").await;
    s.create("license", "number=LNP~&licenseeNumber=IN~&licenseTemplateNumber=ENP~&nodeSecret0=VENDOR-SECRET").await;
    s.create("license", "number=LNC~&licenseeNumber=IN~&licenseTemplateNumber=ENC~").await;
    let secrets =
        move |license: &'static str| async move { properties_with(&s.license("IN~", license).await, "nodeSecret") };
    let both = |vendor: &str, client: &str, extra: &str| {
        format!("productModuleNumber0=MNP~&nodeSecret0={vendor}&productModuleNumber1=MNC~&nodeSecret1={client}{extra}")
    };
    let check = |answer: &Answer, vendor: &str, client: &str| {
        s.assert_line(&s.module(answer, "MNP~"), vendor);
        s.assert_line(&s.module(answer, "MNC~"), client);
    };
    let vendor_secret = ["nodeSecret0=VENDOR-SECRET".to_owned()];

    // A dry run: PREDEFINED refuses an unknown secret; CLIENT would bind the new one, but stores nothing.
    let answer = s.validate("IN~", &both("other", "A", "&dryRun=true")).await;
    check(&answer, "valid=false warningLevel=GREEN", "valid=true warningLevel=GREEN");
    assert_eq!(secrets("LNC~").await, Vec::<String>::new());

    // For real: the vendor's secret matches; the client's first secret is bound to a node slot.
    let answer = s.validate("IN~", &both("VENDOR-SECRET", "A", "")).await;
    check(&answer, "valid=true warningLevel=GREEN", "valid=true warningLevel=GREEN");
    assert_eq!(secrets("LNC~").await, ["nodeSecret0=A"]);

    // PREDEFINED never stores a secret; CLIENT binds a second one (pool of 2 full: YELLOW).
    let answer = s.validate("IN~", &both("other", "B", "")).await;
    check(&answer, "valid=false warningLevel=GREEN", "valid=true warningLevel=YELLOW");
    assert_eq!(secrets("LNP~").await, vendor_secret);
    assert_eq!(secrets("LNC~").await, ["nodeSecret0=A", "nodeSecret1=B"]);

    // No room for a third node; known nodes stay valid. Without a secret, PREDEFINED is not valid.
    let answer = s.validate("IN~", "productModuleNumber0=MNC~&nodeSecret0=C").await;
    check(&answer, "valid=false warningLevel=GREEN", "valid=false warningLevel=YELLOW");
    assert_eq!(secrets("LNC~").await, ["nodeSecret0=A", "nodeSecret1=B"]);
    let answer = s.validate("IN~", &both("VENDOR-SECRET", "A", "")).await;
    check(&answer, "valid=true warningLevel=GREEN", "valid=true warningLevel=YELLOW");
    assert_eq!(secrets("LNP~").await, vendor_secret);
}

#[tokio::test]
async fn node_locked_matches_predefined_secrets_and_binds_client_secrets() {
    crate::each_backend_and_format!(node_locked);
}

const SKUDEF: &str = concat!(
    r#"{"skudef":[{"number":"REQ","name":"API Requests","type":"QUOTA"},"#,
    r#"{"number":"CONSOLE","name":"Admin Console","type":"FEATURE"}]}"#
);

async fn pricing_table(server: &TestServer, format: Format) {
    let s = &Shop::new(server, format, "PricingTable");
    s.create("product", "number=PP~&name=P&licenseeAutoCreate=true").await;
    s.create(
        "productmodule",
        &format!("number=MP~&productNumber=PP~&name=Plans&licensingModel=PricingTable&skudef={SKUDEF}"),
    )
    .await;
    s.create(
        "licensetemplate",
        concat!(
            "number=EFREE~&productModuleNumber=MP~&name=Free&licenseType=FEATURE&price=0&currency=EUR&automatic=true",
            r#"&skus={"REQ":"10","CONSOLE":false}"#
        ),
    )
    .await;
    s.create(
        "licensetemplate",
        concat!(
            "number=EPREM~&productModuleNumber=MP~&name=Premium&licenseType=TIMEVOLUME&timeVolume=30",
            r#"&timeVolumePeriod=DAY&price=99&currency=EUR&skus={"REQ":"1000","CONSOLE":true}"#
        ),
    )
    .await;
    let free = "valid=true pricingPlanId=EFREE~ pricingPlanName=Free pricingPlanType=FEATURE \
                activePricingPlans=EFREE~ warningLevel=GREEN \
                [REQ valid=true name=API Requests type=QUOTA quota=10] \
                [CONSOLE valid=false name=Admin Console type=FEATURE]";
    let premium = |start: DateTime<Utc>, level: &str| {
        format!(
            "valid=true pricingPlanId=EPREM~ pricingPlanName=Premium pricingPlanType=TIMEVOLUME \
             activePricingPlans=EFREE~,EPREM~ expires={} warningLevel={level} \
             [REQ valid=true name=API Requests type=QUOTA quota=1000] \
             [CONSOLE valid=true name=Admin Console type=FEATURE]",
            wire(start + Duration::days(30))
        )
    };
    let buy = move |licensee: &'static str, start: DateTime<Utc>| async move {
        s.create(
            "license",
            &format!("licenseeNumber={licensee}&licenseTemplateNumber=EPREM~&startDate={}", input(start)),
        )
        .await;
    };

    // The free plan is automatic: a dry run for an unknown licensee shows it, and creates nothing.
    s.assert_line(&s.result("IP~", "productNumber=PP~&dryRun=true", "MP~").await, free);
    s.api.get(&s.fill("licensee/IP~")).await.assert_error(404, ErrorId::NotFound);
    s.assert_line(&s.result("IP~", "productNumber=PP~", "MP~").await, free);
    assert_eq!(s.licenses("IP~").await.len(), 1);

    // Premium on top: the dearer plan is current, SKU values combine; late in its month YELLOW.
    let start = days_ago(5);
    buy("IP~", start).await;
    s.assert_line(&s.result("IP~", "", "MP~").await, &premium(start, "GREEN"));
    s.create("licensee", "number=IY~&productNumber=PP~").await;
    let start = days_ago(26);
    buy("IY~", start).await;
    s.assert_line(&s.result("IY~", "", "MP~").await, &premium(start, "YELLOW"));

    // An expired Premium falls back to Free; without any active plan: not valid, RED, every SKU off.
    s.create("licensee", "number=IX~&productNumber=PP~").await;
    buy("IX~", days_ago(31)).await;
    s.assert_line(&s.result("IX~", "", "MP~").await, free);
    let licenses = s.licenses("IX~").await;
    let free_license = licenses
        .iter()
        .find(|l| l.property("licenseTemplateNumber") == Some(s.fill("EFREE~").as_str()))
        .and_then(|l| l.property("number"))
        .expect("the automatic Free license");
    s.create(&format!("license/{free_license}"), "active=false").await;
    s.assert_line(
        &s.result("IX~", "", "MP~").await,
        "valid=false warningLevel=RED [REQ valid=false name=API Requests type=QUOTA quota=0] \
         [CONSOLE valid=false name=Admin Console type=FEATURE]",
    );
}

#[tokio::test]
async fn pricing_table_reports_the_current_plan_and_its_skus() {
    crate::each_backend_and_format!(pricing_table);
}

async fn pricing_table_equal_prices(server: &TestServer, format: Format) {
    let s = &Shop::new(server, format, "PricingTable");
    s.create("product", "number=PE~&name=P").await;
    s.create(
        "productmodule",
        &format!("number=ME~&productNumber=PE~&name=Plans&licensingModel=PricingTable&skudef={SKUDEF}"),
    )
    .await;
    s.create(
        "licensetemplate",
        concat!(
            "number=EFREE~&productModuleNumber=ME~&name=Free&licenseType=FEATURE&automatic=true",
            r#"&skus={"REQ":"10","CONSOLE":false}"#
        ),
    )
    .await;
    s.create(
        "licensetemplate",
        r#"number=EENT~&productModuleNumber=ME~&name=Enterprise&licenseType=FEATURE&skus={"REQ":-1,"CONSOLE":true}"#,
    )
    .await;
    s.create("licensee", "number=IE~&productNumber=PE~").await;
    let first = s.result("IE~", "", "ME~").await;
    assert_eq!(first.property("pricingPlanId"), Some(s.fill("EFREE~").as_str()));

    // Enterprise, as free as Free, is acquired after it: the plan acquired last is current.
    s.create("license", "licenseeNumber=IE~&licenseTemplateNumber=EENT~").await;
    s.assert_line(
        &s.result("IE~", "", "ME~").await,
        "valid=true pricingPlanId=EENT~ pricingPlanName=Enterprise pricingPlanType=FEATURE \
         activePricingPlans=EFREE~,EENT~ warningLevel=GREEN \
         [REQ valid=true name=API Requests type=QUOTA quota=-1] [CONSOLE valid=true name=Admin Console type=FEATURE]",
    );
}

#[tokio::test]
async fn pricing_table_prefers_the_plan_acquired_last_among_equal_prices() {
    crate::each_backend_and_format!(pricing_table_equal_prices);
}
