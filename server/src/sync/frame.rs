//! Just enough of automerge-repo's wire format to check a frame before samod sees it: the
//! message type, the sender and the document, read from the top-level CBOR map without copying
//! the sync data, and where that data lies (for the heads an outgoing sync message advertises).

use std::ops::Range;

use minicbor::{Decoder, data::Type};
use samod::DocumentId;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MessageKind {
    Join,
    Peer,
    Leave,
    Request,
    Sync,
    DocUnavailable,
    Ephemeral,
    Error,
    RemoteSubscriptionChange,
    RemoteHeadsChanged,
}

impl MessageKind {
    fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "join" => Self::Join,
            "peer" => Self::Peer,
            "leave" => Self::Leave,
            "request" => Self::Request,
            "sync" => Self::Sync,
            "doc-unavailable" => Self::DocUnavailable,
            "ephemeral" => Self::Ephemeral,
            "error" => Self::Error,
            "remote-subscription-change" => Self::RemoteSubscriptionChange,
            "remote-heads-changed" => Self::RemoteHeadsChanged,
            _ => return None,
        })
    }
}

#[derive(Debug, PartialEq, Eq)]
pub struct FrameHeader {
    pub kind: MessageKind,
    pub sender: Option<String>,
    pub document: Option<DocumentId>,
    /// Where the `data` bytes lie in the frame, if it has them.
    pub data: Option<Range<usize>>,
}

#[derive(Clone, Debug, thiserror::Error, PartialEq, Eq)]
pub enum FrameError {
    #[error("the frame is not a CBOR map of definite length")]
    NotAMap,
    #[error("the frame is not valid CBOR")]
    NotCbor,
    #[error("the message has no type")]
    MissingType,
    #[error("unknown message type {0:?}")]
    UnknownType(String),
    #[error("the message's documentId is not a document id")]
    BadDocumentId,
}

impl From<minicbor::decode::Error> for FrameError {
    fn from(_: minicbor::decode::Error) -> Self {
        FrameError::NotCbor
    }
}

/// Reads the type, sender and document of one protocol message.
pub fn parse_header(bytes: &[u8]) -> Result<FrameHeader, FrameError> {
    let mut decoder = Decoder::new(bytes);
    // Walk the whole item first, so that a frame that is not CBOR at all says so.
    decoder.clone().skip()?;
    if decoder.datatype()? != Type::Map {
        return Err(FrameError::NotAMap);
    }
    let len = decoder.map()?.ok_or(FrameError::NotAMap)?;
    let (mut kind, mut sender, mut document, mut data) = (None, None, None, None);
    for _ in 0..len {
        if decoder.datatype()? != Type::String {
            decoder.skip()?;
            decoder.skip()?;
            continue;
        }
        match decoder.str()? {
            "type" => {
                let name = decoder.str()?;
                kind =
                    Some(MessageKind::parse(name).ok_or_else(|| FrameError::UnknownType(name.to_owned()))?);
            }
            "senderId" => sender = Some(decoder.str()?.to_owned()),
            "documentId" => {
                let id = match decoder.datatype()? {
                    Type::String => {
                        crate::document_id::parse(decoder.str()?).map_err(|_| FrameError::BadDocumentId)?
                    }
                    Type::Bytes => {
                        let bytes = decoder.bytes()?.try_into().map_err(|_| FrameError::BadDocumentId)?;
                        crate::document_id::to_samod(quorum_shared::model::DocumentId::from_bytes(bytes))
                    }
                    _ => return Err(FrameError::BadDocumentId),
                };
                document = Some(id);
            }
            "data" if decoder.datatype()? == Type::Bytes => {
                let len = decoder.bytes()?.len();
                data = Some(decoder.position() - len..decoder.position());
            }
            _ => decoder.skip()?,
        }
    }
    Ok(FrameHeader { kind: kind.ok_or(FrameError::MissingType)?, sender, document, data })
}

