//! How far a sync message's changes inflate, counted before Automerge inflates them.
//!
//! Automerge inflates deflated data as it parses: a compressed change is a deflate stream of a
//! change's body, and a document or a bundle may hold deflated columns. Deflate inflates up to
//! about a thousand times, so a sync message that fits in one frame could become gigabytes in the
//! relay, which every workspace shares. This walks the chunks the way Automerge will, inflates
//! each deflated part through a small buffer, only counting, and stops as soon as the whole
//! message passes the limit: nothing inflated is kept.
//!
//! ```
//! use automerge::{AutoCommit, ROOT, transaction::Transactable};
//! use quorum_shared::relay::{InflationError, inflated_size};
//!
//! let mut doc = AutoCommit::new();
//! doc.put(ROOT, "policy", "AI policy text ".repeat(1_000)).unwrap();
//! let saved = doc.save(); // its columns are deflated
//! let inflated = inflated_size(&saved, 1 << 20).unwrap();
//! assert!(inflated > saved.len() as u64);
//! assert_eq!(inflated_size(&saved, 1_000), Err(InflationError::OverLimit { limit: 1_000 }));
//! ```

use std::io::Read;

use automerge::sync;

use super::chunks::{BUNDLE, CHANGE, COMPRESSED, DOCUMENT, MAGIC};

/// Why a message's changes were not taken in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum InflationError {
    /// Counting stopped at the limit; how far past it the changes would go is not known.
    #[error("the changes inflate to more than {limit} bytes")]
    OverLimit { limit: u64 },
    #[error("the changes are not Automerge chunks: {0}")]
    Malformed(#[from] MalformedChunk),
}

/// What is wrong with bytes that should be Automerge chunks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum MalformedChunk {
    #[error("a chunk does not start with Automerge's magic bytes")]
    Magic,
    #[error("chunk type {0} is not one Automerge knows")]
    ChunkType(u8),
    #[error("a number is not a LEB128 that Automerge would read")]
    Leb128,
    #[error("a length runs past the end of its chunk")]
    Truncated,
    #[error("a deflated part does not inflate")]
    Deflate,
}

/// The bytes the deflated parts of `chunks` (one or more Automerge chunks, as
/// `Automerge::load_incremental` takes them) inflate to, if that is at most `limit`.
pub fn inflated_size(chunks: &[u8], limit: u64) -> Result<u64, InflationError> {
    let mut meter = Meter { inflated: 0, limit };
    let mut rest = Reader(chunks);
    while !rest.is_empty() {
        chunk(&mut rest, &mut meter)?;
    }
    Ok(meter.inflated)
}

/// [`inflated_size`] of a sync message's changes. Automerge joins the list's items into one run
/// of bytes before it reads them, so a chunk may begin in one item and end in the next: they are
/// walked joined too.
pub fn message_inflated_size(message: &sync::Message, limit: u64) -> Result<u64, InflationError> {
    let mut items = message.changes.iter();
    match (items.next(), items.next()) {
        (None, _) => Ok(0),
        (Some(only), None) => inflated_size(only, limit),
        _ => inflated_size(&message.changes.iter().flatten().copied().collect::<Vec<u8>>(), limit),
    }
}

/// The running total over a whole message.
struct Meter {
    inflated: u64,
    limit: u64,
}

impl Meter {
    /// Inflates one deflate stream into a small buffer, over and over, counting; as Automerge's
    /// `read_to_end` would, but keeping nothing.
    fn inflate(&mut self, deflated: &[u8]) -> Result<(), InflationError> {
        let mut inflater = flate2::bufread::DeflateDecoder::new(deflated);
        let mut buffer = [0; 8 * 1024];
        loop {
            let read = match inflater.read(&mut buffer) {
                Ok(0) => return Ok(()),
                Ok(read) => read,
                Err(error) if error.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(_) => return Err(MalformedChunk::Deflate.into()),
            };
            self.inflated = self.inflated.saturating_add(read as u64);
            if self.inflated > self.limit {
                return Err(InflationError::OverLimit { limit: self.limit });
            }
        }
    }
}

