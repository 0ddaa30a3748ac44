//! Writing frames: definite-length maps with the JS library's field names, `type` first, byte
//! strings untagged (as automerge-repo's own encoder writes them), absent options left out.

use std::convert::Infallible;

use minicbor::Encoder;

use super::{Message, PeerMetadata};

type Result = std::result::Result<(), minicbor::encode::Error<Infallible>>;

pub(super) fn message(message: &Message) -> Vec<u8> {
    let mut e = Encoder::new(Vec::new());
    // Writing into a `Vec` cannot fail, and every value written here is a plain CBOR item, so
    // no encoding error can arise.
    write(&mut e, message).expect("encoding into memory cannot fail");
    e.into_writer()
}

fn write(e: &mut Encoder<Vec<u8>>, message: &Message) -> Result {
    match message {
        Message::Join { sender_id, supported_protocol_versions, peer_metadata } => {
            let len =
                2 + u64::from(supported_protocol_versions.is_some()) + u64::from(peer_metadata.is_some());
            head(e, len, message)?;
            e.str("senderId")?.str(sender_id)?;
            if let Some(versions) = supported_protocol_versions {
                e.str("supportedProtocolVersions")?;
                texts(e, versions)?;
            }
            if let Some(metadata) = peer_metadata {
                e.str("peerMetadata")?;
                write_metadata(e, metadata)?;
            }
        }
        Message::Peer { sender_id, target_id, selected_protocol_version, peer_metadata } => {
            head(e, 4 + u64::from(peer_metadata.is_some()), message)?;
            e.str("senderId")?.str(sender_id)?;
            e.str("targetId")?.str(target_id)?;
            e.str("selectedProtocolVersion")?.str(selected_protocol_version)?;
            if let Some(metadata) = peer_metadata {
                e.str("peerMetadata")?;
                write_metadata(e, metadata)?;
            }
        }
        Message::Leave { sender_id } => {
            head(e, 2, message)?;
            e.str("senderId")?.str(sender_id)?;
        }
        Message::Request { sender_id, target_id, document_id, data }
        | Message::Sync { sender_id, target_id, document_id, data } => {
            head(e, 5, message)?;
            e.str("senderId")?.str(sender_id)?;
            e.str("targetId")?.str(target_id)?;
            e.str("documentId")?.str(document_id)?;
            e.str("data")?.bytes(data)?;
        }
        Message::DocUnavailable { sender_id, target_id, document_id } => {
            head(e, 4, message)?;
            e.str("senderId")?.str(sender_id)?;
            e.str("targetId")?.str(target_id)?;
            e.str("documentId")?.str(document_id)?;
        }
        Message::Ephemeral { sender_id, target_id, document_id, session_id, count, data } => {
            head(e, 7, message)?;
            e.str("senderId")?.str(sender_id)?;
            e.str("targetId")?.str(target_id)?;
            e.str("documentId")?.str(document_id)?;
            e.str("sessionId")?.str(session_id)?;
            e.str("count")?.u64(*count)?;
            e.str("data")?.bytes(data)?;
        }
        Message::RemoteSubscriptionChange { sender_id, target_id, add, remove } => {
            head(e, 5, message)?;
            e.str("senderId")?.str(sender_id)?;
            e.str("targetId")?.str(target_id)?;
            e.str("add")?;
            texts(e, add)?;
            e.str("remove")?;
            texts(e, remove)?;
        }
        Message::RemoteHeadsChanged { sender_id, target_id, document_id, new_heads } => {
            head(e, 5, message)?;
            e.str("senderId")?.str(sender_id)?;
            e.str("targetId")?.str(target_id)?;
            e.str("documentId")?.str(document_id)?;
            e.str("newHeads")?.map(new_heads.len() as u64)?;
            for (storage_id, heads) in new_heads {
                e.str(storage_id)?.map(2)?;
                e.str("heads")?;
                texts(e, &heads.heads)?;
                e.str("timestamp")?.u64(heads.timestamp)?;
            }
        }
        Message::Error { sender_id, target_id, message: text } => {
            let len = 2 + u64::from(sender_id.is_some()) + u64::from(target_id.is_some());
            head(e, len, message)?;
            if let Some(sender_id) = sender_id {
                e.str("senderId")?.str(sender_id)?;
            }
            if let Some(target_id) = target_id {
                e.str("targetId")?.str(target_id)?;
            }
            e.str("message")?.str(text)?;
        }
    }
    Ok(())
}

/// Opens the map of `len` entries and writes its `type`.
fn head(e: &mut Encoder<Vec<u8>>, len: u64, message: &Message) -> Result {
    e.map(len)?.str("type")?.str(message.type_name())?;
    Ok(())
}

fn texts(e: &mut Encoder<Vec<u8>>, values: &[String]) -> Result {
    e.array(values.len() as u64)?;
    for value in values {
        e.str(value)?;
    }
    Ok(())
}

fn write_metadata(e: &mut Encoder<Vec<u8>>, metadata: &PeerMetadata) -> Result {
    e.map(1 + u64::from(metadata.storage_id.is_some()))?;
    if let Some(storage_id) = &metadata.storage_id {
        e.str("storageId")?.str(storage_id)?;
    }
    e.str("isEphemeral")?.bool(metadata.is_ephemeral)?;
    Ok(())
}