/// The document and the heads of a `sync` or `request` message: the changes its sender says it
/// has. `None` for every other message, and for one that cannot be read.
pub fn sync_heads(bytes: &[u8]) -> Option<(DocumentId, Vec<automerge::ChangeHash>)> {
    let header = parse_header(bytes).ok()?;
    if !matches!(header.kind, MessageKind::Sync | MessageKind::Request) {
        return None;
    }
    let heads = crate::storage::sync_message_heads(bytes.get(header.data?)?)?;
    Some((header.document?, heads))
}

/// An `error` message telling the peer why the server is closing the connection.
pub fn error_frame(message: &str) -> Vec<u8> {
    let mut encoder = minicbor::Encoder::new(Vec::new());
    let written: Result<_, minicbor::encode::Error<std::convert::Infallible>> = (|| {
        encoder.map(2)?.str("type")?.str("error")?.str("message")?.str(message)?;
        Ok(())
    })();
    written.expect("encoding into a Vec cannot fail");
    encoder.into_writer()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encode(fields: &[(&str, &str)]) -> Vec<u8> {
        let mut encoder = minicbor::Encoder::new(Vec::new());
        encoder.map(fields.len() as u64 + 1).unwrap();
        for (key, value) in fields {
            encoder.str(key).unwrap().str(value).unwrap();
        }
        encoder.str("data").unwrap().bytes(&[1, 2, 3]).unwrap();
        encoder.into_writer()
    }

    #[test]
    fn reads_type_sender_and_document() {
        let doc = DocumentId::try_from(vec![7u8; 16]).unwrap();
        let frame = encode(&[("type", "sync"), ("senderId", "alice"), ("documentId", &doc.to_string())]);
        assert_eq!(
            parse_header(&frame),
            Ok(FrameHeader {
                kind: MessageKind::Sync,
                sender: Some("alice".into()),
                document: Some(doc),
                data: Some(frame.len() - 3..frame.len()),
            })
        );
    }

    #[test]
    fn refuses_what_is_not_a_protocol_message() {
        let cases: Vec<(Vec<u8>, FrameError)> = vec![
            (vec![], FrameError::NotCbor),
            (vec![0x1c, 0x00, 0x13], FrameError::NotCbor),
            (vec![0xff, 0x00, 0x13], FrameError::NotAMap),
            (vec![0x83, 1, 2, 3], FrameError::NotAMap),
            (vec![0xbf, 0xff], FrameError::NotAMap),
            (encode(&[("senderId", "a")]), FrameError::MissingType),
            (encode(&[("type", "teleport")]), FrameError::UnknownType("teleport".into())),
            (encode(&[("type", "sync"), ("documentId", "not-an-id")]), FrameError::BadDocumentId),
            (encode(&[("type", "sync")])[..5].to_vec(), FrameError::NotCbor),
        ];
        for (frame, expected) in cases {
            assert_eq!(parse_header(&frame), Err(expected), "frame {frame:02x?}");
        }
    }

    #[test]
    fn reads_the_heads_a_sync_message_advertises() {
        use automerge::{AutoCommit, ROOT, sync::SyncDoc, transaction::Transactable};
        let mut doc = AutoCommit::new();
        doc.put(ROOT, "policy", "draft").unwrap();
        let data = doc.sync().generate_sync_message(&mut automerge::sync::State::new()).unwrap().encode();
        let id = DocumentId::try_from(vec![7u8; 16]).unwrap();
        let frame = |kind: &str| {
            let mut encoder = minicbor::Encoder::new(Vec::new());
            encoder.map(3).unwrap();
            encoder.str("type").unwrap().str(kind).unwrap();
            encoder.str("documentId").unwrap().str(&id.to_string()).unwrap();
            encoder.str("data").unwrap().bytes(&data).unwrap();
            encoder.into_writer()
        };
        assert_eq!(sync_heads(&frame("sync")), Some((id.clone(), doc.get_heads())));
        assert_eq!(sync_heads(&frame("request")), Some((id.clone(), doc.get_heads())));
        assert_eq!(sync_heads(&frame("ephemeral")), None);
        assert_eq!(sync_heads(&error_frame("no")), None);
    }

    #[test]
    fn the_error_frame_is_a_readable_error_message() {
        let frame = error_frame("too many messages");
        assert_eq!(parse_header(&frame).unwrap().kind, MessageKind::Error);
    }
}
