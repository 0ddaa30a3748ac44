//! automerge-repo's document id spelling: 16 bytes in base58check (a 4-byte double-SHA-256
//! checksum, no version byte). Kept to strings here; `model` has the typed id.

const ID_LEN: usize = 16;

/// Checks that `id` is a document id as automerge-repo writes them, saying why not.
pub(crate) fn check_document_id(id: &str) -> Result<(), String> {
    let bytes = bs58::decode(id)
        .with_check(None)
        .into_vec()
        .map_err(|e| format!("not base58check: {}", e.to_string().to_lowercase()))?;
    if bytes.len() == ID_LEN { Ok(()) } else { Err(format!("{} bytes, expected {ID_LEN}", bytes.len())) }
}

/// Spells a document id that a peer sent as raw bytes.
pub(super) fn from_bytes(bytes: &[u8]) -> Result<String, String> {
    if bytes.len() == ID_LEN {
        Ok(bs58::encode(bytes).with_check().into_string())
    } else {
        Err(format!("{} bytes, expected {ID_LEN}", bytes.len()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_ids_of_sixteen_bytes_only() {
        let id = from_bytes(&[7; 16]).unwrap();
        assert_eq!(check_document_id(&id), Ok(()));
        assert!(from_bytes(&[7; 15]).is_err());
        let short = bs58::encode([7; 15]).with_check().into_string();
        assert_eq!(check_document_id(&short), Err("15 bytes, expected 16".into()));
        // A typo breaks the checksum.
        let mut typo = id.clone();
        typo.replace_range(0..1, if id.starts_with('2') { "3" } else { "2" });
        assert!(check_document_id(&typo).is_err());
        assert!(check_document_id("not base58: 0OIl").is_err());
        assert!(check_document_id("").is_err());
    }
}
