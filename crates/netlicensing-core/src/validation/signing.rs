//! Signed validation answers, as the service makes them for API keys created with a `privateKey`: an enveloped
//! XML Signature (RSA-SHA1, Canonical XML 1.0 with comments, SHA-1 digest, no KeyInfo) as the first child of the
//! document. RSA PKCS#1 v1.5 is deterministic, so a signature can be checked byte for byte.

use base64::{Engine, engine::general_purpose::STANDARD};
use netlicensing_model::{
    Document,
    codec::{canonical_signed_info, canonical_xml},
    document::{Signature, SignatureReference},
};
use openssl::{
    hash::MessageDigest,
    pkey::{Id, PKey, Private},
    sign::Signer as OpenSslSigner,
};
use rsa::{
    RsaPublicKey,
    pkcs1v15::{Signature as RsaSignature, VerifyingKey},
    pkcs8::DecodePublicKey,
    signature::Verifier,
};
use sha1::{Digest, Sha1};
use thiserror::Error;

/// Canonical XML 1.0 with comments.
pub const C14N: &str = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments";
/// RSA with SHA-1.
pub const RSA_SHA1: &str = "http://www.w3.org/2000/09/xmldsig#rsa-sha1";
/// The enveloped-signature transform.
pub const ENVELOPED: &str = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";
/// SHA-1 digests.
pub const SHA1: &str = "http://www.w3.org/2000/09/xmldsig#sha1";

/// Why signing or verifying failed.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SigningError {
    /// The key is not a PKCS#8 (private) or SPKI (public) RSA key in PEM form.
    #[error("the key is not an RSA key in PEM form: {0}")]
    Key(String),
    /// The document carries no signature to verify.
    #[error("the document is not signed")]
    Unsigned,
}

/// A private key parsed once, ready to sign: reading PKCS#8 costs far more than one signature, so the server
/// keeps one per API key ([`crate::Core::signer_for`]). Signatures are made by OpenSSL (the implementation
/// `openssl speed` measures).
pub struct Signer {
    key: PKey<Private>,
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Signer(RSA-SHA1)")
    }
}

impl Signer {
    /// Parses a PKCS#8 PEM RSA private key (its BEGIN/END lines and line breaks are optional).
    pub fn from_pem(private_key_pem: &str) -> Result<Self, SigningError> {
        let text = pem(private_key_pem, "PRIVATE KEY");
        if !text.contains("-----BEGIN PRIVATE KEY-----") {
            return Err(SigningError::Key("not a PKCS#8 private key".into()));
        }
        let key = PKey::private_key_from_pem(text.as_bytes()).map_err(|e| SigningError::Key(e.to_string()))?;
        if key.id() != Id::RSA {
            return Err(SigningError::Key("not an RSA key".into()));
        }
        Ok(Self { key })
    }

    /// Signs a document (replacing any signature it had): CPU work of a fraction of a millisecond, no I/O.
    pub fn sign(&self, doc: &mut Document) -> Result<(), SigningError> {
        doc.signature = None;
        let digest = STANDARD.encode(Sha1::digest(canonical_xml(doc).as_bytes()));
        let mut signature = Signature {
            canonicalization_method: C14N.into(),
            signature_method: RSA_SHA1.into(),
            references: vec![SignatureReference {
                uri: String::new(),
                transforms: vec![ENVELOPED.into()],
                digest_method: SHA1.into(),
                digest_value: digest,
            }],
            signature_value: String::new(),
        };
        let failed = |e: openssl::error::ErrorStack| SigningError::Key(e.to_string());
        // PKCS#1 v1.5 is OpenSSL's default padding for RSA keys.
        let mut signer = OpenSslSigner::new(MessageDigest::sha1(), &self.key).map_err(failed)?;
        signer.update(canonical_signed_info(&signature).as_bytes()).map_err(failed)?;
        signature.signature_value = STANDARD.encode(signer.sign_to_vec().map_err(failed)?);
        doc.signature = Some(signature);
        Ok(())
    }
}

