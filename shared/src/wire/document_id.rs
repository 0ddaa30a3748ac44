//! automerge-repo's document id spelling, as the wire carries it: kept to strings here, and
//! parsed by the one parser there is, [`DocumentId`]'s `FromStr`.

use crate::model::{DocumentId, ID_LEN, ParseDocumentIdError};

/// Checks that `id` is a document id as automerge-repo writes them, saying why not.
pub(crate) fn check_document_id(id: &str) -> Result<(), String> {
    id.parse::<DocumentId>().map(|_| ()).map_err(|error| error.to_string())
}

/// Spells a document id that a peer sent as raw bytes.
pub(super) fn from_bytes(bytes: &[u8]) -> Result<String, String> {
    let bytes: [u8; ID_LEN] =
        bytes.try_into().map_err(|_| ParseDocumentIdError::Length(bytes.len()).to_string())?;
    Ok(DocumentId::from_bytes(bytes).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_ids_of_sixteen_bytes_only() {
        let id = from_bytes(&[7; 16]).unwrap();
        assert_eq!(check_document_id(&id), Ok(()));
        assert_eq!(from_bytes(&[7; 15]), Err("document id has 15 bytes, expected 16".into()));
        let short = bs58::encode([7; 15]).with_check().into_string();
        assert_eq!(check_document_id(&short), Err("document id has 15 bytes, expected 16".into()));
        // A typo breaks the checksum.
        let mut typo = id.clone();
        typo.replace_range(0..1, if id.starts_with('2') { "3" } else { "2" });
        assert!(check_document_id(&typo).is_err());
        assert!(check_document_id("not base58: 0OIl").is_err());
        assert!(check_document_id("").is_err());
    }
}
