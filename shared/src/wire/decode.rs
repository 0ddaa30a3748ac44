//! Reading frames. One pass over the top-level map fills a slot per known field (each field has
//! the same CBOR type in every message), then the `type` decides which slots are required.

use std::collections::BTreeMap;

use minicbor::Decoder;
use minicbor::data::{Tag, Type};

use super::{DecodeError, Message, PeerMetadata, RemoteHeads, document_id};

/// The CBOR tag that some encoders (cbor-x by default) put before a `Uint8Array`.
const TYPED_ARRAY_U8: u64 = 64;

/// JavaScript numbers are exact integers up to here; a float above it cannot be a count.
const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

pub(super) fn message(frame: &[u8]) -> Result<Message, DecodeError> {
    if frame.is_empty() {
        return Err(DecodeError::Empty);
    }
    let mut d = Decoder::new(frame);
    let found = datatype(&d)?;
    if !matches!(found, Type::Map | Type::MapIndef) {
        return Err(DecodeError::NotAMap { found: found.to_string() });
    }
    let fields = Fields::read(&mut d)?;
    let rest = frame.len() - d.position();
    if rest > 0 {
        return Err(DecodeError::TrailingBytes(rest));
    }
    fields.into_message()
}

/// The known fields of a message, each `None` while absent, `null` or `undefined`.
#[derive(Default)]
struct Fields {
    message_type: Option<String>,
    sender_id: Option<String>,
    target_id: Option<String>,
    document_id: Option<String>,
    data: Option<Vec<u8>>,
    session_id: Option<String>,
    count: Option<u64>,
    supported_protocol_versions: Option<Vec<String>>,
    selected_protocol_version: Option<String>,
    peer_metadata: Option<PeerMetadata>,
    message: Option<String>,
    add: Option<Vec<String>>,
    remove: Option<Vec<String>>,
    new_heads: Option<BTreeMap<String, RemoteHeads>>,
}

impl Fields {
    fn read(d: &mut Decoder<'_>) -> Result<Fields, DecodeError> {
        let mut f = Fields::default();
        for_each_entry(d, "message", |d, key| {
            match key {
                "type" => set(d, key, &mut f.message_type, text)?,
                "senderId" => set(d, key, &mut f.sender_id, text)?,
                "targetId" => set(d, key, &mut f.target_id, text)?,
                "documentId" => set(d, key, &mut f.document_id, document_id)?,
                "data" => set(d, key, &mut f.data, bytes)?,
                "sessionId" => set(d, key, &mut f.session_id, text)?,
                "count" => set(d, key, &mut f.count, count)?,
                "supportedProtocolVersions" => set(d, key, &mut f.supported_protocol_versions, texts)?,
                "selectedProtocolVersion" => set(d, key, &mut f.selected_protocol_version, text)?,
                // samod reads both spellings; the JS library writes `peerMetadata`.
                "peerMetadata" | "metadata" => set(d, key, &mut f.peer_metadata, peer_metadata)?,
                "message" => set(d, key, &mut f.message, text)?,
                "add" => set(d, key, &mut f.add, texts)?,
                "remove" => set(d, key, &mut f.remove, texts)?,
                "newHeads" => set(d, key, &mut f.new_heads, new_heads)?,
                _ => d.skip().map_err(cbor)?,
            }
            Ok(())
        })?;
        Ok(f)
    }

    fn into_message(self) -> Result<Message, DecodeError> {
        let message_type = self.message_type.ok_or(DecodeError::MissingType)?;
        let kind: &'static str = match message_type.as_str() {
            "join" => "join",
            "peer" => "peer",
            "leave" => "leave",
            "request" => "request",
            "sync" => "sync",
            "doc-unavailable" => "doc-unavailable",
            "ephemeral" => "ephemeral",
            "remote-subscription-change" => "remote-subscription-change",
            "remote-heads-changed" => "remote-heads-changed",
            "error" => "error",
            _ => return Err(DecodeError::UnknownType(message_type)),
        };
        let need = |value: Option<String>, field: &'static str| {
            value.ok_or(DecodeError::MissingField { message_type: kind, field })
        };
        let need_data = |value: Option<Vec<u8>>| {
            value.ok_or(DecodeError::MissingField { message_type: kind, field: "data" })
        };
        Ok(match kind {
            "join" => Message::Join {
                sender_id: need(self.sender_id, "senderId")?,
                supported_protocol_versions: self.supported_protocol_versions,
                peer_metadata: self.peer_metadata,
            },
            "peer" => Message::Peer {
                sender_id: need(self.sender_id, "senderId")?,
                target_id: need(self.target_id, "targetId")?,
                selected_protocol_version: need(self.selected_protocol_version, "selectedProtocolVersion")?,
                peer_metadata: self.peer_metadata,
            },
            "leave" => Message::Leave { sender_id: need(self.sender_id, "senderId")? },
            "request" => Message::Request {
                sender_id: need(self.sender_id, "senderId")?,
                target_id: need(self.target_id, "targetId")?,
                document_id: need(self.document_id, "documentId")?,
                data: need_data(self.data)?,
            },
            "sync" => Message::Sync {
                sender_id: need(self.sender_id, "senderId")?,
                target_id: need(self.target_id, "targetId")?,
                document_id: need(self.document_id, "documentId")?,
                data: need_data(self.data)?,
            },
            "doc-unavailable" => Message::DocUnavailable {
                sender_id: need(self.sender_id, "senderId")?,
                target_id: need(self.target_id, "targetId")?,
                document_id: need(self.document_id, "documentId")?,
            },
            "ephemeral" => Message::Ephemeral {
                sender_id: need(self.sender_id, "senderId")?,
                target_id: need(self.target_id, "targetId")?,
                document_id: need(self.document_id, "documentId")?,
                session_id: need(self.session_id, "sessionId")?,
                count: self.count.ok_or(DecodeError::MissingField { message_type: kind, field: "count" })?,
                data: need_data(self.data)?,
            },
            "remote-subscription-change" => Message::RemoteSubscriptionChange {
                sender_id: need(self.sender_id, "senderId")?,
                target_id: need(self.target_id, "targetId")?,
                add: self.add.unwrap_or_default(),
                remove: self.remove.unwrap_or_default(),
            },
            "remote-heads-changed" => Message::RemoteHeadsChanged {
                sender_id: need(self.sender_id, "senderId")?,
                target_id: need(self.target_id, "targetId")?,
                document_id: need(self.document_id, "documentId")?,
                new_heads: self
                    .new_heads
                    .ok_or(DecodeError::MissingField { message_type: kind, field: "newHeads" })?,
            },
            _ => Message::Error {
                sender_id: self.sender_id,
                target_id: self.target_id,
                message: need(self.message, "message")?,
            },
        })
    }
}

