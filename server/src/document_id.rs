//! Document ids as samod takes them, parsed by the one parser there is: `quorum_shared`'s
//! `DocumentId` (automerge-repo's base58check of 16 bytes). samod's own `FromStr` would also
//! take a UUID spelling, which no Quorum client sends; one parser keeps the relay and the app
//! agreeing on what a document id is.

use quorum_shared::model::{DocumentId, ParseDocumentIdError};

/// Parses `text` as a document id and gives it as samod's type.
pub(crate) fn parse(text: &str) -> Result<samod::DocumentId, ParseDocumentIdError> {
    let id: DocumentId = text.parse()?;
    Ok(to_samod(id))
}

/// The same id as samod's type: both are 16 bytes, and samod takes any 16.
pub(crate) fn to_samod(id: DocumentId) -> samod::DocumentId {
    samod::DocumentId::try_from(id.as_bytes().to_vec()).expect("samod takes any 16 bytes as a document id")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_reads_as_samod_spells_it_and_anything_else_is_refused() {
        let id = DocumentId::from_bytes([7; 16]);
        assert_eq!(parse(&id.to_string()).unwrap().to_string(), id.to_string());
        assert!(parse("not-an-id").is_err());
        assert!(parse("6ba7b810-9dad-11d1-80b4-00c04fd430c8").is_err(), "a UUID is not a document id");
    }
}