/// Reads the chunk `rest` starts with, and counts what Automerge would inflate in it.
fn chunk(rest: &mut Reader<'_>, meter: &mut Meter) -> Result<(), InflationError> {
    if rest.take(4)? != MAGIC {
        return Err(MalformedChunk::Magic.into());
    }
    // The checksum: Automerge inflates a chunk before it checks it, so it bounds nothing.
    rest.take(4)?;
    let kind = rest.byte()?;
    let length = rest.leb128()?;
    let mut body = Reader(rest.take(length)?);
    match kind {
        // A document: its actors and heads, the column metadata of its changes and then of its
        // ops, then the changes' column data and the ops'.
        DOCUMENT => {
            body.actors()?;
            body.hashes()?;
            let changes = body.columns()?;
            let ops = body.columns()?;
            let change_data = body.take(changes.data_length)?;
            let op_data = body.take(ops.data_length)?;
            // What follows (the heads' indices) holds nothing deflated.
            changes.inflate(change_data, meter)?;
            ops.inflate(op_data, meter)
        }
        // Automerge refuses a change whose columns are deflated before inflating any of them.
        CHANGE => Ok(()),
        // The whole body is the deflate stream of a change's body.
        COMPRESSED => meter.inflate(body.0),
        // A bundle: its dependencies and actors, then the changes' column metadata and data,
        // then the ops'.
        BUNDLE => {
            body.hashes()?;
            body.actors()?;
            let changes = body.columns()?;
            let change_data = body.take(changes.data_length)?;
            let ops = body.columns()?;
            let op_data = body.take(ops.data_length)?;
            changes.inflate(change_data, meter)?;
            ops.inflate(op_data, meter)
        }
        other => Err(MalformedChunk::ChunkType(other).into()),
    }
}

/// The column metadata of a document or bundle: how many columns, then each one's spec and
/// length. It is kept as bytes and read again to inflate, rather than collected, so that a
/// chunk of nothing but tiny columns costs no memory here.
struct Columns<'a> {
    count: u64,
    specs_and_lengths: &'a [u8],
    /// The columns' lengths together: their data follows the metadata (in a bundle) or the
    /// other set's metadata (in a document).
    data_length: u64,
}

/// A column's spec has this bit set when its data is deflated.
const DEFLATE: u64 = 0b1000;

impl<'a> Columns<'a> {
    /// Inflates each deflated column of `data`, which follows the order of the metadata.
    fn inflate(&self, data: &[u8], meter: &mut Meter) -> Result<(), InflationError> {
        let (mut metadata, mut data) = (Reader(self.specs_and_lengths), Reader(data));
        for _ in 0..self.count {
            let spec = metadata.leb128()?;
            let column = data.take(metadata.leb128()?)?;
            if spec & DEFLATE != 0 {
                meter.inflate(column)?;
            }
        }
        Ok(())
    }
}

/// Bytes read from the front, each read checked against what is left.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn take(&mut self, length: u64) -> Result<&'a [u8], MalformedChunk> {
        let length = usize::try_from(length).map_err(|_| MalformedChunk::Truncated)?;
        if length > self.0.len() {
            return Err(MalformedChunk::Truncated);
        }
        let (taken, rest) = self.0.split_at(length);
        self.0 = rest;
        Ok(taken)
    }

    fn byte(&mut self) -> Result<u8, MalformedChunk> {
        Ok(self.take(1)?[0])
    }

    /// An unsigned LEB128, refused where Automerge refuses one: more than ten bytes, more than
    /// 64 bits, or a needless last zero byte.
    fn leb128(&mut self) -> Result<u64, MalformedChunk> {
        let mut value = 0;
        for at in 0..10 {
            let byte = self.byte()?;
            value |= u64::from(byte & 0x7f) << (7 * at);
            if byte & 0x80 == 0 {
                let too_large = at == 9 && byte > 1;
                let overlong = at > 0 && byte == 0;
                return if too_large || overlong { Err(MalformedChunk::Leb128) } else { Ok(value) };
            }
        }
        Err(MalformedChunk::Leb128)
    }

    /// A count, then that many actor ids, each its length and its bytes. Each is at least one
    /// byte, so a huge count runs out of input rather than looping on.
    fn actors(&mut self) -> Result<(), MalformedChunk> {
        for _ in 0..self.leb128()? {
            let length = self.leb128()?;
            self.take(length)?;
        }
        Ok(())
    }

    /// A count, then that many change hashes of 32 bytes.
    fn hashes(&mut self) -> Result<(), MalformedChunk> {
        for _ in 0..self.leb128()? {
            self.take(32)?;
        }
        Ok(())
    }

    fn columns(&mut self) -> Result<Columns<'a>, MalformedChunk> {
        let count = self.leb128()?;
        let start = self.0;
        let mut data_length: u64 = 0;
        for _ in 0..count {
            // Automerge reads a spec as 32 bits.
            u32::try_from(self.leb128()?).map_err(|_| MalformedChunk::Leb128)?;
            data_length = data_length.checked_add(self.leb128()?).ok_or(MalformedChunk::Truncated)?;
        }
        let read = start.len() - self.0.len();
        Ok(Columns { count, specs_and_lengths: &start[..read], data_length })
    }
}

#[cfg(test)]
mod tests;
