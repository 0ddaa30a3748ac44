use std::io::Write;

use automerge::{AutoCommit, ROOT, sync, transaction::Transactable};

use super::*;

const MIB: u64 = 1 << 20;

/// A compressed change chunk whose body inflates to `zeros` zero bytes: a decompression bomb.
/// The zeros are streamed into the deflater, so making it holds none of them.
fn bomb(zeros: u64) -> Vec<u8> {
    let mut deflater = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
    let block = [0; 64 * 1024];
    for _ in 0..zeros / block.len() as u64 {
        deflater.write_all(&block).unwrap();
    }
    let body = deflater.finish().unwrap();
    chunk(COMPRESSED, &body)
}

/// A chunk of `kind` around `body`; the checksum is left wrong, as nothing here reads it.
fn chunk(kind: u8, body: &[u8]) -> Vec<u8> {
    let mut chunk = MAGIC.to_vec();
    chunk.extend([0; 4]);
    chunk.push(kind);
    let mut length = body.len();
    while length >= 0x80 {
        chunk.push((length as u8 & 0x7f) | 0x80);
        length >>= 7;
    }
    chunk.push(length as u8);
    chunk.extend(body);
    chunk
}

/// A document with enough policy text and register rows that Automerge deflates its columns
/// and its last change.
fn policy() -> AutoCommit {
    let mut doc = AutoCommit::new();
    doc.put(ROOT, "title", "AI policy").unwrap();
    for i in 0..300 {
        doc.put(ROOT, format!("control-{i}"), format!("A.{}.{}", i / 10, i % 10)).unwrap();
    }
    doc.put(ROOT, "statement", "The organization commits to responsible AI. ".repeat(40)).unwrap();
    doc.commit();
    doc
}

/// A chunk's body: what follows its header.
fn body(chunk: &[u8]) -> &[u8] {
    let mut reader = Reader(chunk);
    reader.take(9).unwrap();
    let length = reader.leb128().unwrap();
    reader.take(length).unwrap()
}

/// A document chunk's columns, changes' then ops', as (spec, length).
fn columns(document: &[u8]) -> Vec<(u64, u64)> {
    let mut reader = Reader(body(document));
    reader.actors().unwrap();
    reader.hashes().unwrap();
    let metadata = [reader.columns().unwrap(), reader.columns().unwrap()];
    let mut columns = Vec::new();
    for set in metadata {
        let mut specs = Reader(set.specs_and_lengths);
        for _ in 0..set.count {
            columns.push((specs.leb128().unwrap(), specs.leb128().unwrap()));
        }
    }
    columns
}

#[test]
fn an_honest_compressed_change_counts_what_automerge_inflates() {
    let mut doc = policy();
    let mut change = doc.get_last_local_change().unwrap();
    let compressed = change.bytes().into_owned();
    assert_eq!(compressed[8], COMPRESSED, "big enough for Automerge to compress");
    // Automerge inflates a compressed change to its uncompressed change's body.
    let inflated = body(change.raw_bytes()).len() as u64;
    assert_eq!(inflated_size(&compressed, MIB), Ok(inflated));
    assert_eq!(inflated_size(&compressed, inflated), Ok(inflated), "the limit itself is allowed");
    assert_eq!(
        inflated_size(&compressed, inflated - 1),
        Err(InflationError::OverLimit { limit: inflated - 1 })
    );
    // Uncompressed, the same change inflates nothing.
    assert_eq!(inflated_size(change.raw_bytes(), MIB), Ok(0));
}

#[test]
fn a_bomb_is_refused_at_the_limit_without_inflating_the_rest() {
    let bomb = bomb(64 * MIB);
    assert!(bomb.len() < 128 * 1024, "{} bytes of deflate", bomb.len());
    assert_eq!(inflated_size(&bomb, MIB), Err(InflationError::OverLimit { limit: MIB }));
    // Counted to the end, it is all of it: nothing was kept on the way.
    assert_eq!(inflated_size(&bomb, u64::MAX), Ok(64 * MIB));
}

#[test]
fn a_saved_document_counts_its_deflated_columns_at_their_inflated_length() {
    let mut doc = policy();
    let saved = doc.save();
    let plain = doc.save_nocompress();
    let (deflated, inflated) = (columns(&saved), columns(&plain));
    assert_eq!(deflated.len(), inflated.len());
    let mut expected = 0;
    for ((spec, _), (plain_spec, length)) in deflated.iter().zip(&inflated) {
        assert_eq!(spec & !DEFLATE, *plain_spec, "the same columns in the same order");
        if spec & DEFLATE != 0 {
            expected += length;
        }
    }
    assert!(expected > 0, "some columns are deflated");
    assert_eq!(inflated_size(&saved, MIB), Ok(expected));
    assert_eq!(inflated_size(&plain, MIB), Ok(0));
}

