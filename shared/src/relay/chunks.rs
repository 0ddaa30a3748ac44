//! Automerge's storage chunks as bytes: where one ends, and whether a run of them is whole. A
//! chunk is the magic bytes, a checksum (the first four bytes of the SHA-256 of what follows
//! it, except in a compressed change, whose checksum is its uncompressed form's), its type (0 a
//! document, 1 a change, 2 a compressed change, 3 a bundle), its body's length (LEB128), and the
//! body.

use sha2::{Digest, Sha256};

pub(super) const MAGIC: [u8; 4] = [0x85, 0x6f, 0x4a, 0x83];

/// The chunk types, the byte after the checksum.
pub(super) const DOCUMENT: u8 = 0;
pub(super) const CHANGE: u8 = 1;
pub(super) const COMPRESSED: u8 = 2;
/// Several changes in columns, as `Automerge::bundle` writes them.
pub(super) const BUNDLE: u8 = 3;

/// The length of the chunk `bytes` starts with, if its header says one that fits.
pub(super) fn chunk_length(bytes: &[u8]) -> Option<usize> {
    if bytes.get(..4)? != MAGIC {
        return None;
    }
    let mut length: u64 = 0;
    for (i, byte) in bytes.get(9..)?.iter().take(10).enumerate() {
        length |= u64::from(byte & 0x7f) << (7 * i);
        if byte & 0x80 == 0 {
            let total = 9 + i + 1 + usize::try_from(length).ok()?;
            return (total <= bytes.len()).then_some(total);
        }
    }
    None
}

/// Whether `bytes` is one or more whole chunks, each with its checksum right. Automerge takes a
/// damaged chunk into a document that has content as nothing, without a word; this says so.
pub(super) fn well_formed(mut bytes: &[u8]) -> bool {
    while !bytes.is_empty() {
        let Some(length) = chunk_length(bytes) else { return false };
        let (chunk, rest) = bytes.split_at(length);
        // A compressed change keeps the checksum of its uncompressed form: Automerge checks it.
        if chunk[8] != COMPRESSED && Sha256::digest(&chunk[8..])[..4] != chunk[4..8] {
            return false;
        }
        bytes = rest;
    }
    true
}

#[cfg(test)]
mod tests {
    use automerge::{AutoCommit, ROOT, transaction::Transactable};

    use super::*;

    #[test]
    fn whole_chunks_pass_and_damaged_ones_do_not() {
        let mut doc = AutoCommit::new();
        doc.put(ROOT, "a", 1).unwrap();
        let first = doc.save();
        let heads = doc.get_heads();
        doc.put(ROOT, "b", 2).unwrap();
        doc.put(ROOT, "c", 3).unwrap();
        let later = doc.save_after(&heads);
        assert!(well_formed(&first) && well_formed(&later), "a document, and two changes in a row");
        // Big enough that Automerge compresses: a change, and a document's columns.
        let heads = doc.get_heads();
        doc.put(ROOT, "long", "policy text ".repeat(200)).unwrap();
        let compressed = doc.save_after(&heads);
        assert!(well_formed(&compressed), "a compressed change");
        for i in 0..300 {
            doc.put(ROOT, format!("control-{i}"), i).unwrap();
        }
        assert!(well_formed(&doc.save()), "a document with compressed columns");
        assert_eq!(chunk_length(&first), Some(first.len()));
        let mut flipped = later.clone();
        let last = flipped.len() - 1;
        flipped[last] ^= 1;
        for bad in [&b"not automerge"[..], &first[..first.len() - 1], &flipped, &[0x85, 0x6f, 0x4a, 0x83]] {
            assert!(!well_formed(bad), "{bad:02x?}");
        }
    }
}
