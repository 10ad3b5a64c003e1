//! Signed validation answers: an API key created with a `privateKey` gets XML validate answers carrying an
//! enveloped XML Signature, checked here by our verifier and by the independent `xmlsec1 --verify`.

use std::{path::PathBuf, process::Command};

use netlicensing_core::validation::signing::verify;
use netlicensing_model::{Format, codec::Form};

use crate::common::{Api, Backend, TestServer};

fn xmldsig(name: &str) -> PathBuf {
    let dir = std::env::var("NETLICENSING_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared")));
    dir.join("corpus/xmldsig").join(name)
}

/// `xmlsec1 --verify` of an XML text with the demo public key; `None` when xmlsec1 is not installed.
fn xmlsec1_verifies(xml: &str) -> Option<bool> {
    let available = Command::new("xmlsec1").arg("--version").output().is_ok_and(|o| o.status.success());
    if !available {
        assert!(std::env::var("CI").is_err(), "CI must install xmlsec1 (cargo xtask ci does)");
        return None;
    }
    let mut bytes = [0u8; 8];
    getrandom::fill(&mut bytes).unwrap();
    let file = std::env::temp_dir()
        .join(format!("signed-{}.xml", bytes.iter().map(|b| format!("{b:02x}")).collect::<String>()));
    std::fs::write(&file, xml).unwrap();
    let output = Command::new("xmlsec1")
        .arg("--verify")
        .arg("--pubkey-pem")
        .arg(xmldsig("rsa_public.pem"))
        .arg(&file)
        .output()
        .unwrap();
    std::fs::remove_file(&file).ok();
    Some(output.status.success())
}

#[tokio::test]
async fn api_keys_with_a_private_key_get_signed_xml_answers() {
    let private_key = std::fs::read_to_string(xmldsig("rsa_private.pem")).unwrap();
    let public_key = std::fs::read_to_string(xmldsig("rsa_public.pem")).unwrap();
    for backend in Backend::available() {
        let server = TestServer::start(backend).await;
        let vendor = Api::demo(&server, Format::Xml);
        vendor.post("product", "number=PS&name=Signed").await;
        vendor
            .post(
                "productmodule",
                "number=Msb&productNumber=PS&name=Module using \"Subscription\" & more&licensingModel=Subscription",
            )
            .await;
        vendor
            .post(
                "licensetemplate",
                "number=ES&productModuleNumber=Msb&name=Year&licenseType=TIMEVOLUME&timeVolume=1&timeVolumePeriod=YEAR",
            )
            .await;
        vendor.post("licensee", "number=IS&productNumber=PS").await;
        vendor.post("license", "licenseeNumber=IS&licenseTemplateNumber=ES&startDate=now").await;
        let mut form = Form::new();
        form.push("tokenType", "APIKEY").push("privateKey", private_key.as_str());
        let key = vendor.post("token", &form.encode()).await;
        assert_eq!(key.status, 200, "{:?}", key.doc);
        assert!(key.property("privateKey").is_none(), "the private key is never returned");
        let key = key.property("number").unwrap().to_owned();

        let client = reqwest::Client::new();
        let response = client
            .post(server.url("licensee/IS/validate"))
            .basic_auth("apiKey", Some(&key))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body("forOfflineUse=true")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 200);
        let xml = response.text().await.unwrap();
        let doc = Format::Xml.decode(xml.as_bytes()).unwrap();
        assert!(doc.signature.is_some(), "{xml}");
        assert_eq!(verify(&doc, &public_key), Ok(true), "{backend:?}: our verifier");
        if let Some(verified) = xmlsec1_verifies(&xml) {
            assert!(verified, "{backend:?}: xmlsec1 rejects {xml}");
            let tampered = xml.replacen("<ns2:property name=\"valid\">true<", "<ns2:property name=\"valid\">fals<", 1);
            assert_ne!(tampered, xml);
            assert_eq!(xmlsec1_verifies(&tampered), Some(false), "{backend:?}: a tampered answer must fail");
        }

        let json = Api::login(&server, Format::Json, "apiKey", &key).post("licensee/IS/validate", "").await;
        assert!(json.doc.signature.is_none(), "JSON answers are not signed");
        let login = vendor.post("licensee/IS/validate", "").await;
        assert!(login.doc.signature.is_none(), "answers to the vendor login are not signed");
        server.stop().await;
    }
}