#[test]
fn a_bundle_counts_its_deflated_columns() {
    let mut doc = policy();
    let changes = doc.get_changes(&[]);
    let bundle = doc.bundle(changes.iter().map(|change| change.hash())).unwrap();
    let bytes = bundle.bytes();
    assert_eq!(bytes[8], BUNDLE);
    let inflated = inflated_size(bytes, MIB).unwrap();
    assert!(inflated > body(bytes).len() as u64, "its columns were deflated: {inflated}");
    assert_eq!(inflated_size(bytes, inflated - 1), Err(InflationError::OverLimit { limit: inflated - 1 }));
}

#[test]
fn concatenated_chunks_are_summed_and_the_limit_is_the_whole_messages() {
    let mut doc = policy();
    let compressed = doc.get_last_local_change().unwrap().bytes().into_owned();
    let saved = doc.save();
    let (one, other) = (inflated_size(&compressed, MIB).unwrap(), inflated_size(&saved, MIB).unwrap());
    let joined = [&saved[..], &compressed, &saved].concat();
    assert_eq!(inflated_size(&joined, MIB), Ok(2 * other + one));
    let limit = 2 * other + one - 1;
    assert_eq!(inflated_size(&joined, limit), Err(InflationError::OverLimit { limit }));

    // In a sync message, as one item, as one item per chunk, and split in the middle of a
    // chunk (Automerge joins the items before reading them).
    let message = |items: Vec<Vec<u8>>| sync::Message {
        heads: Vec::new(),
        need: Vec::new(),
        have: Vec::new(),
        changes: items.into(),
        flags: None,
        version: sync::MessageVersion::V2,
    };
    let at = saved.len() + 5;
    for items in [
        vec![],
        vec![joined.clone()],
        vec![saved.to_vec(), compressed.clone(), saved.to_vec()],
        vec![joined[..at].to_vec(), joined[at..].to_vec()],
    ] {
        let expected = if items.is_empty() { 0 } else { 2 * other + one };
        assert_eq!(message_inflated_size(&message(items), MIB), Ok(expected));
    }
}

#[test]
fn bad_bytes_are_a_typed_error_never_a_panic() {
    let mut doc = policy();
    let compressed = doc.get_last_local_change().unwrap().bytes().into_owned();
    let saved = doc.save();
    let huge_count = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f];
    let cases: Vec<(&str, Vec<u8>, MalformedChunk)> = vec![
        ("not a chunk", b"not automerge".to_vec(), MalformedChunk::Magic),
        ("only the magic", MAGIC.to_vec(), MalformedChunk::Truncated),
        ("an unknown type", chunk(9, b""), MalformedChunk::ChunkType(9)),
        ("a length of eleven bytes", [&MAGIC[..], &[0; 5], &[0xff; 11]].concat(), MalformedChunk::Leb128),
        (
            "a length past 64 bits",
            [&MAGIC[..], &[0; 5], &[0xff; 9], &[0x02]].concat(),
            MalformedChunk::Leb128,
        ),
        ("a needless zero byte", [&MAGIC[..], &[0; 5], &[0x80, 0x00]].concat(), MalformedChunk::Leb128),
        ("a length past the end", [&MAGIC[..], &[0; 5], &[0x7f, 1, 2]].concat(), MalformedChunk::Truncated),
        ("a body cut short", compressed[..compressed.len() - 1].to_vec(), MalformedChunk::Truncated),
        ("deflate that is not", chunk(COMPRESSED, b"\xff\xff\xff\xff"), MalformedChunk::Deflate),
        ("countless actors", chunk(DOCUMENT, &huge_count), MalformedChunk::Truncated),
        ("countless heads", chunk(DOCUMENT, &[&[0][..], &huge_count].concat()), MalformedChunk::Truncated),
        ("countless deps", chunk(BUNDLE, &huge_count), MalformedChunk::Truncated),
        (
            "a 33-bit spec",
            chunk(DOCUMENT, &[0, 0, 1, 0x80, 0x80, 0x80, 0x80, 0x10, 0]),
            MalformedChunk::Leb128,
        ),
        (
            "column lengths past 64 bits",
            chunk(DOCUMENT, &[&[0, 0, 2, 0][..], &huge_count, &[0], &[0xff; 9], &[1]].concat()),
            MalformedChunk::Truncated,
        ),
        ("columns longer than the chunk", chunk(DOCUMENT, &[0, 0, 1, 0, 0x7f, 0]), MalformedChunk::Truncated),
        (
            "a deflated column that is not",
            chunk(DOCUMENT, &[0, 0, 0, 1, 0b1000, 2, 0xff, 0xff]),
            MalformedChunk::Deflate,
        ),
        ("whole chunks, then garbage", [&saved[..], b"garbage"].concat(), MalformedChunk::Magic),
    ];
    for (what, bytes, error) in cases {
        assert_eq!(inflated_size(&bytes, MIB), Err(error.into()), "{what}");
    }
    // Every cut of a run of chunks is whole chunks or a typed error.
    let joined = [&saved[..], &compressed].concat();
    for cut in 0..joined.len() {
        let whole = cut == 0 || cut == saved.len();
        match inflated_size(&joined[..cut], MIB) {
            Ok(_) => assert!(whole, "a cut at {cut} passed"),
            Err(InflationError::Malformed(_)) => assert!(!whole, "a cut at {cut} failed"),
            Err(over) => panic!("{over}"),
        }
    }
}