/// Signs a document with a PKCS#8 PEM private key (its BEGIN/END lines and line breaks are optional).
pub fn sign(doc: &mut Document, private_key_pem: &str) -> Result<(), SigningError> {
    Signer::from_pem(private_key_pem)?.sign(doc)
}

/// Checks a signed document against a public key in PEM form: the digest of its content and the signature of
/// its `SignedInfo`.
pub fn verify(doc: &Document, public_key_pem: &str) -> Result<bool, SigningError> {
    let signature = doc.signature.as_ref().ok_or(SigningError::Unsigned)?;
    let key = RsaPublicKey::from_public_key_pem(&pem(public_key_pem, "PUBLIC KEY"))
        .map_err(|e| SigningError::Key(e.to_string()))?;
    let mut content = doc.clone();
    content.signature = None;
    let digest = STANDARD.encode(Sha1::digest(canonical_xml(&content).as_bytes()));
    if signature.references.first().map(|r| r.digest_value.as_str()) != Some(digest.as_str()) {
        return Ok(false);
    }
    let Ok(bytes) = STANDARD.decode(signature.signature_value.trim()) else { return Ok(false) };
    let Ok(value) = RsaSignature::try_from(bytes.as_slice()) else { return Ok(false) };
    Ok(VerifyingKey::<Sha1>::new(key).verify(canonical_signed_info(signature).as_bytes(), &value).is_ok())
}

/// A PEM text with its BEGIN/END lines, adding them to a bare base64 body.
fn pem(text: &str, label: &str) -> String {
    if text.contains("-----BEGIN") {
        return text.trim().to_owned();
    }
    let body: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let lines: Vec<&str> = body.as_bytes().chunks(64).map(|c| std::str::from_utf8(c).unwrap_or_default()).collect();
    format!("-----BEGIN {label}-----\n{}\n-----END {label}-----\n", lines.join("\n"))
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use netlicensing_model::codec::from_xml;

    use super::*;

    fn corpus(name: &str) -> String {
        let dir = std::env::var("NETLICENSING_SHARED")
            .map(PathBuf::from)
            .unwrap_or_else(|_| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared")));
        std::fs::read_to_string(dir.join("corpus/xmldsig").join(name)).unwrap()
    }

    #[test]
    fn re_signing_the_capture_reproduces_its_signature_byte_for_byte() {
        let signed = from_xml(&corpus("Isb-DEMO.xml")).unwrap();
        let mut doc = signed.clone();
        sign(&mut doc, &corpus("rsa_private.pem")).unwrap();
        assert_eq!(doc.signature, signed.signature);
        let bare_key: String = corpus("rsa_private.pem").lines().filter(|l| !l.starts_with("-----")).collect();
        let mut again = signed.clone();
        sign(&mut again, &bare_key).unwrap();
        assert_eq!(again.signature, signed.signature, "BEGIN/END lines and line breaks are optional");
    }

    #[test]
    fn verification_catches_tampering_and_wrong_keys() {
        let public = corpus("rsa_public.pem");
        assert_eq!(verify(&from_xml(&corpus("Isb-DEMO.xml")).unwrap(), &public), Ok(true));
        assert_eq!(verify(&from_xml(&corpus("xml-signed-nlic-01.xml")).unwrap(), &public), Ok(true));
        assert_eq!(verify(&from_xml(&corpus("xml-signed-nlic-02-mismatch.xml")).unwrap(), &public), Ok(false));
        assert_eq!(verify(&from_xml(&corpus("Isb-DEMO.xml")).unwrap(), &corpus("rsa_public_wrong.pem")), Ok(false));
        let mut tampered = from_xml(&corpus("Isb-DEMO.xml")).unwrap();
        tampered.items.as_mut().unwrap().item[0].properties[1].value = "false".into();
        assert_eq!(verify(&tampered, &public), Ok(false));
        assert!(sign(&mut tampered, "not a key").is_err());
    }
}
