//! Frames made by hand, field by field, for the cases real peers never send.

use minicbor::Encoder;
use quorum_shared::wire::Message;

use crate::DOC;

/// A value in a hand-made frame.
#[derive(Clone)]
pub enum V {
    Text(&'static str),
    Bytes(Vec<u8>),
    U(u64),
    I(i64),
    F64(f64),
    F32(f32),
    /// A half float, by its bits.
    F16(u16),
    Bool(bool),
    Null,
    Undefined,
    Array(Vec<V>),
    Map(Vec<(&'static str, V)>),
    /// A map written with indefinite length.
    IndefMap(Vec<(&'static str, V)>),
    Tagged(u64, Box<V>),
}

pub fn write(e: &mut Encoder<Vec<u8>>, value: &V) {
    match value {
        V::Text(s) => {
            e.str(s).unwrap();
        }
        V::Bytes(b) => {
            e.bytes(b).unwrap();
        }
        V::U(n) => {
            e.u64(*n).unwrap();
        }
        V::I(n) => {
            e.i64(*n).unwrap();
        }
        V::F64(n) => {
            e.f64(*n).unwrap();
        }
        V::F32(n) => {
            e.f32(*n).unwrap();
        }
        V::F16(bits) => {
            let mut raw = vec![0xf9];
            raw.extend(bits.to_be_bytes());
            e.writer_mut().extend(raw);
        }
        V::Bool(b) => {
            e.bool(*b).unwrap();
        }
        V::Null => {
            e.null().unwrap();
        }
        V::Undefined => {
            e.undefined().unwrap();
        }
        V::Array(items) => {
            e.array(items.len() as u64).unwrap();
            items.iter().for_each(|item| write(e, item));
        }
        V::Map(entries) => {
            e.map(entries.len() as u64).unwrap();
            for (key, value) in entries {
                e.str(key).unwrap();
                write(e, value);
            }
        }
        V::IndefMap(entries) => {
            e.begin_map().unwrap();
            for (key, value) in entries {
                e.str(key).unwrap();
                write(e, value);
            }
            e.end().unwrap();
        }
        V::Tagged(tag, inner) => {
            e.tag(minicbor::data::Tag::new(*tag)).unwrap();
            write(e, inner);
        }
    }
}

pub fn frame(entries: Vec<(&'static str, V)>) -> Vec<u8> {
    let mut e = Encoder::new(Vec::new());
    write(&mut e, &V::Map(entries));
    e.into_writer()
}

/// A frame of message type `kind` with these other fields.
pub fn typed(kind: &'static str, fields: Vec<(&'static str, V)>) -> Vec<u8> {
    let mut entries = vec![("type", V::Text(kind))];
    entries.extend(fields);
    frame(entries)
}

/// A well-formed `ephemeral` message with one field replaced (or, with `None`, removed).
pub fn ephemeral_with(field: &'static str, value: Option<V>) -> Vec<u8> {
    let mut entries = vec![
        ("type", V::Text("ephemeral")),
        ("senderId", V::Text("bob")),
        ("targetId", V::Text("relay")),
        ("documentId", V::Text(DOC)),
        ("sessionId", V::Text("s")),
        ("count", V::U(3)),
        ("data", V::Bytes(vec![1, 2, 3])),
    ];
    entries.retain(|(key, _)| *key != field);
    if let Some(value) = value {
        entries.push((field, value));
    }
    frame(entries)
}

pub fn count_of(bytes: &[u8]) -> u64 {
    match Message::decode(bytes).unwrap() {
        Message::Ephemeral { count, .. } => count,
        other => panic!("not ephemeral: {other:?}"),
    }
}
