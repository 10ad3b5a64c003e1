//! Numbers the service generates when the vendor gives none: a kind prefix and eight upper-case letters or digits.

use crate::{
    caller::VendorId,
    error::{CoreError, CoreResult},
    record::{Kind, NewRecord, RecordId},
    repo::Tx,
};

const ALPHABET: &[u8; 36] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/// A random number for a kind, e.g. `PQVJQ5F7H`.
pub fn random_number(kind: Kind) -> CoreResult<String> {
    let mut out = String::with_capacity(9);
    out.push(kind.number_prefix());
    let mut filled = 0;
    while filled < 8 {
        let mut bytes = [0u8; 16];
        getrandom::fill(&mut bytes).map_err(CoreError::Random)?;
        // 252 = 7 × 36: rejecting larger bytes keeps every character equally likely.
        for byte in bytes.into_iter().filter(|b| *b < 252) {
            if filled == 8 {
                break;
            }
            out.push(ALPHABET[usize::from(byte % 36)] as char);
            filled += 1;
        }
    }
    Ok(out)
}

/// A generated number not yet used by the vendor for that kind.
pub async fn unused_number(tx: &mut dyn Tx, vendor: VendorId, kind: Kind) -> CoreResult<String> {
    for _ in 0..16 {
        let number = random_number(kind)?;
        if tx.get(vendor, kind, &number).await?.is_none() {
            return Ok(number);
        }
    }
    Err(CoreError::IllegalOperation("Could not generate an unused number".into()))
}

/// Inserts the record `build` makes for a generated number the vendor does not use yet for that kind, in
/// one statement where the store can (another number on the rare collision); returns the number and the id.
pub async fn insert_numbered(
    tx: &mut dyn Tx,
    vendor: VendorId,
    kind: Kind,
    build: &(dyn Fn(&str) -> NewRecord + Sync),
) -> CoreResult<(String, RecordId)> {
    for _ in 0..16 {
        let number = random_number(kind)?;
        if let Some(id) = tx.insert_unless_taken(vendor, kind, &build(&number)).await? {
            return Ok((number, id));
        }
    }
    Err(CoreError::IllegalOperation("Could not generate an unused number".into()))
}

/// A random version-4 UUID in lower-case hyphenated form (token numbers, API keys).
pub fn uuid_v4() -> CoreResult<String> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(CoreError::Random)?;
    Ok(uuid::Builder::from_random_bytes(bytes).into_uuid().hyphenated().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_numbers_have_the_service_shape() {
        let number = random_number(Kind::Product).unwrap();
        assert_eq!(number.len(), 9);
        assert!(number.starts_with('P'));
        assert!(number[1..].bytes().all(|b| ALPHABET.contains(&b)));
        assert_ne!(random_number(Kind::License).unwrap(), random_number(Kind::License).unwrap());
        let uuid = uuid_v4().unwrap();
        assert_eq!(uuid.len(), 36);
        assert_eq!(&uuid[14..15], "4");
        assert!(matches!(&uuid[19..20], "8" | "9" | "a" | "b"), "RFC 4122 variant: {uuid}");
        assert!(uuid.bytes().all(|b| b == b'-' || b.is_ascii_digit() || (b'a'..=b'f').contains(&b)), "{uuid}");
        assert_eq!([8, 13, 18, 23].map(|i| &uuid[i..i + 1]), ["-"; 4]);
    }
}