type Reader<T> = fn(&mut Decoder<'_>, &str) -> Result<T, DecodeError>;

/// Reads an optional field into its slot: `null` and `undefined` leave it empty, as JS writes
/// absent optional properties either way.
fn set<T>(d: &mut Decoder<'_>, key: &str, slot: &mut Option<T>, read: Reader<T>) -> Result<(), DecodeError> {
    if skip_absent(d)? {
        return Ok(());
    }
    let value = read(d, key)?;
    if slot.replace(value).is_some() {
        return Err(DecodeError::DuplicateField(key.to_owned()));
    }
    Ok(())
}

fn skip_absent(d: &mut Decoder<'_>) -> Result<bool, DecodeError> {
    match datatype(d)? {
        Type::Null => d.null().map_err(cbor)?,
        Type::Undefined => d.undefined().map_err(cbor)?,
        _ => return Ok(false),
    }
    Ok(true)
}

/// Calls `each` with every key of the map at the decoder, definite or indefinite in length.
fn for_each_entry(
    d: &mut Decoder<'_>,
    field: &str,
    mut each: impl FnMut(&mut Decoder<'_>, &str) -> Result<(), DecodeError>,
) -> Result<(), DecodeError> {
    expect(d, field, "map", &[Type::Map, Type::MapIndef])?;
    let len = d.map().map_err(cbor)?;
    let mut seen = 0u64;
    loop {
        match len {
            Some(n) if seen == n => break,
            None if datatype(d)? == Type::Break => {
                // The break byte ends an indefinite map; it is one byte long.
                d.set_position(d.position() + 1);
                break;
            }
            _ => {}
        }
        expect(d, "a map key", "text", &[Type::String])?;
        let key = d.str().map_err(cbor)?;
        each(d, key)?;
        seen += 1;
    }
    Ok(())
}

fn text(d: &mut Decoder<'_>, field: &str) -> Result<String, DecodeError> {
    expect(d, field, "text", &[Type::String])?;
    Ok(d.str().map_err(cbor)?.to_owned())
}

fn texts(d: &mut Decoder<'_>, field: &str) -> Result<Vec<String>, DecodeError> {
    expect(d, field, "array", &[Type::Array, Type::ArrayIndef])?;
    let len = d.array().map_err(cbor)?;
    let mut out = Vec::new();
    loop {
        match len {
            Some(n) if out.len() as u64 == n => break,
            None if datatype(d)? == Type::Break => {
                d.set_position(d.position() + 1);
                break;
            }
            _ => out.push(text(d, field)?),
        }
    }
    Ok(out)
}

fn bytes(d: &mut Decoder<'_>, field: &str) -> Result<Vec<u8>, DecodeError> {
    if datatype(d)? == Type::Tag {
        let tag = d.tag().map_err(cbor)?;
        if tag != Tag::new(TYPED_ARRAY_U8) {
            return Err(DecodeError::InvalidValue {
                field: field.to_owned(),
                reason: format!("unexpected tag {}", tag.as_u64()),
            });
        }
    }
    expect(d, field, "bytes", &[Type::Bytes])?;
    Ok(d.bytes().map_err(cbor)?.to_vec())
}

fn document_id(d: &mut Decoder<'_>, field: &str) -> Result<String, DecodeError> {
    let invalid = |reason| DecodeError::InvalidValue { field: field.to_owned(), reason };
    match datatype(d)? {
        Type::Bytes | Type::Tag => document_id::from_bytes(&bytes(d, field)?).map_err(invalid),
        _ => {
            let id = text(d, field)?;
            document_id::check_document_id(&id).map_err(invalid)?;
            Ok(id)
        }
    }
}

/// A non-negative integer, which JS encoders may write as a float (cbor-x writes any number
/// above 2^32 as a float64, `Date.now()` included).
fn count(d: &mut Decoder<'_>, field: &str) -> Result<u64, DecodeError> {
    let invalid =
        |reason: &str| DecodeError::InvalidValue { field: field.to_owned(), reason: reason.to_owned() };
    let number = match datatype(d)? {
        Type::U8 | Type::U16 | Type::U32 | Type::U64 => return d.u64().map_err(cbor),
        Type::I8 | Type::I16 | Type::I32 | Type::I64 | Type::Int => {
            return Err(invalid("negative"));
        }
        Type::F16 => f16(d)?,
        Type::F32 | Type::F64 => d.f64().map_err(cbor)?,
        found => {
            return Err(DecodeError::WrongType {
                field: field.to_owned(),
                expected: "number",
                found: found.to_string(),
            });
        }
    };
    if !number.is_finite() || number < 0.0 || number.fract() != 0.0 {
        return Err(invalid("not a whole non-negative number"));
    }
    if number > MAX_SAFE_INTEGER {
        return Err(invalid("too large to be exact"));
    }
    // Whole, non-negative and at most 2^53: the conversion is exact.
    Ok(number as u64)
}

/// Reads a half-precision float by hand, so that no `half` crate is needed for a case that
/// only a hand-made frame produces.
fn f16(d: &mut Decoder<'_>) -> Result<f64, DecodeError> {
    let start = d.position();
    let raw = d.input().get(start + 1..start + 3).ok_or(DecodeError::Truncated)?;
    let bits = u16::from_be_bytes([raw[0], raw[1]]);
    d.set_position(start + 3);
    let sign = if bits >> 15 == 1 { -1.0 } else { 1.0 };
    let exponent = i32::from((bits >> 10) & 0x1f);
    let fraction = f64::from(bits & 0x3ff);
    let magnitude = match exponent {
        0 => fraction * 2f64.powi(-24),
        0x1f if fraction == 0.0 => f64::INFINITY,
        0x1f => f64::NAN,
        _ => (1.0 + fraction / 1024.0) * 2f64.powi(exponent - 15),
    };
    Ok(sign * magnitude)
}

fn boolean(d: &mut Decoder<'_>, field: &str) -> Result<bool, DecodeError> {
    expect(d, field, "bool", &[Type::Bool])?;
    d.bool().map_err(cbor)
}

fn peer_metadata(d: &mut Decoder<'_>, field: &str) -> Result<PeerMetadata, DecodeError> {
    let mut storage_id = None;
    let mut is_ephemeral = None;
    for_each_entry(d, field, |d, key| {
        match key {
            "storageId" => set(d, "peerMetadata.storageId", &mut storage_id, text)?,
            "isEphemeral" => set(d, "peerMetadata.isEphemeral", &mut is_ephemeral, boolean)?,
            _ => d.skip().map_err(cbor)?,
        }
        Ok(())
    })?;
    Ok(PeerMetadata { storage_id, is_ephemeral: is_ephemeral.unwrap_or(false) })
}

fn new_heads(d: &mut Decoder<'_>, field: &str) -> Result<BTreeMap<String, RemoteHeads>, DecodeError> {
    let mut out = BTreeMap::new();
    for_each_entry(d, field, |d, storage_id| {
        let mut heads = None;
        let mut timestamp = None;
        for_each_entry(d, "newHeads entry", |d, key| {
            match key {
                "heads" => set(d, "newHeads.heads", &mut heads, texts)?,
                "timestamp" => set(d, "newHeads.timestamp", &mut timestamp, count)?,
                _ => d.skip().map_err(cbor)?,
            }
            Ok(())
        })?;
        let entry = RemoteHeads {
            heads: heads.ok_or(DecodeError::MissingField {
                message_type: "remote-heads-changed",
                field: "newHeads.heads",
            })?,
            timestamp: timestamp.ok_or(DecodeError::MissingField {
                message_type: "remote-heads-changed",
                field: "newHeads.timestamp",
            })?,
        };
        if out.insert(storage_id.to_owned(), entry).is_some() {
            return Err(DecodeError::DuplicateField(format!("newHeads.{storage_id}")));
        }
        Ok(())
    })?;
    Ok(out)
}

fn expect(d: &Decoder<'_>, field: &str, expected: &'static str, allowed: &[Type]) -> Result<(), DecodeError> {
    let found = datatype(d)?;
    if allowed.contains(&found) {
        Ok(())
    } else {
        Err(DecodeError::WrongType { field: field.to_owned(), expected, found: found.to_string() })
    }
}

fn datatype(d: &Decoder<'_>) -> Result<Type, DecodeError> {
    d.datatype().map_err(cbor)
}

fn cbor(e: minicbor::decode::Error) -> DecodeError {
    if e.is_end_of_input() { DecodeError::Truncated } else { DecodeError::Cbor(e) }
}
